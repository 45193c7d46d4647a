import Foundation

/// The embedded default's token secret: with no `--jwt-secret`, `HUBBUB_JWT_SECRET` or
/// `--jwt-public-key`, `hubbub serve` creates a random HS256 secret in the data directory
/// (`jwt-secret`, mode 0600) and `hubbub token` signs with it, so a newcomer needs no
/// key management to try the hub. Production configures its own keys.
enum DevelopmentSecret {
    static let fileName = "jwt-secret"

    static func path(in directory: DataDirectory) -> String {
        directory.path.hasSuffix("/") ? directory.path + fileName : directory.path + "/" + fileName
    }

    /// The secret stored in `directory`, if there is one.
    static func load(in directory: DataDirectory) -> String? {
        guard let data = FileManager.default.contents(atPath: path(in: directory)),
            let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
            text.utf8.count >= 32
        else { return nil }
        return text
    }

    /// The stored secret, created (32 random bytes, hex) when missing.
    static func loadOrCreate(in directory: DataDirectory) throws -> String {
        if let existing = load(in: directory) { return existing }
        try FileManager.default.createDirectory(
            atPath: directory.path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var generator = SystemRandomNumberGenerator()
        let secret = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        let created = FileManager.default.createFile(
            atPath: path(in: directory), contents: Data((secret + "\n").utf8), attributes: [.posixPermissions: 0o600])
        guard created else { throw CocoaError(.fileWriteUnknown) }
        return secret
    }
}
