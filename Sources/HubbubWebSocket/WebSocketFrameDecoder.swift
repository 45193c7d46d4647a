/// Decodes WebSocket frames from a byte stream, on its own (without the connection state
/// machine): append bytes as they arrive, then call ``next()`` until it returns nil.
///
/// It checks everything a single frame can break (masking for the role, reserved bits and
/// opcodes, control frame rules, the payload length against `maxFrameSize`, decided from
/// the header before any payload is buffered) but not the order of frames (continuations,
/// interleaving) nor UTF-8: that is ``WebSocketConnection``'s job.
///
/// Appended bytes are parsed at once: the payload is unmasked straight from the appended
/// bytes into the frame's array, so each payload byte is copied once.
public struct WebSocketFrameDecoder: Sendable {
    private var parser: WebSocketFrameParser
    /// The frame whose payload is arriving.
    private var partial: WebSocketFrame?
    /// Complete frames not yet returned by `next()`, from `readyIndex` on.
    private var ready: [WebSocketFrame] = []
    private var readyIndex = 0
    /// The error that stopped parsing; thrown once the frames before it are taken.
    private var error: WebSocketProtocolError?

    /// Creates a decoder for the frames a peer sends to us in `role`.
    /// - Parameters:
    ///   - role: `.server` requires masked frames, `.client` requires unmasked ones.
    ///   - maxFrameSize: the largest payload a frame may declare (else close code 1009).
    public init(role: WebSocketRole, maxFrameSize: Int) {
        self.parser = WebSocketFrameParser(role: role, maxFrameSize: maxFrameSize)
    }

    /// Adds received bytes. They are not retained; bytes after a protocol error are ignored.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard error == nil else { return }
        var input = bytes
        do throws(WebSocketProtocolError) {
            while true {
                switch try parser.parse(&input) {
                case .needMoreData:
                    return
                case .header(let header):
                    var frame = WebSocketFrame(fin: header.fin, rsv: header.rsv, opcode: header.opcode, payload: [])
                    frame.payload.reserveForFrame(length: header.length, available: input.count)
                    partial = frame
                case .payload(let chunk, let maskKey):
                    partial?.payload.appendUnmasking(chunk, maskKey: maskKey)
                case .frameEnd:
                    if let frame = partial.take() { ready.append(frame) }
                }
            }
        } catch {
            self.error = error
        }
    }

    /// The next complete frame, with its payload unmasked; nil when more bytes are needed.
    /// Throws the protocol error that stopped decoding, after every frame that preceded it
    /// has been returned, and keeps throwing it.
    public mutating func next() throws(WebSocketProtocolError) -> WebSocketFrame? {
        if readyIndex < ready.count {
            let frame = ready[readyIndex]
            ready[readyIndex].payload = []  // leave the caller the only reference
            readyIndex += 1
            if readyIndex == ready.count {
                ready.removeAll(keepingCapacity: true)
                readyIndex = 0
            }
            return frame
        }
        if let error { throw error }
        return nil
    }
}
