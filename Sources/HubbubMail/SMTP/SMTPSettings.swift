/// How the SMTP client talks to its server (everything but the socket's address).
public struct SMTPSettings: Sendable, Hashable {
    /// How the connection is protected.
    public enum Security: String, Sendable, Hashable {
        /// Plain TCP (a local relay, or tests).
        case none
        /// Plain TCP upgraded with STARTTLS (RFC 3207) before anything else; a server
        /// that does not offer it is an error (never falls back to plain text).
        case startTLS = "starttls"
        /// TLS from the first byte ("SMTPS", usually port 465).
        case implicitTLS = "tls"
    }

    /// User name and password for AUTH PLAIN or LOGIN (RFC 4954, 4616).
    public struct Credentials: Sendable, Hashable, CustomStringConvertible {
        public var username: String
        public var password: String

        public init(username: String, password: String) {
            self.username = username
            self.password = password
        }

        /// Never shows the password.
        public var description: String { "Credentials(username: \(username), password: <redacted>)" }
    }

    /// The name sent with EHLO (the client's host name; RFC 5321 4.1.1.1).
    public var heloName: String
    public var security: Security
    public var credentials: Credentials?
    /// Send credentials over a connection without TLS (off by default: a password is
    /// never sent in clear unless asked for).
    public var allowPlaintextAuth: Bool

    public init(
        heloName: String = "localhost", security: Security = .none, credentials: Credentials? = nil,
        allowPlaintextAuth: Bool = false
    ) {
        self.heloName = heloName
        self.security = security
        self.credentials = credentials
        self.allowPlaintextAuth = allowPlaintextAuth
    }
}
