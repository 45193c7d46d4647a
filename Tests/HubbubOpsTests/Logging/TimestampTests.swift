import Glibc
import Testing

@testable import HubbubOps

@Suite struct TimestampTests {
    @Test func formatsRFC3339InUTCWithMilliseconds() {
        #expect(RFC3339Timestamp.format(epochMilliseconds: 0) == "1970-01-01T00:00:00.000Z")
        #expect(RFC3339Timestamp.format(epochMilliseconds: 1_763_795_045_123) == "2025-11-22T07:04:05.123Z")
        #expect(RFC3339Timestamp.format(epochMilliseconds: 951_782_400_007) == "2000-02-29T00:00:00.007Z")  // leap day
        #expect(RFC3339Timestamp.format(epochMilliseconds: 4_102_444_799_999) == "2099-12-31T23:59:59.999Z")
        #expect(RFC3339Timestamp.format(epochMilliseconds: -1) == "1969-12-31T23:59:59.999Z")
    }

    @Test func agreesWithGmtimeOverManyDays() {
        var day: Int64 = -800
        while day < 80_000 {
            let seconds = day * 86_400 + 12_345
            var time = Int(seconds)
            var parts = tm()
            gmtime_r(&time, &parts)
            let (year, month, dayOfMonth) = RFC3339Timestamp.civilDate(daysSinceEpoch: day)
            #expect(year == Int(parts.tm_year) + 1900 && month == Int(parts.tm_mon) + 1 && dayOfMonth == Int(parts.tm_mday))
            day += 97
        }
    }

    @Test func nowIsAfter2025() {
        #expect(RFC3339Timestamp.nowMilliseconds() > 1_735_689_600_000)
    }
}
