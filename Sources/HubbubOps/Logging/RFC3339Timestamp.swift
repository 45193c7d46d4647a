import Glibc

/// Timestamps for log records: RFC 3339, UTC, milliseconds (`2025-11-22T07:04:05.123Z`).
/// The formatting is pure arithmetic (no `gmtime`, no locale), so it is testable and
/// cheap; only ``nowMilliseconds()`` reads the clock.
enum RFC3339Timestamp {
    /// Milliseconds since the Unix epoch, from `CLOCK_REALTIME`.
    static func nowMilliseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ` for a time in milliseconds since the epoch (years 0 to 9999).
    static func format(epochMilliseconds: Int64) -> String {
        let milliseconds = Int(floorMod(epochMilliseconds, 1000))
        let seconds = floorDiv(epochMilliseconds, 1000)
        let days = floorDiv(seconds, 86_400)
        let secondOfDay = Int(seconds - days * 86_400)
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        var text = ""
        text.reserveCapacity(24)
        append(year, digits: 4, to: &text)
        text += "-"
        append(month, digits: 2, to: &text)
        text += "-"
        append(day, digits: 2, to: &text)
        text += "T"
        append(secondOfDay / 3600, digits: 2, to: &text)
        text += ":"
        append(secondOfDay / 60 % 60, digits: 2, to: &text)
        text += ":"
        append(secondOfDay % 60, digits: 2, to: &text)
        text += "."
        append(milliseconds, digits: 3, to: &text)
        text += "Z"
        return text
    }

    /// The proleptic Gregorian date of a day count (Howard Hinnant's `civil_from_days`).
    static func civilDate(daysSinceEpoch: Int64) -> (year: Int, month: Int, day: Int) {
        let z = daysSinceEpoch + 719_468
        let era = floorDiv(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (Int(year), Int(month), Int(day))
    }

    private static func append(_ value: Int, digits: Int, to text: inout String) {
        let decimal = String(value)
        if decimal.count < digits { text += String(repeating: "0", count: digits - decimal.count) }
        text += decimal
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let quotient = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
    }

    private static func floorMod(_ a: Int64, _ b: Int64) -> Int64 {
        a - floorDiv(a, b) * b
    }
}
