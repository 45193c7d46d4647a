/// Why a store operation failed.
///
/// ``code`` is for switching, metrics and wire codes; ``message`` is for logs (it may
/// name a file or carry the database's own message, never a comment's text).
/// ``isRetryable`` tells the hub whether to answer `unavailable` (retry the same command
/// later) rather than `internal`.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The store was closed; nothing more can be done with it.
        case closed
        /// The database stayed locked past the busy timeout (another process or
        /// connection held the write lock). Retryable.
        case busy
        /// The operating system reported an I/O error, or the database could not be
        /// opened or reached. Retryable.
        case unavailable
        /// The disk (or a quota) is full. Retryable once space is freed.
        case diskFull
        /// The file is not a database or is damaged.
        case corrupt
        /// A rule of the schema refused the change (e.g. a username already taken in the
        /// project).
        case constraint
        /// The object an admin call names (e.g. the project of a new member) does not exist.
        case notFound
        /// A card with the id given to `createCard` already exists in the project.
        case alreadyExists
        /// An argument is out of range (negative limit, custom payload not a JSON object).
        case invalidArgument
        /// The database's schema does not match this binary's migrations (written by a
        /// newer version, or a migration failed).
        case schemaMismatch
        /// An unexpected failure: a bug in the store or a misuse of the database.
        case `internal`
    }

    public let code: Code
    public let message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The store was closed.
    public static let closed = StoreError(code: .closed, message: "the store is closed")

    /// Whether the same operation may succeed if tried again later.
    public var isRetryable: Bool {
        switch code {
        case .busy, .unavailable, .diskFull: true
        default: false
        }
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
