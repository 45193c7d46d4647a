import HubbubHTTP

/// Maps a request path to an endpoint. Built once at start-up, then read-only.
public struct Router: Sendable {
    public enum Route: Sendable {
        case webSocket(any WebSocketEndpoint)
        case http(any HTTPEndpoint)
    }

    private var routes: [String: Route] = [:]

    public init() {}

    public mutating func add(_ path: String, _ route: Route) {
        routes[path] = route
    }

    public func route(for path: String) -> Route? {
        routes[path]
    }

    public var paths: [String] { routes.keys.sorted() }
}
