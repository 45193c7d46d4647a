import HubbubHTTP

/// Maps a request path to an endpoint. Built once at start-up, then read-only.
public struct Router: Sendable {
    public enum Route: Sendable {
        case webSocket(any WebSocketEndpoint)
        case http(any HTTPEndpoint)
        case asyncHTTP(any AsyncHTTPEndpoint)
    }

    private var routes: [String: Route] = [:]
    /// Routes for every path under a prefix (ending in `/`), longest prefix first.
    private var prefixes: [(prefix: String, route: Route)] = []

    public init() {}

    /// `path` exactly; a path ending in `/*` (e.g. `/v1/*`) takes every path under it.
    public mutating func add(_ path: String, _ route: Route) {
        if path.hasSuffix("/*") {
            prefixes.append((String(path.dropLast()), route))
            prefixes.sort { $0.prefix.count > $1.prefix.count }
        } else {
            routes[path] = route
        }
    }

    public func route(for path: String) -> Route? {
        if let route = routes[path] { return route }
        return prefixes.first { path.hasPrefix($0.prefix) }?.route
    }

    public var paths: [String] { (Array(routes.keys) + prefixes.map { $0.prefix + "*" }).sorted() }
}
