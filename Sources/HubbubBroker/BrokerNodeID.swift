import Glibc

/// Node ids: unique per process start, readable in logs.
public enum BrokerNodeID {
    /// `<host>-<pid>-<8 random hex digits>`: a restarted node is a new node, so its
    /// predecessor's entries are reaped rather than mistaken for its own.
    public static func unique() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let host = gethostname(&buffer, buffer.count) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "node"
        let random = String(UInt32.random(in: .min ... .max), radix: 16)
        return "\(host.isEmpty ? "node" : host)-\(getpid())-\(String(repeating: "0", count: 8 - random.count))\(random)"
    }
}
