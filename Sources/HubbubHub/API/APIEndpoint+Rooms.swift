import HubbubAuth
import HubbubHTTP
import HubbubIO
import HubbubJSON
import HubbubPresence
import HubbubStore

extension APIEndpoint {
    /// The largest `payload` of a published event, as compact JSON (protocol/README.md 5).
    static let maxPayloadBytes = 16 * 1024
    static let maxBatch = 100

    /// One event to publish, validated.
    struct Publication {
        var room: String
        var type: String
        var payload: JSONValue
        var durable: Bool
        var notify: [String]
        var correlationID: String
        var idempotencyKey: String?
    }

    func publication(room: String, _ body: [String: JSONValue], idempotencyKey: String?, correlationID: String) throws(APIError)
        -> Publication
    {
        try APIValidation.entityID(room, "/room")
        guard let type = try body.string("type", maxBytes: 64), Self.isCustomType(type) else {
            throw APIError.invalid("/type", "type must be custom.<segment>[.<segment>...] of a-z 0-9 _, at most 64 characters")
        }
        guard case .object = body["payload"] ?? .object([:]) else { throw APIError.invalid("/payload", "payload must be an object") }
        let payload = body["payload"] ?? .object([:])
        let size = payload.compactBytes.count
        guard size <= Self.maxPayloadBytes else {
            throw APIError(.payloadTooLarge, "too_large", "payload is \(size) bytes; the limit is \(Self.maxPayloadBytes)",
                           details: .object(["field": .string("/payload")]))
        }
        var durable = true
        if let value = body["durable"] {
            guard case .bool(let flag) = value else { throw APIError.invalid("/durable", "durable must be a boolean") }
            durable = flag
        }
        var notify: [String] = []
        if let value = body["notify"] {
            guard case .array(let items) = value, items.count <= 1000 else {
                throw APIError.invalid("/notify", "notify must be an array of at most 1000 user ids")
            }
            for item in items {
                guard case .string(let userID) = item else { throw APIError.invalid("/notify", "notify holds user ids") }
                try APIValidation.userID(userID, "/notify")
                notify.append(userID)
            }
        }
        let correlation = try body.string("correlation_id", required: false, maxBytes: 128) ?? correlationID
        try APIValidation.visibleASCII(correlation, "/correlation_id")
        if let idempotencyKey { try APIValidation.visibleASCII(idempotencyKey, "Idempotency-Key") }
        return Publication(
            room: room, type: type, payload: payload, durable: durable, notify: notify, correlationID: correlation,
            idempotencyKey: idempotencyKey)
    }

    /// The `conn_id` of a service's relays: `svc_` and the key's name, cut to the 64
    /// characters a conn_id may have.
    static func serviceConnID(_ name: String) -> String {
        String(("svc_" + name).prefix(64))
    }

    static func isCustomType(_ type: String) -> Bool {
        let segments = type.split(separator: ".", omittingEmptySubsequences: false)
        guard segments.count >= 2, segments[0] == "custom", type.utf8.count <= 64 else { return false }
        return segments.dropFirst().allSatisfy { segment in
            !segment.isEmpty && segment.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
        }
    }

    /// Publishes one event: durable (stored, numbered, fanned out) or ephemeral (relayed).
    /// The status and the response body's `event`.
    func perform(_ publication: Publication, key: APIKey) async -> Result<(HTTPStatus, [UInt8]), APIError> {
        let room = hub.room(publication.room)
        guard publication.durable else {
            let json = ServerMessage.ephemeralRelay(
                room: publication.room, key: publication.type, data: publication.payload, actor: .service(key.name),
                connID: Self.serviceConnID(key.name), nowMillis: WallClock.nowMillis())
            switch await room.relayFromService(
                coalesceKey: Self.serviceConnID(key.name) + "\u{1F}" + publication.type,
                senderConnID: Self.serviceConnID(key.name), json: json)
            {
            case .success: return .success((.accepted, Array("{}".utf8)))
            case .failure(let error): return .failure(APIError(error))
            }
        }
        // Rows only for the users who are offline now; the request (and its fingerprint)
        // keeps the list as sent.
        var online: Set<String> = []
        for userID in publication.notify where await hub.isOnline(userID) { online.insert(userID) }
        let command = Command(
            room: publication.room, actor: .service(key.name),
            requestKey: publication.idempotencyKey.map { IdempotencyKey(scope: "service:" + key.name, key: $0) },
            correlationID: publication.correlationID,
            kind: .custom(
                type: publication.type, payload: String(decoding: publication.payload.compactBytes, as: UTF8.self),
                notify: publication.notify),
            time: WallClock.nowMillis(), skipNotify: online)
        return await commit(command, in: room)
    }

    /// Commits a service command through its room; 201 (or 200 for an idempotent retry)
    /// with the stored event's envelope.
    func commit(_ command: Command, in room: Room, created: HTTPStatus = .created) async -> Result<(HTTPStatus, [UInt8]), APIError> {
        switch await room.submit(command) {
        case .failure(let error):
            return .failure(APIError(error))
        case .success(let outcome):
            switch outcome {
            case .stored(let event): return .success((created, ServerMessage.event(event)))
            case .duplicate(let event): return .success((.ok, ServerMessage.event(event)))
            case .keyReused:
                return .failure(APIError(.conflict, "idempotency_key_reused", "this Idempotency-Key was used for a different request"))
            case .conflict(let card):
                var out = JSONOutput()
                WireJSON.writeCard(card, to: &out)
                return .failure(APIError(.conflict, "conflict", "card \(card.id) is at version \(card.version)",
                                         details: .object(["card": JSONParser.parse(out.bytes) ?? .null])))
            case .notFound(let missing):
                switch missing {
                case .project(let id): return .failure(.notFound("no project \(id)"))
                case .card(let id): return .failure(.notFound("no card \(id)"))
                case .column(let id): return .failure(.notFound("no column \(id)"))
                }
            case .rejected(let error):
                if error.code == .alreadyExists { return .failure(APIError(.conflict, "already_exists", error.message)) }
                if error.code == .invalidArgument { return .failure(APIError(.unprocessableContent, "invalid_field", error.message)) }
                return .failure(APIError(.internalServerError, "internal", "the event could not be stored"))
            }
        }
    }

    func publish(room: String, request: APIRequest, key: APIKey) async throws(APIError) -> HTTPResponse {
        let publication = try publication(
            room: room, try request.object(), idempotencyKey: request.idempotencyKey, correlationID: request.correlationID)
        let (status, event) = try await perform(publication, key: key).get()
        if status == .accepted { return Self.json(.accepted) { $0.beginObject(); $0.endObject() } }
        return Self.json(status) { out in
            out.beginObject()
            out.key("event")
            out.raw(bytes: event)
            out.endObject()
        }
    }

    func publishBatch(request: APIRequest, key: APIKey) async throws(APIError) -> HTTPResponse {
        guard case .array(let items)? = try request.object()["events"], !items.isEmpty, items.count <= Self.maxBatch else {
            throw APIError.invalid("/events", "events must be an array of 1 to \(Self.maxBatch) events")
        }
        var results: [(HTTPStatus, [UInt8]?, APIError?)] = []
        for (index, item) in items.enumerated() {
            do throws(APIError) {
                guard case .object(let body) = item else { throw APIError.invalid("/events/\(index)", "each event is an object") }
                guard let room = try body.string("room", maxBytes: 64) else { throw APIError.invalid("/events/\(index)/room", "room is required") }
                let idempotency = try body.string("idempotency_key", required: false, maxBytes: 128)
                let publication = try publication(
                    room: room, body, idempotencyKey: idempotency, correlationID: request.correlationID + "-\(index)")
                let (status, event) = try await perform(publication, key: key).get()
                results.append((status, status == .accepted ? nil : event, nil))
            } catch {
                results.append((error.status, nil, error))
            }
        }
        return Self.json(.ok) { out in
            out.beginObject()
            out.key("results")
            out.beginArray()
            for (status, event, error) in results {
                out.beginObject()
                out.member("status", status.code)
                if let event {
                    out.key("event")
                    out.raw(bytes: event)
                }
                if let error {
                    out.key("error")
                    out.beginObject()
                    out.member("code", error.code)
                    out.member("message", error.message)
                    out.endObject()
                }
                out.endObject()
            }
            out.endArray()
            out.endObject()
        }
    }

    func presence(room id: String) async throws(APIError) -> HTTPResponse {
        try APIValidation.entityID(id, "/room")
        let store = hub.store
        guard try await self.store({ () throws(StoreError) in try await store.project(id: id) }) != nil else {
            throw .notFound("no project \(id)")
        }
        let snapshot = await hub.room(id).presenceNow()
        return Self.json(.ok) { out in
            out.beginObject()
            out.member("room", id)
            switch snapshot {
            case .full(let entries):
                out.member("mode", "full")
                out.key("presences")
                ServerMessage.writePresences(entries, to: &out)
                ServerMessage.writeCounts(snapshot.counts, to: &out)
            case .counts(let counts):
                out.member("mode", "counts")
                ServerMessage.writeCounts(counts, to: &out)
            }
            out.endObject()
        }
    }

    func events(room id: String, request: APIRequest) async throws(APIError) -> HTTPResponse {
        try APIValidation.entityID(id, "/room")
        guard let since = Int64(request.query("since") ?? "0"), since >= 0 else {
            throw APIError.invalid("since", "since must be an integer >= 0")
        }
        guard let limit = Int(request.query("limit") ?? "100"), (1...1000).contains(limit) else {
            throw APIError.invalid("limit", "limit must be 1 to 1000")
        }
        let store = hub.store
        do {
            guard try await store.project(id: id) != nil else { throw APIError.notFound("no project \(id)") }
            let head = try await store.headSeq(room: id)
            let oldest = try await store.oldestRetainedSeq(room: id)
            if since < head, since + 1 < oldest {
                throw APIError(.conflict, "too_old", "events after \(since) are no longer kept",
                               details: .object(["oldest_seq": .number(JSONNumber(integer: oldest, double: Double(oldest)))]))
            }
            let events = try await store.events(room: id, afterSeq: since, limit: limit)
            return Self.json(.ok) { out in
                out.beginObject()
                out.member("room", id)
                out.member("head_seq", head)
                out.key("events")
                out.beginArray()
                for event in events { out.raw(bytes: ServerMessage.event(event)) }
                out.endArray()
                out.member("next_since", events.last?.seq ?? since)
                out.endObject()
            }
        } catch let error as APIError {
            throw error
        } catch {
            throw APIError(.serviceUnavailable, "unavailable", "the event store is unavailable", retryAfterSeconds: 1)
        }
    }
}
