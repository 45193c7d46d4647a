import HubbubHTTP
import HubbubIO
import HubbubJSON
import HubbubServer
import HubbubStore
import HubbubWebSocket

/// `/ws`: the `hubbub.v1` endpoint. A token on the upgrade (`Authorization: Bearer` or
/// `?token=`) is checked before the 101, so a bad one gets HTTP 401 and no WebSocket
/// (protocol/README.md section 1.3); without one the session waits for `auth`.
public struct HubEndpoint: WebSocketEndpoint {
    let hub: Hub

    public var subprotocols: [String] { [HubConfiguration.subprotocol] }
    public var requireSubprotocol: Bool { true }
    public var limits: WebSocketLimits { hub.configuration.webSocket }
    public var slowConsumerCloseCode: WebSocketCloseCode? { HubCloseCode.slowConsumer }

    public func makeSession(request: HTTPRequest, subprotocol: String?) -> any WebSocketSession {
        HubSession(hub: hub, identity: nil, resume: request.queryItem("resume"))
    }

    public func open(request: HTTPRequest, subprotocol: String?) -> WebSocketOpening {
        guard let token = Self.token(in: request) else { return .accept(makeSession(request: request, subprotocol: subprotocol)) }
        switch hub.authenticator.identity(from: token, nowMillis: WallClock.nowMillis()) {
        case .failure(let error):
            return .refuse(Self.refusal(.unauthorized, code: "unauthorized", message: error.message,
                                        reason: error.details?["reason"]?.stringValue))
        case .success(let identity):
            if hub.users.count(of: identity.userID) >= hub.configuration.maxConnectionsPerUser {
                return .refuse(Self.refusal(
                    .tooManyRequests, code: "user_connection_limit",
                    message: "this user already holds \(hub.configuration.maxConnectionsPerUser) connections", reason: nil))
            }
            return .accept(HubSession(hub: hub, identity: identity, resume: request.queryItem("resume")))
        }
    }

    /// The token from the `Authorization: Bearer` header, else the `token` query parameter.
    static func token(in request: HTTPRequest) -> String? {
        if let authorization = request.headers["Authorization"] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                return parts[1].trimmingCharacters(in: " \t")
            }
        }
        return request.queryItem("token")
    }

    /// A refused upgrade: the status and `{"error": {"code", "message", "reason"?}}`.
    static func refusal(_ status: HTTPStatus, code: String, message: String, reason: String?) -> HTTPResponse {
        var out = JSONOutput()
        out.beginObject()
        out.key("error")
        out.beginObject()
        out.member("code", code)
        out.member("message", message)
        if let reason { out.member("reason", reason) }
        out.endObject()
        out.endObject()
        return HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: out.bytes)
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var text = self
        while let first = text.first, set.contains(first) { text.removeFirst() }
        while let last = text.last, set.contains(last) { text.removeLast() }
        return String(text)
    }
}
