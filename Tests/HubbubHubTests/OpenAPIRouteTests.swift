import Foundation
import HubbubHTTP
import HubbubJSON
import Testing

@testable import HubbubHub

/// `protocol/openapi.json` documents exactly the routes of `APIRoute.table`: a route
/// added (or removed) on one side only fails here.
@Suite struct OpenAPIRouteTests {
    /// Paths the document describes that are not `/v1` routes of the API endpoint.
    static let outsideTheAPI: Set<String> = ["/healthz", "/readyz"]
    static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    struct Route: Hashable, CustomStringConvertible {
        var method: String
        var template: String
        var description: String { "\(method) \(template)" }
    }

    static func document() throws -> JSONValue {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("protocol/openapi.json")
        let bytes = Array(try Data(contentsOf: url))
        return try #require(JSONParser.parse(bytes), "protocol/openapi.json is not JSON the hub's parser accepts")
    }

    /// Every (method, path template) of the document's `paths`, outside /healthz and /readyz.
    static func documentedRoutes() throws -> [Route] {
        let document = try document()
        guard case .object(let paths)? = document["paths"] else {
            Issue.record("openapi.json has no paths object")
            return []
        }
        var routes: [Route] = []
        for (path, item) in paths where !outsideTheAPI.contains(path) {
            guard case .object(let operations) = item else {
                Issue.record("paths[\(path)] is not an object")
                continue
            }
            for method in operations.keys where methods.contains(method) {
                routes.append(Route(method: method.uppercased(), template: path))
            }
        }
        return routes
    }

    static var tableRoutes: [Route] {
        APIRoute.table.map { Route(method: $0.method, template: $0.template) }
    }

    @Test func theDocumentIsOpenAPI31() throws {
        let document = try Self.document()
        #expect(document["openapi"]?.stringValue == "3.1.0")
    }

    @Test func everyTableRouteIsDocumented() throws {
        let documented = Set(try Self.documentedRoutes())
        let missing = Self.tableRoutes.filter { !documented.contains($0) }
        #expect(missing.isEmpty, "routes of APIRoute.table that protocol/openapi.json does not document: \(missing)")
    }

    @Test func everyDocumentedRouteIsInTheTable() throws {
        let table = Set(Self.tableRoutes)
        let extra = try Self.documentedRoutes().filter { !table.contains($0) }
        #expect(extra.isEmpty, "operations of protocol/openapi.json that APIRoute.table does not have: \(extra)")
    }

    @Test func theTableHasNoDuplicates() {
        #expect(Set(Self.tableRoutes).count == APIRoute.table.count)
    }

    /// The document's templates are matched by the router: each one, filled with sample
    /// values, routes to an operation of the same method (and no other method matches).
    @Test func documentedTemplatesRoute() throws {
        let documented = try Self.documentedRoutes()
        var byPath: [String: Set<String>] = [:]
        for route in documented { byPath[route.template, default: []].insert(route.method) }
        for (template, methods) in byPath {
            let path = template.replacingOccurrences(of: #"\{[a-z_]+\}"#, with: "x1", options: .regularExpression)
            for method in ["GET", "PUT", "POST", "DELETE", "PATCH"] {
                let result = APIRoute.match(method: HTTPMethod(name: method), path: path)
                switch result {
                case .success:
                    #expect(methods.contains(method), "\(method) \(path) routes but \(template) documents only \(methods.sorted())")
                case .failure(let error):
                    #expect(!methods.contains(method), "\(method) \(path) (\(template)) does not route: \(error.code)")
                    if !methods.contains(method) { #expect(error.status.code == 405, "\(method) \(path): \(error.status.code)") }
                }
            }
        }
    }
}
