/// Why a client message could not be decoded: the error to reply with, and the
/// request id to put in that reply.
public struct DecodeFailure: Error, Sendable, Equatable {
    /// The message's `id` when it could be read and is valid; nil otherwise, and
    /// always nil for `invalid_message` and for a bad `id` (the reply carries `"id": null`).
    public var id: String?
    /// The error the command gets (`invalid_message`, `unknown_type`, `bad_request`
    /// or `too_large`).
    public var error: ProtocolError

    public init(id: String?, error: ProtocolError) {
        self.id = id
        self.error = error
    }
}
