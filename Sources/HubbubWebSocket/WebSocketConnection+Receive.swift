extension WebSocketConnection {
    /// Feeds received bytes; returns the resulting actions in order.
    ///
    /// Answers pings with pongs carrying the same payload, ignores pongs, reassembles
    /// fragmented messages (control frames may arrive between fragments) and delivers each
    /// complete message. A peer's close frame is answered (echoing its code, 1000 if it sent
    /// none), then `.closed` and `.closeSocket` follow. A protocol violation sends a close
    /// frame with the violation's code (unless ours was already sent), then `.closed` and
    /// `.closeSocket`. Bytes after that are ignored. Any call counts as activity for the
    /// keep-alive timers.
    public mutating func receive(_ bytes: UnsafeRawBufferPointer, now: UInt64) -> [WebSocketAction] {
        guard state != .closed else { return [] }
        lastReceived = now
        nextPing = now.addingSaturated(timeouts.pingInterval)
        var actions: [WebSocketAction] = []
        var input = bytes
        do throws(WebSocketProtocolError) {
            while state != .closed {
                switch try parser.parse(&input) {
                case .needMoreData:
                    return actions
                case .header(let header):
                    try frameStarted(header, available: input.count)
                case .payload(let chunk, let maskKey):
                    try payloadReceived(chunk, maskKey: maskKey)
                case .frameEnd:
                    try frameEnded(into: &actions)
                }
            }
        } catch {
            fail(with: error, into: &actions)
        }
        return actions
    }

    /// Checks a new frame against the message in progress and the message size limit.
    private mutating func frameStarted(_ header: WebSocketFrameHeader, available: Int) throws(WebSocketProtocolError) {
        if header.opcode.isControl {
            controlPayload.removeAll(keepingCapacity: true)
            sink = .control(header.opcode)
            return
        }
        guard state == .open else {
            sink = .discard
            return
        }
        if header.opcode == .continuation {
            guard messageOpcode != nil else { throw .unexpectedContinuation }
        } else {
            guard messageOpcode == nil else { throw .unfinishedMessage }
            messageOpcode = header.opcode
            utf8.reset()
        }
        guard header.length <= limits.maxMessageSize &- message.count else {
            throw .messageTooBig(limit: limits.maxMessageSize)
        }
        if header.length > 0 {
            message.reserveForFrame(length: header.length, available: available)
        }
        sink = .message(isFinal: header.fin)
    }

    /// Unmasks payload bytes into their destination; validates text as it arrives.
    private mutating func payloadReceived(_ chunk: UnsafeRawBufferPointer, maskKey: WebSocketMaskKey?) throws(WebSocketProtocolError) {
        switch sink {
        case .message:
            let start = message.appendUnmasking(chunk, maskKey: maskKey)
            if messageOpcode == .text {
                var validator = utf8
                let valid = message.withUnsafeBytes { validator.feed(UnsafeRawBufferPointer(rebasing: $0[start...])) }
                utf8 = validator
                guard valid else { throw .invalidUTF8 }
            }
        case .control:
            controlPayload.appendUnmasking(chunk, maskKey: maskKey)
        case .discard:
            break
        }
    }

    /// Acts on a complete frame: delivers a finished message, answers a ping or a close.
    private mutating func frameEnded(into actions: inout [WebSocketAction]) throws(WebSocketProtocolError) {
        switch sink {
        case .message(let isFinal):
            guard isFinal, let opcode = messageOpcode else { return }
            if opcode == .text, !utf8.isAtCharacterBoundary { throw .invalidUTF8 }
            messageOpcode = nil
            let payload = message
            message = []
            actions.append(.deliver(opcode == .text ? .text(payload) : .binary(payload)))
        case .control(.ping):
            guard state == .open else { return }
            let pong = WebSocketFrameEncoder.encode(opcode: .pong, payload: controlPayload, maskKey: maskKeys.next())
            actions.append(.send(pong))
        case .control(.close):
            try closeReceived(into: &actions)
        case .control, .discard:
            break
        }
    }

    /// The peer's close frame: answer it if we are open, then the connection is closed.
    private mutating func closeReceived(into actions: inout [WebSocketAction]) throws(WebSocketProtocolError) {
        let close = try WebSocketClosePayload(parsing: controlPayload)
        let initiatedByPeer = state == .open
        if initiatedByPeer {
            let reply = WebSocketFrameEncoder.encodeClose(
                code: close.code ?? .normalClosure,
                reason: "",
                maskKey: maskKeys.next()
            )
            actions.append(.send(reply))
        }
        finish(code: close.code ?? .noStatusReceived, reason: close.reason, initiatedByPeer: initiatedByPeer, into: &actions)
    }

    /// Fails the connection (RFC 6455 §7.1.7): our close frame with the error's code if we
    /// have not sent one yet, then closed.
    private mutating func fail(with error: WebSocketProtocolError, into actions: inout [WebSocketAction]) {
        if state == .open {
            let frame = WebSocketFrameEncoder.encodeClose(code: error.closeCode, reason: error.reason, maskKey: maskKeys.next())
            actions.append(.send(frame))
        }
        finish(code: error.closeCode, reason: error.reason, initiatedByPeer: false, into: &actions)
    }
}
