import ArgumentParser
import HubbubIO

/// A duration on the command line: `10s`, `500ms`, `2m`, `1h`, or plain seconds (`2.5`).
struct DurationArgument: ExpressibleByArgument, Sendable {
    var nanoseconds: UInt64

    init(seconds: Double) {
        nanoseconds = .nanoseconds(seconds: seconds)
    }

    init?(argument: String) {
        let units: [(String, Double)] = [("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600)]
        var number = Substring(argument)
        var scale = 1.0
        for (suffix, factor) in units where argument.hasSuffix(suffix) {
            number = argument.dropLast(suffix.count)
            scale = factor
            break
        }
        guard let value = Double(number), value >= 0, value.isFinite else { return nil }
        nanoseconds = .nanoseconds(seconds: value * scale)
    }

    var defaultValueDescription: String {
        let ms = nanoseconds / 1_000_000
        return ms % 1000 == 0 ? "\(ms / 1000)s" : "\(ms)ms"
    }
}

/// A size on the command line: `64KiB`, `1MiB`, `1GiB`, `4096` (bytes).
struct ByteSizeArgument: ExpressibleByArgument, Sendable {
    var bytes: Int

    init(bytes: Int) {
        self.bytes = bytes
    }

    init?(argument: String) {
        let units: [(String, Int)] = [("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("KB", 1000), ("MB", 1_000_000), ("B", 1)]
        var number = Substring(argument)
        var scale = 1
        for (suffix, factor) in units where argument.hasSuffix(suffix) {
            number = argument.dropLast(suffix.count)
            scale = factor
            break
        }
        guard let value = Int(number), value >= 0 else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: scale)
        guard !overflow else { return nil }
        bytes = product
    }

    var defaultValueDescription: String {
        if bytes % (1 << 20) == 0 { return "\(bytes >> 20)MiB" }
        if bytes % (1 << 10) == 0 { return "\(bytes >> 10)KiB" }
        return "\(bytes)"
    }
}

extension SocketAddress: ExpressibleByArgument {
    public init?(argument: String) {
        guard let address = try? SocketAddress(parsing: argument) else { return nil }
        self = address
    }
}

extension IOBackendChoice: ExpressibleByArgument {}
