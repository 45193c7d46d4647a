import Logging
import HubbubJSON
import HubbubStore

/// A persisting command on its way to a room: what the session decoded, plus who sent it.
struct RoomCommand: Sendable {
    enum Kind: Sendable {
        case comment(cardID: String, text: String)
        case cardCreate(columnID: String, position: Int, title: String)
        case cardMove(cardID: String, toColumnID: String, toPosition: Int, expectedVersion: Int)
    }

    var requestID: String
    var identity: Identity
    var kind: Kind
    var echo: Bool
    var sender: SessionRef
}

/// A successful `join`: the ack's result object and the joiner's `presence_state`, both
/// encoded; `headSeq` is the stream boundary.
struct JoinAccepted: Sendable {
    var headSeq: Int64
    /// Set for a join with `since_seq`: replay `(sinceSeq, headSeq]` from the store.
    var replayAfter: Int64?
    var result: [UInt8]
    var presenceState: [UInt8]
}

enum JoinOutcome: Sendable {
    case joined(JoinAccepted)
    case failed(ProtocolError)
    /// The room was retired while the request was on its way: ask the hub again.
    case retired
}

extension ProtocolError {
    static let storeUnavailable = ProtocolError(
        .unavailable, "the event store is unavailable; nothing was stored", retryAfterMilliseconds: 1000)
    static let notMember = ProtocolError(.forbidden, "not a member of this project (or no such project)")
}
