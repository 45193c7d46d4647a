/// Formats unix milliseconds as the protocol's `time`: RFC 3339 in UTC with exactly three
/// fractional digits, e.g. `2025-06-02T12:00:00.010Z`. Pure arithmetic (days-from-civil
/// inverse, H. Hinnant), no calendar or locale.
public enum RFC3339 {
    public static func format(unixMillis: Int64) -> String {
        let millisPerDay: Int64 = 86_400_000
        var days = unixMillis / millisPerDay
        var msOfDay = unixMillis % millisPerDay
        if msOfDay < 0 {
            msOfDay += millisPerDay
            days -= 1
        }
        let (year, month, day) = civil(fromDays: days)
        let hour = msOfDay / 3_600_000
        let minute = msOfDay / 60_000 % 60
        let second = msOfDay / 1000 % 60
        let millis = msOfDay % 1000

        var out: [UInt8] = []
        out.reserveCapacity(24)
        append(&out, year, width: 4)
        out.append(UInt8(ascii: "-"))
        append(&out, month, width: 2)
        out.append(UInt8(ascii: "-"))
        append(&out, day, width: 2)
        out.append(UInt8(ascii: "T"))
        append(&out, hour, width: 2)
        out.append(UInt8(ascii: ":"))
        append(&out, minute, width: 2)
        out.append(UInt8(ascii: ":"))
        append(&out, second, width: 2)
        out.append(UInt8(ascii: "."))
        append(&out, millis, width: 3)
        out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }

    /// (year, month 1-12, day 1-31) of a count of days since 1970-01-01.
    private static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func append(_ out: inout [UInt8], _ value: Int64, width: Int) {
        var digits: [UInt8] = []
        var v = value < 0 ? -value : value
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(v % 10))
            v /= 10
        } while v > 0
        if value < 0 { out.append(UInt8(ascii: "-")) }
        for _ in digits.count..<max(width, digits.count) { out.append(UInt8(ascii: "0")) }
        out.append(contentsOf: digits.reversed())
    }
}
