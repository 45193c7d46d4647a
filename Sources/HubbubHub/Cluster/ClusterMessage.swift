import HubbubJSON
import HubbubPresence

/// What one node tells the others on a room's channel (`room:<id>`) or the personal
/// channel (`personal`). Pure encoding and decoding, no I/O.
///
/// Wire form: one kind byte, then a JSON object; relayed frames follow their header
/// object after a newline (JSON text never holds a raw newline). Events and relayed
/// frames carry the exact JSON clients receive, so a receiving node wraps the same
/// bytes in one WebSocket frame for all its recipients. docs/redis.md describes the
/// channels.
enum ClusterMessage: Equatable, Sendable {
    /// A stored event of the room: `frame` is its `event` message as clients get it.
    case event(RemoteEvent)
    /// A connection of another node joined the room, or changed its state.
    case presenceJoin(PresenceJoin)
    /// A connection of another node left the room (`graceful`: the connection ended, the
    /// user keeps presence for the grace period; otherwise an explicit leave).
    case presenceLeave(node: String, connID: String, graceful: Bool)
    /// An ephemeral signal relayed to the room (never stored).
    case ephemeral(node: String, senderConnID: String, coalesceKey: String, frame: [UInt8])
    /// A personal message (a `mention`) for every connection of a user.
    case personal(node: String, userID: String, frame: [UInt8])
    /// Take the user's sessions (every session when nil) out of the room (`room_left`):
    /// membership revoked or project deleted, over the HTTP API of some node.
    case removeFromRoom(node: String, userID: String?, reason: String)
    /// The room's members changed: read them again.
    case membersChanged(node: String)
    /// Close every session of the user with `code` (the HTTP API's disconnect).
    case disconnect(node: String, userID: String, code: UInt16, reason: String)

    struct RemoteEvent: Equatable, Sendable {
        var seq: Int64
        var type: String
        /// The event's `payload` object.
        var payload: JSONValue?
        var frame: [UInt8]
    }

    struct PresenceJoin: Equatable, Sendable {
        var node: String
        var connID: String
        var userID: String
        var name: String
        var username: String?
        var state: PresenceValue
        var joinedAt: Int64
    }

    private enum Kind: UInt8 {
        case event = 0x45  // E
        case join = 0x4A  // J
        case leave = 0x4C  // L
        case ephemeral = 0x58  // X
        case personal = 0x4D  // M
        case remove = 0x52  // R
        case members = 0x43  // C
        case disconnect = 0x44  // D
    }

    // MARK: Encoding

    /// The broker payload of an event whose client message is `frame`.
    static func encodeEvent(frame: [UInt8]) -> [UInt8] {
        [Kind.event.rawValue] + frame
    }

    func encoded() -> [UInt8] {
        var out = JSONOutput(capacity: 256)
        let kind: Kind
        switch self {
        case .event(let event):
            return Self.encodeEvent(frame: event.frame)
        case .presenceJoin(let join):
            kind = .join
            out.beginObject()
            out.member("node", join.node)
            out.member("conn", join.connID)
            out.member("user", join.userID)
            out.member("name", join.name)
            out.member("username", optional: join.username)
            out.key("state")
            out.raw(join.state.jsonText)
            out.member("joined_at", join.joinedAt)
            out.endObject()
        case .presenceLeave(let node, let connID, let graceful):
            kind = .leave
            out.beginObject()
            out.member("node", node)
            out.member("conn", connID)
            out.member("graceful", graceful)
            out.endObject()
        case .ephemeral(let node, let sender, let key, let frame):
            kind = .ephemeral
            out.beginObject()
            out.member("node", node)
            out.member("conn", sender)
            out.member("key", key)
            out.endObject()
            return [kind.rawValue] + out.bytes + [0x0A] + frame
        case .personal(let node, let userID, let frame):
            kind = .personal
            out.beginObject()
            out.member("node", node)
            out.member("user", userID)
            out.endObject()
            return [kind.rawValue] + out.bytes + [0x0A] + frame
        case .removeFromRoom(let node, let userID, let reason):
            kind = .remove
            out.beginObject()
            out.member("node", node)
            out.member("user", optional: userID)
            out.member("reason", reason)
            out.endObject()
        case .membersChanged(let node):
            kind = .members
            out.beginObject()
            out.member("node", node)
            out.endObject()
        case .disconnect(let node, let userID, let code, let reason):
            kind = .disconnect
            out.beginObject()
            out.member("node", node)
            out.member("user", userID)
            out.member("code", Int(code))
            out.member("reason", reason)
            out.endObject()
        }
        return [kind.rawValue] + out.bytes
    }

    // MARK: Decoding

    /// The message, or nil for bytes no node of this version sends (ignored and counted).
    static func decode(_ bytes: [UInt8]) -> ClusterMessage? {
        guard let first = bytes.first, let kind = Kind(rawValue: first) else { return nil }
        var body = Array(bytes.dropFirst())
        var frame: [UInt8] = []
        if kind == .ephemeral || kind == .personal {
            guard let newline = body.firstIndex(of: 0x0A) else { return nil }
            frame = Array(body[(newline + 1)...])
            body = Array(body[..<newline])
        }
        guard case .object(let object)? = JSONParser.parse(body) else { return nil }
        switch kind {
        case .event:
            guard let seq = object["seq"]?.integer, let type = object["type"]?.stringValue else { return nil }
            return .event(RemoteEvent(seq: seq, type: type, payload: object["payload"], frame: body))
        case .join:
            guard let node = object["node"]?.stringValue, let connID = object["conn"]?.stringValue,
                let userID = object["user"]?.stringValue, let name = object["name"]?.stringValue,
                let state = object["state"], let joinedAt = object["joined_at"]?.integer
            else { return nil }
            return .presenceJoin(PresenceJoin(
                node: node, connID: connID, userID: userID, name: name, username: object["username"]?.stringValue,
                state: PresenceValue(json: state), joinedAt: joinedAt))
        case .leave:
            guard let node = object["node"]?.stringValue, let connID = object["conn"]?.stringValue,
                case .bool(let graceful)? = object["graceful"]
            else { return nil }
            return .presenceLeave(node: node, connID: connID, graceful: graceful)
        case .ephemeral:
            guard let node = object["node"]?.stringValue, let sender = object["conn"]?.stringValue,
                let key = object["key"]?.stringValue
            else { return nil }
            return .ephemeral(node: node, senderConnID: sender, coalesceKey: key, frame: frame)
        case .personal:
            guard let node = object["node"]?.stringValue, let userID = object["user"]?.stringValue else { return nil }
            return .personal(node: node, userID: userID, frame: frame)
        case .remove:
            guard let node = object["node"]?.stringValue, let reason = object["reason"]?.stringValue else { return nil }
            let userID = object["user"]?.stringValue
            if userID == nil, object["user"] != nil, object["user"] != .null { return nil }
            return .removeFromRoom(node: node, userID: userID, reason: reason)
        case .members:
            guard let node = object["node"]?.stringValue else { return nil }
            return .membersChanged(node: node)
        case .disconnect:
            guard let node = object["node"]?.stringValue, let userID = object["user"]?.stringValue,
                let code = object["code"]?.integer, let wire = UInt16(exactly: code), let reason = object["reason"]?.stringValue
            else { return nil }
            return .disconnect(node: node, userID: userID, code: wire, reason: reason)
        }
    }
}

extension JSONValue {
    /// The integer, if this is a number that is one.
    fileprivate var integer: Int64? {
        guard case .number(let number) = self else { return nil }
        return number.integer
    }
}
