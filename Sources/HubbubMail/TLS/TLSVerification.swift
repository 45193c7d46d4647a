/// How the client checks the server's certificate after STARTTLS (or implicit TLS).
public enum TLSVerification: Sendable, Hashable {
    /// Against the system's trust store (OpenSSL's default paths), with the host name
    /// (or IP address) checked against the certificate: the default.
    case system
    /// Against the CA certificates in a PEM file (a private CA, tests), host checked too.
    case caFile(String)
    /// Not at all (`--smtp-insecure-skip-verify`: tests and local relays only; the
    /// connection is encrypted but anyone in the path can read it).
    case none
}
