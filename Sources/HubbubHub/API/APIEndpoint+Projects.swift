import HubbubWebSocket
import HubbubAuth
import HubbubHTTP
import HubbubJSON
import HubbubStore

/// Projects, members and columns: what an app backend keeps in sync.
extension APIEndpoint {
    /// Runs a store call, mapping its errors to HTTP.
    func store<T: Sendable>(_ body: () async throws(StoreError) -> T) async throws(APIError) -> T {
        do {
            return try await body()
        } catch {
            switch error.code {
            case .notFound: throw APIError.notFound(error.message)
            case .constraint, .alreadyExists: throw APIError(.conflict, "conflict", error.message)
            case .invalidArgument: throw APIError(.unprocessableContent, "invalid_field", error.message)
            default: throw APIError(.serviceUnavailable, "unavailable", "the store is unavailable: \(error.message)", retryAfterSeconds: 1)
            }
        }
    }

    func requireProject(_ id: String) async throws(APIError) -> Project {
        try APIValidation.entityID(id, "/project")
        let store = hub.store
        guard let project = try await self.store({ () throws(StoreError) in try await store.project(id: id) }) else {
            throw APIError.notFound("no project \(id)")
        }
        return project
    }

    static func writeProject(_ project: Project, _ out: inout JSONOutput) {
        out.beginObject()
        out.member("id", project.id)
        out.member("name", project.name)
        out.endObject()
    }

    func listProjects() async throws(APIError) -> HTTPResponse {
        let store = hub.store
        let projects = try await self.store { () throws(StoreError) in try await store.listProjects() }
        return Self.json(.ok) { out in
            out.beginObject()
            out.key("projects")
            out.beginArray()
            for project in projects { Self.writeProject(project, &out) }
            out.endArray()
            out.endObject()
        }
    }

    func getProject(_ id: String) async throws(APIError) -> HTTPResponse {
        let project = try await requireProject(id)
        return Self.json(.ok) { Self.writeProject(project, &$0) }
    }

    func putProject(_ id: String, request: APIRequest) async throws(APIError) -> HTTPResponse {
        try APIValidation.entityID(id, "/id")
        guard let name = try request.object().string("name") else { throw APIError.invalid("/name", "name is required") }
        let store = hub.store
        let existed = try await self.store { () throws(StoreError) in try await store.project(id: id) } != nil
        let project = Project(id: id, name: name)
        try await self.store { () throws(StoreError) in try await store.upsertProject(project) }
        return Self.json(existed ? .ok : .created) { Self.writeProject(project, &$0) }
    }

    func deleteProject(_ id: String) async throws(APIError) -> HTTPResponse {
        _ = try await requireProject(id)
        let store = hub.store
        try await self.store { () throws(StoreError) in try await store.deleteProject(id: id) }
        await hub.room(id).remove(userID: nil, reason: "project_deleted")
        return Self.noContent
    }

    func listMembers(_ id: String) async throws(APIError) -> HTTPResponse {
        _ = try await requireProject(id)
        let store = hub.store
        let members = try await self.store { () throws(StoreError) in try await store.members(projectID: id) }
        return Self.json(.ok) { out in
            out.beginObject()
            out.key("members")
            out.beginArray()
            for member in members { Self.writeMember(member, &out) }
            out.endArray()
            out.endObject()
        }
    }

    static func writeMember(_ member: Member, _ out: inout JSONOutput) {
        out.beginObject()
        out.member("user_id", member.userID)
        out.member("name", member.displayName)
        out.member("username", member.username)
        out.member("email", member.email)
        out.endObject()
    }

    func putMember(_ id: String, userID: String, request: APIRequest) async throws(APIError) -> HTTPResponse {
        _ = try await requireProject(id)
        try APIValidation.userID(userID, "/user_id")
        let body = try request.object()
        guard let name = try body.string("name"), let email = try body.string("email", maxBytes: 254),
            let username = try body.string("username", maxBytes: 32)
        else { throw APIError.invalid("/name", "name, email and username are required") }
        guard email.split(separator: "@", omittingEmptySubsequences: false).count == 2, !email.contains(" ") else {
            throw APIError.invalid("/email", "email must be an address")
        }
        guard MentionParser.candidates(in: "@" + username) == [username] else {
            throw APIError.invalid("/username", "username must match ^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,30}[A-Za-z0-9_])?$")
        }
        let store = hub.store
        let existed = try await self.store { () throws(StoreError) in try await store.member(projectID: id, userID: userID) } != nil
        let member = Member(projectID: id, userID: userID, displayName: name, email: email, username: username)
        try await self.store { () throws(StoreError) in try await store.upsertMember(member) }
        await hub.room(id).reloadMembers()
        return Self.json(existed ? .ok : .created) { Self.writeMember(member, &$0) }
    }

    func deleteMember(_ id: String, userID: String) async throws(APIError) -> HTTPResponse {
        _ = try await requireProject(id)
        let store = hub.store
        guard try await self.store({ () throws(StoreError) in try await store.member(projectID: id, userID: userID) }) != nil else {
            throw APIError.notFound("\(userID) is not a member of \(id)")
        }
        try await self.store { () throws(StoreError) in try await store.removeMember(projectID: id, userID: userID) }
        await hub.room(id).remove(userID: userID, reason: "membership_revoked")
        return Self.noContent
    }

    func listColumns(_ id: String) async throws(APIError) -> HTTPResponse {
        _ = try await requireProject(id)
        let store = hub.store
        let columns = try await self.store { () throws(StoreError) in try await store.columns(projectID: id) }
        return Self.json(.ok) { out in
            out.beginObject()
            out.key("columns")
            out.beginArray()
            for column in columns { Self.writeColumn(column, &out) }
            out.endArray()
            out.endObject()
        }
    }

    static func writeColumn(_ column: Column, _ out: inout JSONOutput) {
        out.beginObject()
        out.member("id", column.id)
        out.member("name", column.name)
        out.member("position", column.position)
        out.endObject()
    }

    func putColumn(_ id: String, columnID: String, request: APIRequest) async throws(APIError) -> HTTPResponse {
        _ = try await requireProject(id)
        try APIValidation.entityID(columnID, "/column_id")
        let body = try request.object()
        guard let name = try body.string("name") else { throw APIError.invalid("/name", "name is required") }
        let store = hub.store
        let columns = try await self.store { () throws(StoreError) in try await store.columns(projectID: id) }
        let existing = columns.first { $0.id == columnID }
        let position = try body.int("position", required: false) ?? existing?.position ?? ((columns.map(\.position).max() ?? -1) + 1)
        let column = Column(projectID: id, id: columnID, name: name, position: position)
        try await self.store { () throws(StoreError) in try await store.upsertColumn(column) }
        return Self.json(existing == nil ? .created : .ok) { Self.writeColumn(column, &$0) }
    }

    func deleteColumn(_ id: String, columnID: String) async throws(APIError) -> HTTPResponse {
        _ = try await requireProject(id)
        let store = hub.store
        try await self.store { () throws(StoreError) in try await store.deleteColumn(projectID: id, columnID: columnID) }
        return Self.noContent
    }

    /// `POST /v1/users/{user_id}/disconnect`: closes every session of the user, with 4003
    /// (reconnect allowed) or, with `"terminal": true`, 4501 (do not reconnect).
    func disconnect(userID: String, request: APIRequest) async throws(APIError) -> HTTPResponse {
        try APIValidation.userID(userID, "/user_id")
        let body = try request.object()
        var terminal = false
        if let value = body["terminal"] {
            guard case .bool(let flag) = value else { throw APIError.invalid("/terminal", "terminal must be a boolean") }
            terminal = flag
        }
        let reason = try body.string("reason", required: false, maxBytes: 100) ?? "disconnected by the server"
        let code = terminal ? HubCloseCode.forbidden : HubCloseCode.disconnected
        let closed = hub.disconnect(userID: userID, code: code.rawValue, reason: reason)
        return Self.json(.ok) { out in
            out.beginObject()
            out.member("disconnected", closed)
            out.endObject()
        }
    }
}
