/// A request method. Methods are case-sensitive: `get` is not `GET`.
///
/// Equality compares ``name``, so `.other("GET") == .get`.
public enum HTTPMethod: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// A standard method.
    case get, head, post, put, patch, delete, options
    /// Any other method token, such as `CONNECT`, `TRACE` or an extension method.
    case other(String)

    /// The method for `name`, using the named cases for the standard methods.
    public init(name: String) {
        switch name {
        case "GET": self = .get
        case "HEAD": self = .head
        case "POST": self = .post
        case "PUT": self = .put
        case "PATCH": self = .patch
        case "DELETE": self = .delete
        case "OPTIONS": self = .options
        default: self = .other(name)
        }
    }

    /// The method token as sent on the wire, e.g. `"GET"`.
    public var name: String {
        switch self {
        case .get: "GET"
        case .head: "HEAD"
        case .post: "POST"
        case .put: "PUT"
        case .patch: "PATCH"
        case .delete: "DELETE"
        case .options: "OPTIONS"
        case .other(let name): name
        }
    }

    public var description: String { name }

    public static func == (lhs: HTTPMethod, rhs: HTTPMethod) -> Bool {
        lhs.name == rhs.name
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
    }
}
