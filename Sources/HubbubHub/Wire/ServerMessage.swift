import HubbubJSON
import HubbubStore

/// Encoders for every server-to-client message of `hubbub.v1` (protocol/README.md
/// section 4). Each returns the JSON text of one message; a message meant for many
/// connections is encoded once and its frame shared.
enum ServerMessage {
    /// `{"type":"ack","id":…,"result":{…}}`; `result` writes the members of the result object.
    static func ack(id: String, result: (inout JSONOutput) -> Void = { _ in }) -> [UInt8] {
        var out = JSONOutput()
        out.beginObject()
        out.member("type", "ack")
        out.member("id", id)
        out.key("result")
        out.beginObject()
        result(&out)
        out.endObject()
        out.endObject()
        return out.bytes
    }

    /// An ack whose result object is already encoded.
    static func ack(id: String, rawResult: [UInt8]) -> [UInt8] {
        var out = JSONOutput(capacity: rawResult.count + 64)
        out.beginObject()
        out.member("type", "ack")
        out.member("id", id)
        out.key("result")
        out.raw(bytes: rawResult)
        out.endObject()
        return out.bytes
    }

    /// `{"type":"error",…}` for a failed command (`id` nil when it could not be read).
    static func error(id: String?, _ error: ProtocolError) -> [UInt8] {
        var out = JSONOutput()
        out.beginObject()
        out.member("type", "error")
        out.member("id", optional: id)
        out.member("code", error.code.rawValue)
        out.member("message", error.message)
        out.member("retryable", error.code.retryable)
        if let retry = error.retryAfterMilliseconds { out.member("retry_after_ms", retry) }
        if let details = error.details {
            out.key("details")
            out.value(details)
        }
        out.endObject()
        return out.bytes
    }

    static func welcome(connID: String, resumed: Bool, identity: Identity, limits: HubConfiguration, nowMillis: Int64) -> [UInt8] {
        var out = JSONOutput(capacity: 768)
        out.beginObject()
        out.member("type", "welcome")
        out.member("protocol", HubConfiguration.subprotocol)
        out.member("conn_id", connID)
        out.member("resumed", resumed)
        out.key("user")
        out.beginObject()
        out.member("user_id", identity.userID)
        out.member("name", identity.name)
        out.endObject()
        out.member("expires_at", RFC3339.format(unixMillis: identity.expiresAtMillis))
        out.member("server_time", RFC3339.format(unixMillis: nowMillis))
        out.key("limits")
        out.beginObject()
        limits.writeAnnouncedLimits(&out)
        out.endObject()
        out.endObject()
        return out.bytes
    }

    static func tokenExpiring(expiresAtMillis: Int64, secondsLeft: Int) -> [UInt8] {
        var out = JSONOutput()
        out.beginObject()
        out.member("type", "token_expiring")
        out.member("expires_at", RFC3339.format(unixMillis: expiresAtMillis))
        out.member("seconds_left", max(0, secondsLeft))
        out.endObject()
        return out.bytes
    }

    /// A durable room event with its envelope; the payload is the stored JSON, embedded as is.
    static func event(_ event: StoredEvent) -> [UInt8] {
        var out = JSONOutput(capacity: 256 + event.payload.utf8.count)
        out.beginObject()
        out.member("type", event.type)
        out.member("event_id", event.eventID)
        out.member("room", event.room)
        out.member("seq", event.seq)
        out.member("time", RFC3339.format(unixMillis: event.time))
        out.key("actor")
        writeActor(event.actor, to: &out)
        out.member("correlation_id", event.correlationID)
        out.key("payload")
        out.raw(event.payload)
        out.endObject()
        return out.bytes
    }

    static func roomLeft(room: String, reason: String) -> [UInt8] {
        var out = JSONOutput()
        out.beginObject()
        out.member("type", "room_left")
        out.member("room", room)
        out.member("reason", reason)
        out.endObject()
        return out.bytes
    }

    static func writeActor(_ actor: EventActor, to out: inout JSONOutput) {
        out.beginObject()
        switch actor {
        case .user(let id, let name):
            out.member("user_id", id)
            out.member("name", name)
        case .service(let name):
            out.member("service", name)
        }
        out.endObject()
    }
}
