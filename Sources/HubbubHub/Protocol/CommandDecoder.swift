// Temporary stand-in until the decoder lands (same API).
public struct DecodeFailure: Error, Sendable, Equatable {
    public var id: String?
    public var error: ProtocolError
}

public struct CommandDecoder: Sendable {
    public var limits: CommandLimits
    public init(limits: CommandLimits) { self.limits = limits }
    public func decode(_ text: [UInt8]) -> Result<ClientMessage, DecodeFailure> {
        .failure(DecodeFailure(id: nil, error: ProtocolError(.invalidMessage, "stub")))
    }
}
