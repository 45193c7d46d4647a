import ArgumentParser
import Glibc
import HubbubAuth

/// `hubbub token`: prints an HS256 token for development, signed with the
/// same secret `hubbub serve --jwt-secret` will verify with.
struct Token: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a signed HS256 JWT for development (claims: sub, name, iat, exp)."
    )

    @Option(help: "The HS256 secret (at least 32 bytes); default: $HUBBUB_JWT_SECRET, else the development secret `hubbub serve` created in the data directory.")
    var secret: String?

    @Option(help: "Data directory holding the development secret (default ./hubbub-data, or $HUBBUB_DATA_DIR).")
    var dataDir: String?

    @Option(help: "The user id (the token's sub claim).")
    var user: String

    @Option(help: "The display name (the token's name claim; default: the user id).")
    var name: String?

    @Option(help: "Lifetime, e.g. 30m, 12h, 3600 (seconds).")
    var ttl = DurationArgument(seconds: 3600)

    func validate() throws {
        if let secret, secret.utf8.count < JWTKey.minimumSecretLength {
            throw ValidationError("--secret must be at least \(JWTKey.minimumSecretLength) bytes (RFC 7518 section 3.2)")
        }
        guard !user.isEmpty else { throw ValidationError("--user must not be empty") }
        guard ttl.nanoseconds >= 1_000_000_000 else { throw ValidationError("--ttl must be at least 1s") }
    }

    func run() throws {
        let directory = DataDirectory(flag: dataDir)
        let environment = getenv("HUBBUB_JWT_SECRET").map { String(cString: $0) }
        guard let secret = secret ?? environment ?? DevelopmentSecret.load(in: directory) else {
            throw ValidationError(
                "no secret: pass --secret, set HUBBUB_JWT_SECRET, or run `hubbub serve` once to create \(DevelopmentSecret.path(in: directory))")
        }
        guard secret.utf8.count >= JWTKey.minimumSecretLength else {
            throw ValidationError("the secret must be at least \(JWTKey.minimumSecretLength) bytes")
        }
        let now = Int64(time(nil))
        let claims = JWTClaims(
            subject: user, name: name ?? user, expiresAt: now + Int64(ttl.nanoseconds / 1_000_000_000), issuedAt: now)
        print(JWTSigner.hs256(claims: claims, secret: Array(secret.utf8)))
    }
}
