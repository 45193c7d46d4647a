import HubbubServer
import Logging
import HubbubIO
import HubbubJSON
import HubbubStore
import HubbubWebSocket

extension HubSession {
    /// The connection has an identity for the first time (from the upgrade or `auth`):
    /// enter the directory, honour `resume`, send `welcome`, arm the expiry timers.
    /// Returns false (and closes) when the user holds too many connections.
    @discardableResult
    func authenticated(firstTime: Bool) -> Bool {
        guard let identity, let ref else { return false }
        if firstTime {
            authTimer.map { engine?.cancel($0) }
            authTimer = nil
            guard let first = hub.users.add(ref, userID: identity.userID, limit: hub.configuration.maxConnectionsPerUser) else {
                return false
            }
            inDirectory = true
            if first { hub.cluster?.userArrived(identity.userID) }
            if let resumeRequest, hub.resumes.claim(connID: resumeRequest, userID: identity.userID, now: MonotonicClock.now()) {
                connID = resumeRequest
                resumed = true
            }
        }
        armTokenTimers()
        return true
    }

    func sendWelcome() {
        guard let identity else { return }
        send(ServerMessage.welcome(
            connID: connID, resumed: resumed, identity: identity, limits: hub.configuration, nowMillis: WallClock.nowMillis()))
    }

    /// `token_expiring` `tokenWarning` before `exp` (at once if less is left), close 4001 at `exp`.
    func armTokenTimers() {
        guard let identity, let engine else { return }
        warningTimer.map { engine.cancel($0) }
        expiryTimer.map { engine.cancel($0) }
        let leftMillis = identity.expiresAtMillis - WallClock.nowMillis()
        let left = UInt64(max(0, leftMillis)) * 1_000_000
        let warningDelay = left > hub.configuration.tokenWarning ? left - hub.configuration.tokenWarning : 0
        let expiresAt = identity.expiresAtMillis
        warningTimer = engine.schedule(after: warningDelay) { [weak self] in
            guard let self, self.identity?.expiresAtMillis == expiresAt else { return }
            self.warningTimer = nil
            let secondsLeft = Int((expiresAt - WallClock.nowMillis() + 999) / 1000)
            self.send(ServerMessage.tokenExpiring(expiresAtMillis: expiresAt, secondsLeft: secondsLeft))
        }
        expiryTimer = engine.schedule(after: left) { [weak self] in
            guard let self, self.identity?.expiresAtMillis == expiresAt else { return }
            self.expiryTimer = nil
            self.close(HubCloseCode.tokenExpired, "token expired")
        }
    }

    /// `auth`: the first one authenticates, later ones refresh the token (same `sub`).
    func handleAuth(id: String, token: String) {
        switch hub.authenticator.identity(from: token, nowMillis: WallClock.nowMillis()) {
        case .failure(let error):
            reply(id: id, error)
            if identity == nil { close(HubCloseCode.authenticationFailed, "authentication failed") }
        case .success(let fresh):
            if let current = identity {
                guard current.userID == fresh.userID else {
                    reply(id: id, Authenticator.unauthorized(
                        reason: "subject_mismatch", "a refreshed token must be for the same user"))
                    return
                }
                identity = fresh
                armTokenTimers()
                send(Self.authResult(id: id, fresh))
                return
            }
            identity = fresh
            guard authenticated(firstTime: true) else {
                identity = nil
                let max = hub.configuration.maxConnectionsPerUser
                reply(id: id, ProtocolError(
                    .limitExceeded, "this user already holds \(max) connections",
                    details: .object(["limit": .string("max_connections_per_user"), "max": .number(JSONNumber(integer: Int64(max), double: Double(max)))])))
                close(HubCloseCode.tooManyConnections, "too many connections for this user")
                return
            }
            send(Self.authResult(id: id, fresh))
            sendWelcome()
        }
    }

    static func authResult(id: String, _ identity: Identity) -> [UInt8] {
        ServerMessage.ack(id: id) { out in
            out.member("user_id", identity.userID)
            out.member("name", identity.name)
            out.member("expires_at", RFC3339.format(unixMillis: identity.expiresAtMillis))
        }
    }
}
