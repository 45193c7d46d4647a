import ArgumentParser
import Glibc
import HubbubAuth

/// `hubbub token`: prints an HS256 token for development, signed with the
/// same secret `hubbub serve --jwt-secret` will verify with.
struct Token: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a signed HS256 JWT for development (claims: sub, name, iat, exp)."
    )

    @Option(help: "The HS256 secret (at least 32 bytes, as the server requires).")
    var secret: String

    @Option(help: "The user id (the token's sub claim).")
    var user: String

    @Option(help: "The display name (the token's name claim).")
    var name: String?

    @Option(help: "Lifetime, e.g. 30m, 12h, 3600 (seconds).")
    var ttl = DurationArgument(seconds: 3600)

    func validate() throws {
        guard secret.utf8.count >= JWTKey.minimumSecretLength else {
            throw ValidationError("--secret must be at least \(JWTKey.minimumSecretLength) bytes (RFC 7518 section 3.2)")
        }
        guard !user.isEmpty else { throw ValidationError("--user must not be empty") }
        guard ttl.nanoseconds >= 1_000_000_000 else { throw ValidationError("--ttl must be at least 1s") }
    }

    func run() throws {
        let now = Int64(time(nil))
        let claims = JWTClaims(
            subject: user, name: name, expiresAt: now + Int64(ttl.nanoseconds / 1_000_000_000), issuedAt: now)
        print(JWTSigner.hs256(claims: claims, secret: Array(secret.utf8)))
    }
}
