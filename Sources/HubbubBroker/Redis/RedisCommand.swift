/// One Redis command: its arguments, binary safe.
struct RedisCommand: Sendable, Hashable {
    var arguments: [[UInt8]]

    init(arguments: [[UInt8]]) {
        self.arguments = arguments
    }

    init(_ parts: String...) {
        arguments = parts.map { Array($0.utf8) }
    }

    init(_ parts: [String]) {
        arguments = parts.map { Array($0.utf8) }
    }

    /// The command's name, for errors and logs (never its arguments: they may be payloads
    /// or passwords).
    var name: String { arguments.first.map { String(decoding: $0, as: UTF8.self) } ?? "" }
}
