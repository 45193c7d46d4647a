import HubbubAuth
import HubbubHTTP

/// The routes of the HTTP API (protocol/openapi.json), matched from method and path
/// without I/O. Path parameters are percent-decoded.
enum APIRoute: Equatable, Sendable {
    case publish(room: String)
    case publishBatch
    case presence(room: String)
    case events(room: String)
    case listProjects
    case getProject(String)
    case putProject(String)
    case deleteProject(String)
    case listMembers(String)
    case putMember(String, userID: String)
    case deleteMember(String, userID: String)
    case listColumns(String)
    case putColumn(String, columnID: String)
    case deleteColumn(String, columnID: String)
    case board(String)
    case createCard(String)
    case updateCard(String, cardID: String)
    case moveCard(String, cardID: String)
    case deleteCard(String, cardID: String)
    case disconnectUser(String)

    /// What a key needs for the route.
    var scope: APIScope {
        switch self {
        case .publish, .publishBatch: .publish
        case .presence, .events: .read
        default: .admin
        }
    }

    /// Every route: method, path template (`{name}` is one segment), and how to build it
    /// from the segments' values in order. `protocol/openapi.json` documents exactly these
    /// (a test checks both ways).
    static let table: [(method: String, template: String, build: @Sendable ([String]) -> APIRoute)] = [
        ("POST", "/v1/rooms/{room}/events", { .publish(room: $0[0]) }),
        ("GET", "/v1/rooms/{room}/events", { .events(room: $0[0]) }),
        ("GET", "/v1/rooms/{room}/presence", { .presence(room: $0[0]) }),
        ("POST", "/v1/events", { _ in .publishBatch }),
        ("GET", "/v1/projects", { _ in .listProjects }),
        ("GET", "/v1/projects/{project}", { .getProject($0[0]) }),
        ("PUT", "/v1/projects/{project}", { .putProject($0[0]) }),
        ("DELETE", "/v1/projects/{project}", { .deleteProject($0[0]) }),
        ("GET", "/v1/projects/{project}/members", { .listMembers($0[0]) }),
        ("PUT", "/v1/projects/{project}/members/{user_id}", { .putMember($0[0], userID: $0[1]) }),
        ("DELETE", "/v1/projects/{project}/members/{user_id}", { .deleteMember($0[0], userID: $0[1]) }),
        ("GET", "/v1/projects/{project}/columns", { .listColumns($0[0]) }),
        ("PUT", "/v1/projects/{project}/columns/{column_id}", { .putColumn($0[0], columnID: $0[1]) }),
        ("DELETE", "/v1/projects/{project}/columns/{column_id}", { .deleteColumn($0[0], columnID: $0[1]) }),
        ("GET", "/v1/projects/{project}/board", { .board($0[0]) }),
        ("POST", "/v1/projects/{project}/cards", { .createCard($0[0]) }),
        ("PATCH", "/v1/projects/{project}/cards/{card_id}", { .updateCard($0[0], cardID: $0[1]) }),
        ("DELETE", "/v1/projects/{project}/cards/{card_id}", { .deleteCard($0[0], cardID: $0[1]) }),
        ("POST", "/v1/projects/{project}/cards/{card_id}/move", { .moveCard($0[0], cardID: $0[1]) }),
        ("POST", "/v1/users/{user_id}/disconnect", { .disconnectUser($0[0]) }),
    ]

    /// The route for `method` and `path`, or 404 (no template matches the path) / 405
    /// (templates match, none for this method). Parameters are percent-decoded.
    static func match(method: HTTPMethod, path: String) -> Result<APIRoute, APIError> {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        var allowed: [String] = []
        for entry in table {
            guard let values = bind(entry.template, to: segments) else { continue }
            if entry.method == method.description { return .success(entry.build(values)) }
            allowed.append(entry.method)
        }
        if allowed.isEmpty { return .failure(.notFound("no route \(path)")) }
        var error = APIError(
            .methodNotAllowed, "method_not_allowed",
            "\(method) is not allowed on \(path); allowed: \(allowed.sorted().joined(separator: ", "))")
        error.allow = allowed.sorted()
        return .failure(error)
    }

    /// The decoded values of the template's `{parameters}`, or nil if `segments` do not fit it.
    private static func bind(_ template: String, to segments: [String]) -> [String]? {
        let parts = template.split(separator: "/").map(String.init)
        guard parts.count == segments.count else { return nil }
        var values: [String] = []
        for (part, segment) in zip(parts, segments) {
            if part.hasPrefix("{") {
                guard !segment.isEmpty else { return nil }
                values.append(PercentDecoding.decode(segment.utf8))
            } else if part != segment {
                return nil
            }
        }
        return values
    }
}
