/// Supplies the mask keys of the frames a client sends (none for a server).
///
/// RFC 6455 §5.3 asks for unpredictable keys, so they come from the system's
/// cryptographic generator, two keys per 64-bit draw.
struct MaskKeySource: Sendable {
    private let role: WebSocketRole
    private let generator: (@Sendable () -> UInt32)?
    private var spare: UInt32?

    init(role: WebSocketRole, generator: (@Sendable () -> UInt32)?) {
        self.role = role
        self.generator = generator
    }

    /// The key for the next frame we send, or nil for the server role.
    mutating func next() -> UInt32? {
        guard role == .client else { return nil }
        if let generator { return generator() }
        if let key = spare.take() { return key }
        var random = SystemRandomNumberGenerator()
        let bits = random.next()
        spare = UInt32(truncatingIfNeeded: bits &>> 32)
        return UInt32(truncatingIfNeeded: bits)
    }
}
