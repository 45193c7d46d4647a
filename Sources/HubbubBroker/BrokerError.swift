/// Why a broker operation failed.
///
/// ``code`` is for switching and metrics; ``message`` is for logs (it may carry the
/// server's own message, never a payload). ``isRetryable`` tells the hub whether the
/// same call may succeed later (Redis down or slow) or never will (bad argument, wrong
/// password, shut down).
public struct BrokerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The server cannot be reached right now (refused, reset, reconnecting). Retryable.
        case unavailable
        /// The server did not answer within the command timeout; the connection is
        /// replaced. Retryable; the command may or may not have run.
        case timeout
        /// The server refused the credentials of the URL (or asked for some).
        case authenticationFailed
        /// An argument the broker cannot take (an empty channel, a node id with a NUL,
        /// a malformed URL).
        case invalidArgument
        /// The server answered with an error (e.g. `OOM`, `WRONGTYPE`).
        case server
        /// The broker was shut down; nothing more can be done with it.
        case shutdown
    }

    public let code: Code
    public let message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// Whether the same operation may succeed if tried again later.
    public var isRetryable: Bool {
        switch code {
        case .unavailable, .timeout: true
        default: false
        }
    }

    public var description: String { "\(code.rawValue): \(message)" }

    public static let shutdown = BrokerError(code: .shutdown, message: "the broker was shut down")

    static func unavailable(_ message: String) -> BrokerError { BrokerError(code: .unavailable, message: message) }
    static func invalidArgument(_ message: String) -> BrokerError { BrokerError(code: .invalidArgument, message: message) }
}
