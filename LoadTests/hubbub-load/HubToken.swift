import Glibc
import HubbubAuth

/// The HS256 token of connection i's user (`sub` = `--user-prefix` + i), minted in
/// process with the secret the server verifies with, sent as `Authorization: Bearer`
/// on the upgrade.
enum HubToken {
    static func mint(for index: Int, settings: HubSettings) -> String {
        let now = Int64(time(nil))
        let claims = JWTClaims(
            subject: settings.userID(index), name: HubSeed.displayName(index: index),
            expiresAt: now + settings.tokenLifetime, issuedAt: now)
        return JWTSigner.hs256(claims: claims, secret: settings.jwtSecret)
    }
}
