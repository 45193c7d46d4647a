import Logging

/// The id that ties together the log lines of one connection or one HTTP request, and
/// the events it causes (carried into their envelope). Logged under the metadata key
/// ``metadataKey`` (`correlation_id`) by every component: take the logger of the
/// connection or request (``Logger/withCorrelationID(_:)``) rather than the global one.
public struct CorrelationID: Sendable, Hashable, CustomStringConvertible {
    /// The metadata key, the same in every log line.
    public static let metadataKey = "correlation_id"

    public let value: String

    /// 16 random lowercase hex digits (64 bits), from the system's random source.
    public static func generate() -> CorrelationID {
        var generator = SystemRandomNumberGenerator()
        let bits = generator.next() as UInt64
        let hex = String(bits, radix: 16)
        return CorrelationID(unchecked: String(repeating: "0", count: 16 - hex.count) + hex)
    }

    /// An id a client supplied (`X-Request-ID`): accepted when it has 1 to 64 characters of
    /// `A-Z a-z 0-9 . _ : -`, so it cannot forge log fields or carry a secret-sized blob.
    public init?(validating text: String) {
        guard (1...64).contains(text.utf8.count), text.utf8.allSatisfy(Self.isAllowed) else { return nil }
        value = text
    }

    private init(unchecked value: String) {
        self.value = value
    }

    public var description: String { value }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
             UInt8(ascii: ":"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}

extension Logger {
    /// A copy of this logger whose every line carries `correlation_id`.
    public func withCorrelationID(_ id: CorrelationID) -> Logger {
        var copy = self
        copy[metadataKey: CorrelationID.metadataKey] = .string(id.value)
        return copy
    }
}
