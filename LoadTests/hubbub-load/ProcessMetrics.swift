import Glibc

/// Readings of a process from /proc (the server's, by pid) and of this process from
/// getrusage.
enum ProcessMetrics {
    struct Memory: Sendable {
        /// Resident set size now (VmRSS), in KiB.
        var rssKB: Int
        /// The highest resident set size so far (VmHWM), in KiB.
        var peakKB: Int
    }

    /// VmRSS and VmHWM from /proc/PID/status; nil if the process is gone.
    static func memory(pid: Int32) -> Memory? {
        guard let status = readFile("/proc/\(pid)/status") else { return nil }
        var rss: Int?
        var peak: Int?
        for line in status.split(separator: "\n") {
            if line.hasPrefix("VmRSS:") { rss = kilobytes(line) }
            if line.hasPrefix("VmHWM:") { peak = kilobytes(line) }
        }
        guard let rss else { return nil }
        return Memory(rssKB: rss, peakKB: peak ?? rss)
    }

    /// User plus system CPU seconds from /proc/PID/stat; nil if the process is gone.
    static func cpuSeconds(pid: Int32) -> Double? {
        guard let stat = readFile("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return nil }
        // After "pid (comm)": field 3 (state) is index 0, utime (14) index 11, stime (15) index 12.
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return (user + system) / (ticks > 0 ? ticks : 100)
    }

    /// This process's user plus system CPU seconds.
    static func ownCPUSeconds() -> Double {
        var usage = rusage()
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// "VmRSS:	  12345 kB" -> 12345.
    private static func kilobytes(_ line: Substring) -> Int? {
        line.split(separator: " ", omittingEmptySubsequences: true)
            .lazy.compactMap { Int($0.filter { $0 != "\t" }) }.first
    }

    /// A small text file read whole (procfs files report size 0, so read until EOF).
    private static func readFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count > 0 {
                contents.append(contentsOf: chunk[0..<count])
            } else if count < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        return String(decoding: contents, as: UTF8.self)
    }
}
