import Logging
import HubbubIO

/// A message a room (or the mention path) hands to one loop for some of its sessions:
/// the frame is encoded once; each recipient only decides whether to queue it.
enum Delivery: Sendable {
    /// A durable room event; sessions drop it at or below their join boundary.
    case event(room: String, seq: Int64, frame: ByteChunk)
    /// A presence message of a room (`presence_state` on a mode switch, `presence_diff`).
    case presence(room: String, frame: ByteChunk)
    /// An ephemeral relay, coalesced per `coalesceKey` under backpressure.
    case ephemeral(room: String, coalesceKey: String, frame: ByteChunk)
    /// A personal notification (`mention`), whatever rooms the session joined.
    case personal(frame: ByteChunk)
    /// The reply to the session's persisting command, sent by the room right after the
    /// event it reports, so it keeps the event's place in the stream (an `echo: false`
    /// ack stands in for its event, protocol/README.md section 2.5).
    case reply(frame: ByteChunk)
    /// An operator ended the session (HTTP API): close with this code.
    case disconnect(code: UInt16, reason: String)
    /// The server took the session out of the room (`room_left`).
    case removed(room: String, frame: ByteChunk)
}
