import Glibc

/// The standard process metrics, read from `/proc` at each scrape:
/// `process_cpu_seconds_total`, `process_resident_memory_bytes`,
/// `process_virtual_memory_bytes`, `process_start_time_seconds`, `process_open_fds`
/// and `process_max_fds`. On a system without `/proc` the metrics are left out.
public enum ProcessMetrics {
    /// Registers the process metrics on `registry` (once per registry).
    public static func register(on registry: MetricsRegistry) {
        let ticksPerSecond = Double(max(sysconf(Int32(_SC_CLK_TCK)), 1))
        let pageSize = Double(max(sysconf(Int32(_SC_PAGESIZE)), 1))
        registry.collected("process_cpu_seconds_total", help: "Total user and system CPU time spent in seconds.",
                           type: .counter, labels: []) {
            guard let stat = readStat() else { return [] }
            return [CollectedSample(value: Double(stat.userTicks + stat.systemTicks) / ticksPerSecond)]
        }
        registry.collectedGauge("process_resident_memory_bytes", help: "Resident memory size in bytes.") {
            readStat().map { Double($0.residentPages) * pageSize }
        }
        registry.collectedGauge("process_virtual_memory_bytes", help: "Virtual memory size in bytes.") {
            readStat().map { Double($0.virtualBytes) }
        }
        registry.collectedGauge("process_start_time_seconds", help: "Start time of the process since unix epoch in seconds.") {
            guard let stat = readStat(), let text = readSmallFile("/proc/stat"),
                  let boot = ProcSelfStat.parseBootTime(text) else { return nil }
            return Double(boot) + Double(stat.startTicks) / ticksPerSecond
        }
        registry.collectedGauge("process_open_fds", help: "Number of open file descriptors.") {
            openDescriptorCount().map(Double.init)
        }
        registry.collectedGauge("process_max_fds", help: "Maximum number of open file descriptors.") {
            var limit = rlimit()
            guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return nil }
            return limit.rlim_cur == rlim_t.max ? nil : Double(limit.rlim_cur)  // RLIM_INFINITY
        }
    }

    static func readStat() -> ProcSelfStat? {
        readSmallFile("/proc/self/stat").flatMap(ProcSelfStat.parse)
    }

    /// Entries of `/proc/self/fd`, less the one `opendir` itself holds.
    static func openDescriptorCount() -> Int? {
        guard let directory = opendir("/proc/self/fd") else { return nil }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let isDot = withUnsafeBytes(of: entry.pointee.d_name) { name in
                name[0] == UInt8(ascii: ".") && (name[1] == 0 || (name[1] == UInt8(ascii: ".") && name[2] == 0))
            }
            if !isDot { count += 1 }
        }
        return max(count - 1, 0)
    }

    /// A file of `/proc`, read whole (their size is not known before reading).
    static func readSmallFile(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 1 << 20 {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
