import HubbubJSON

/// One client message after decoding and validation: its request id and what it asks.
public struct ClientMessage: Sendable, Equatable {
    /// The client request id (1-64 visible ASCII characters).
    public var id: String
    public var command: ClientCommand

    public init(id: String, command: ClientCommand) {
        self.id = id
        self.command = command
    }
}

/// The commands of `hubbub.v1` (protocol/README.md section 3), with every field
/// validated against the limits in force. `JSONValue`s here are always objects.
public enum ClientCommand: Sendable, Equatable {
    case auth(token: String)
    case ping
    case join(room: String, sinceSeq: Int64?, presence: JSONValue?)
    case leave(room: String)
    case board(room: String)
    case comment(room: String, cardID: String, text: String, echo: Bool)
    case cardCreate(room: String, columnID: String, position: Int, title: String, echo: Bool)
    case cardMove(room: String, cardID: String, toColumnID: String, toPosition: Int, expectedVersion: Int, echo: Bool)
    case ephemeral(room: String, key: String, data: JSONValue)
    case presenceUpdate(room: String, state: JSONValue)
    case presenceRoster(room: String, cursor: String?, limit: Int)

    /// The wire `type`.
    public var type: String {
        switch self {
        case .auth: "auth"
        case .ping: "ping"
        case .join: "join"
        case .leave: "leave"
        case .board: "board"
        case .comment: "comment"
        case .cardCreate: "card_create"
        case .cardMove: "card_move"
        case .ephemeral: "ephemeral"
        case .presenceUpdate: "presence_update"
        case .presenceRoster: "presence_roster"
        }
    }

    /// The room a room-scoped command names.
    public var room: String? {
        switch self {
        case .auth, .ping: nil
        case .join(let room, _, _), .leave(let room), .board(let room), .comment(let room, _, _, _),
            .cardCreate(let room, _, _, _, _), .cardMove(let room, _, _, _, _, _), .ephemeral(let room, _, _),
            .presenceUpdate(let room, _), .presenceRoster(let room, _, _):
            room
        }
    }
}

/// The byte and count limits a decoder enforces (protocol/README.md section 12).
public struct CommandLimits: Sendable, Equatable {
    public var maxCommentBytes = 10_000
    public var maxTitleBytes = 500
    public var maxPresenceStateBytes = 1024
    public var maxPresenceStateMembers = 32
    public var maxEphemeralBytes = 4096
    public var maxTokenCharacters = 8192
    public var maxRosterPageSize = 500
    public var defaultRosterPageSize = 100

    public init() {}
}
