/// Who a connection acts for, from a verified token.
public struct Identity: Sendable, Equatable {
    /// The token's `sub`.
    public var userID: String
    /// The token's `name`.
    public var name: String
    /// The token's `exp`, unix milliseconds.
    public var expiresAtMillis: Int64
}
