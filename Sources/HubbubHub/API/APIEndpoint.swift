import HubbubIO
import HubbubAuth
import HubbubHTTP
import HubbubJSON
import HubbubOps
import HubbubPresence
import HubbubServer
import HubbubStore
import Logging
import Synchronization

/// `/v1/*`: the HTTP API for backend services (protocol/openapi.json). Every request
/// carries an API key (`Authorization: Bearer`); its scopes decide what it may do, and
/// each key has its own rate limit.
public struct APIEndpoint: AsyncHTTPEndpoint {
    let hub: Hub
    let keyring: APIKeyring
    let limiter: APIRateLimiter

    public init(hub: Hub, keys: [APIKey], requestsPerSecond: Double = 100, burst: Int = 200) {
        self.hub = hub
        self.keyring = APIKeyring(keys)
        self.limiter = APIRateLimiter(ratePerSecond: requestsPerSecond, burst: burst)
    }

    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        let apiRequest = APIRequest(request)
        let logger = hub.logger.withCorrelationID(CorrelationID(validating: apiRequest.correlationID) ?? .generate())
        var response: HTTPResponse
        var keyName = "-"
        do throws(APIError) {
            let route = try APIRoute.match(method: request.method, path: request.path).get()
            let key = try authenticate(request, for: route)
            keyName = key.name
            try limiter.admit(key.name)
            response = try await handle(route, request: apiRequest, key: key)
        } catch {
            if error.status.code >= 500 {
                logger.error("API request failed", metadata: ["path": "\(request.path)", "code": "\(error.code)"])
            }
            response = error.response
        }
        // Method, path, status and key name only: never the body or the key itself.
        logger.info("api request", metadata: [
            "method": "\(request.method)", "path": "\(request.path)", "status": "\(response.status.code)", "key": "\(keyName)",
        ])
        response.headers.replaceOrAdd(name: "X-Correlation-ID", value: apiRequest.correlationID)
        return response
    }

    private func authenticate(_ request: HTTPRequest, for route: APIRoute) throws(APIError) -> APIKey {
        guard let header = request.headers["Authorization"] else {
            throw APIError(.unauthorized, "unauthorized", "missing Authorization: Bearer <API key>")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", let key = keyring.key(for: String(parts[1])) else {
            throw APIError(.unauthorized, "unauthorized", "unknown API key")
        }
        guard key.allows(route.scope) else {
            throw APIError(.forbidden, "forbidden", "the key \(key.name) lacks the \(route.scope.rawValue) scope")
        }
        return key
    }

    private func handle(_ route: APIRoute, request: APIRequest, key: APIKey) async throws(APIError) -> HTTPResponse {
        switch route {
        case .publish(let room): return try await publish(room: room, request: request, key: key)
        case .publishBatch: return try await publishBatch(request: request, key: key)
        case .presence(let room): return try await presence(room: room)
        case .events(let room): return try await events(room: room, request: request)
        case .listProjects: return try await listProjects()
        case .getProject(let id): return try await getProject(id)
        case .putProject(let id): return try await putProject(id, request: request)
        case .deleteProject(let id): return try await deleteProject(id)
        case .listMembers(let id): return try await listMembers(id)
        case .putMember(let id, let userID): return try await putMember(id, userID: userID, request: request)
        case .deleteMember(let id, let userID): return try await deleteMember(id, userID: userID)
        case .listColumns(let id): return try await listColumns(id)
        case .putColumn(let id, let columnID): return try await putColumn(id, columnID: columnID, request: request)
        case .deleteColumn(let id, let columnID): return try await deleteColumn(id, columnID: columnID)
        case .board(let id): return try await board(id)
        case .createCard(let id): return try await createCard(id, request: request, key: key)
        case .updateCard(let id, let cardID): return try await updateCard(id, cardID: cardID, request: request, key: key)
        case .moveCard(let id, let cardID): return try await moveCard(id, cardID: cardID, request: request, key: key)
        case .deleteCard(let id, let cardID): return try await deleteCard(id, cardID: cardID, request: request, key: key)
        case .disconnectUser(let userID): return try await disconnect(userID: userID, request: request)
        }
    }

    /// A JSON response.
    static func json(_ status: HTTPStatus, _ write: (inout JSONOutput) -> Void) -> HTTPResponse {
        var out = JSONOutput(capacity: 512)
        write(&out)
        return HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: out.bytes)
    }

    static let noContent = HTTPResponse(status: .noContent)
}

/// Requests per second per key; over it, 429 with `Retry-After`.
final class APIRateLimiter: Sendable {
    private let buckets = Mutex<[String: TokenBucket]>([:])
    private let ratePerSecond: Double
    private let burst: Int

    init(ratePerSecond: Double, burst: Int) {
        self.ratePerSecond = ratePerSecond
        self.burst = burst
    }

    func admit(_ keyName: String) throws(APIError) {
        let now = MonotonicClock.now()
        let decision = buckets.withLock { buckets in
            var bucket = buckets[keyName] ?? TokenBucket(ratePerSecond: ratePerSecond, burst: burst)
            let decision = bucket.consume(now: now)
            buckets[keyName] = bucket
            return decision
        }
        if case .limited(let retryAfter) = decision {
            throw APIError(
                .tooManyRequests, "rate_limited", "the key \(keyName) is limited to \(ratePerSecond) requests per second",
                retryAfterSeconds: max(1, Int((retryAfter + 999_999_999) / 1_000_000_000)))
        }
    }
}
