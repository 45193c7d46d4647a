import Foundation
import HubbubStore

/// An open store plus the lookups every admin command needs before it writes.
struct AdminSession: Sendable {
    let store: any Store

    /// The project, or a failure naming it.
    func requireProject(_ id: String) async throws -> Project {
        guard let project = try await store.project(id: id) else {
            throw AdminError.failure("project \(id) does not exist (see 'hubbub admin project list')")
        }
        return project
    }

    /// The current time in unix milliseconds, for the commands given to `commit`.
    static func nowMillis() -> Int64 {
        Int64((Date().timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// A new correlation id for the events one admin invocation causes.
    static func correlationID() -> String {
        "admin-" + UUID().uuidString.lowercased()
    }
}
