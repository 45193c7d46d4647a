/// The fields of `/proc/self/stat` (proc(5)) that the process metrics need. I/O-free:
/// ``parse(_:)`` takes the file's text.
struct ProcSelfStat: Equatable {
    /// User and system CPU time, in clock ticks (`sysconf(_SC_CLK_TCK)`).
    var userTicks: UInt64
    var systemTicks: UInt64
    /// When the process started, in clock ticks after boot.
    var startTicks: UInt64
    /// Virtual memory size, bytes.
    var virtualBytes: UInt64
    /// Resident set size, pages.
    var residentPages: UInt64

    /// Fields 14 (utime), 15 (stime), 22 (starttime), 23 (vsize) and 24 (rss). The
    /// command name (field 2) is in parentheses and may hold spaces and parentheses, so
    /// counting starts after the last `)`: the next field there is field 3.
    static func parse(_ text: String) -> ProcSelfStat? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(whereSeparator: { $0 == " " || $0 == "\n" })
        func field(_ number: Int) -> UInt64? {
            let index = number - 3
            return index < fields.count ? UInt64(fields[index]) : nil
        }
        guard let user = field(14), let system = field(15), let start = field(22),
              let virtual = field(23), let resident = field(24) else { return nil }
        return ProcSelfStat(userTicks: user, systemTicks: system, startTicks: start,
                            virtualBytes: virtual, residentPages: resident)
    }

    /// The `btime` line of `/proc/stat`: boot time, seconds since the epoch.
    static func parseBootTime(_ procStat: String) -> UInt64? {
        for line in procStat.split(separator: "\n") where line.hasPrefix("btime ") {
            return UInt64(line.dropFirst(6).trimmingPrefix(" "))
        }
        return nil
    }
}
