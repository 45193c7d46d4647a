import HubbubJSON

/// Turns one client text message into a validated ``ClientMessage``, or into the error
/// reply it gets (protocol/README.md sections 2 and 3, errors.md).
///
/// The checks run in this order, and the first failure is the answer:
/// 1. the text is a JSON object (strict RFC 8259, no duplicate members), else
///    `invalid_message` with no id;
/// 2. `type` is a string naming a command, else `unknown_type` with `details.type`
///    (the type as sent when it is a string; no `details` otherwise);
/// 3. `id` is a string of 1-64 visible ASCII characters, else `bad_request` on `/id`
///    with no id;
/// 4. the command's members, in the order of its schema (``CommandFields`` lists the
///    `bad_request` reasons; byte limits answer `too_large`).
///
/// Unknown members are ignored. Decoding is pure, and never traps on any input.
public struct CommandDecoder: Sendable {
    public var limits: CommandLimits

    public init(limits: CommandLimits) {
        self.limits = limits
    }

    /// Decodes one text message. On failure: the error and the request id when one
    /// could be read (nil otherwise).
    public func decode(_ text: [UInt8]) -> Result<ClientMessage, DecodeFailure> {
        guard case .object(let members) = JSONParser.parse(text) else {
            let error = ProtocolError(.invalidMessage, "message is not a JSON object")
            return .failure(DecodeFailure(id: nil, error: error))
        }
        let readableID = members["id"]?.stringValue.flatMap { ProtocolSyntax.isCommandID($0) ? $0 : nil }
        guard case .string(let typeName)? = members["type"], let kind = Kind(rawValue: typeName) else {
            return .failure(DecodeFailure(id: readableID, error: Self.unknownType(members["type"])))
        }
        guard let id = readableID else {
            return .failure(DecodeFailure(id: nil, error: Self.badID(members["id"])))
        }
        do throws(ProtocolError) {
            let command = try command(kind, CommandFields(members))
            return .success(ClientMessage(id: id, command: command))
        } catch {
            return .failure(DecodeFailure(id: id, error: error))
        }
    }

    /// The command types of `hubbub.v1`, by wire name.
    enum Kind: String {
        case auth, ping, join, leave, board, comment, ephemeral
        case cardCreate = "card_create"
        case cardMove = "card_move"
        case presenceUpdate = "presence_update"
        case presenceRoster = "presence_roster"
    }

    private static func unknownType(_ type: JSONValue?) -> ProtocolError {
        guard case .string(let name)? = type else {
            // The error schema types details.type as a string: nothing to report.
            return ProtocolError(.unknownType, type == nil ? "type is required" : "type must be a string")
        }
        let shown = name.unicodeScalars.count > 64 ? Excerpt.make(name, limit: 64) : name
        return ProtocolError(.unknownType, "unknown message type \(shown)", details: .object(["type": .string(name)]))
    }

    private static func badID(_ id: JSONValue?) -> ProtocolError {
        switch id {
        case nil: .badRequest(field: "/id", reason: "required", "id is required")
        case .string?: .badRequest(field: "/id", reason: "invalid_format", "id must be 1-64 visible ASCII characters")
        default: .badRequest(field: "/id", reason: "wrong_type", "id must be a string")
        }
    }
}
