import Glibc

/// What the load generator needs of one `hubbub.v1` server message, found by a
/// targeted scan of its bytes rather than a full JSON parse (which would make the
/// client the bottleneck at tens of thousands of events per second). The scan relies
/// on what the protocol and the server guarantee: the message is one JSON object whose
/// envelope members (`type`, `id`, `seq`, `result`'s first members) come before any
/// user text, and the comment texts are the generator's own (`t=<ns> n=<n>`, no quotes
/// or escapes). The first occurrence of each key is taken. `--hub-full-parse` reads
/// every message with HubbubJSON's parser instead (`HubMessage+Parsing.swift`), to
/// cross-check the scan.
struct HubMessage: Equatable {
    enum Kind: Equatable {
        case welcome
        case ack
        case error
        /// `comment.created`.
        case comment
        /// Another durable event (a type with a dot): it still takes a seq.
        case otherEvent
        /// Presence, ephemeral, mention, token_expiring, room_left: ignored.
        case other
    }

    /// Which of our commands a reply answers, from its id `<run>-<conn>-<suffix>`.
    enum ReplyTo: Equatable {
        case join
        /// The comment with this number.
        case comment(Int)
        /// An id the generator did not send (or `null`).
        case unknown
    }

    var kind: Kind
    var replyTo = ReplyTo.unknown
    /// Events: the room's seq. Comment acks: the seq of the event stored.
    var seq: Int64?
    /// Join acks: the stream boundary.
    var headSeq: Int64?
    /// Errors: `code` and `retry_after_ms`.
    var code: String?
    var retryAfterMilliseconds: Int64?
    /// `comment.created`: the `t=` send time (monotonic ns) and `n=` number from the text.
    var sentAt: UInt64?
    var number: Int?

    /// Nil when the bytes hold no `"type":"..."`.
    init?(scanning bytes: [UInt8]) {
        let scanned: HubMessage? = bytes.withUnsafeBytes { buffer in
            let scan = Scanner(buffer)
            guard let type = scan.string(after: "\"type\":", from: 0) else { return nil }
            var message = HubMessage(kind: Self.kind(of: buffer[type]))
            switch message.kind {
            case .ack, .error:
                if let id = scan.string(after: "\"id\":", from: type.upperBound) {
                    message.replyTo = Self.replyTo(idTail: scan.tail(of: id))
                }
                if message.kind == .ack {
                    message.headSeq = scan.integer(after: "\"head_seq\":", from: type.upperBound)
                    if message.headSeq == nil { message.seq = scan.integer(after: "\"seq\":", from: type.upperBound) }
                } else {
                    message.code = scan.string(after: "\"code\":", from: type.upperBound).map { scan.text($0) }
                    message.retryAfterMilliseconds = scan.integer(after: "\"retry_after_ms\":", from: type.upperBound)
                }
            case .comment, .otherEvent:
                message.seq = scan.integer(after: "\"seq\":", from: type.upperBound)
                if message.kind == .comment, let marker = scan.find("\"text\":\"t=", from: type.upperBound) {
                    message.sentAt = scan.unsigned(at: marker)
                    if let number = scan.find(" n=", from: marker) { message.number = scan.unsigned(at: number).map { Int($0) } }
                }
            case .welcome, .other:
                break
            }
            return message
        }
        guard let scanned else { return nil }
        self = scanned
    }

    init(kind: Kind) {
        self.kind = kind
    }

    static func kind(of type: some Collection<UInt8>) -> Kind {
        if type.elementsEqual("comment.created".utf8) { return .comment }
        if type.elementsEqual("ack".utf8) { return .ack }
        if type.elementsEqual("error".utf8) { return .error }
        if type.elementsEqual("welcome".utf8) { return .welcome }
        return type.contains(UInt8(ascii: ".")) ? .otherEvent : .other
    }

    /// `j` is a join; digits are a comment's number.
    static func replyTo(idTail tail: some Collection<UInt8>) -> ReplyTo {
        if tail.elementsEqual("j".utf8) { return .join }
        guard !tail.isEmpty, tail.count <= 18, tail.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return .unknown }
        return .comment(tail.reduce(0) { $0 * 10 + Int($1 - 0x30) })
    }
}

/// Byte-level searches over one message.
private struct Scanner {
    let buffer: UnsafeRawBufferPointer

    init(_ buffer: UnsafeRawBufferPointer) {
        self.buffer = buffer
    }

    /// The index just past the first occurrence of `pattern` at or after `start`.
    func find(_ pattern: StaticString, from start: Int) -> Int? {
        guard let base = buffer.baseAddress else { return nil }
        let length = pattern.utf8CodeUnitCount
        let first = Int32(pattern.utf8Start.pointee)
        var index = start
        while index + length <= buffer.count {
            // memchr for the first byte, memcmp for the rest (Glibc's module has no memmem).
            guard let hit = memchr(base + index, first, buffer.count - length + 1 - index) else { return nil }
            let position = base.distance(to: UnsafeRawPointer(hit))
            if memcmp(hit, pattern.utf8Start, length) == 0 { return position + length }
            index = position + 1
        }
        return nil
    }

    /// The range of the string value (between its quotes, escapes left as they are)
    /// after `key`.
    func string(after key: StaticString, from start: Int) -> Range<Int>? {
        guard var index = find(key, from: start) else { return nil }
        index = skipSpaces(index)
        guard index < buffer.count, buffer[index] == UInt8(ascii: "\"") else { return nil }
        let first = index + 1
        index = first
        while index < buffer.count {
            switch buffer[index] {
            case UInt8(ascii: "\""): return first..<index
            case UInt8(ascii: "\\"): index += 2
            default: index += 1
            }
        }
        return nil
    }

    /// The integer value after `key`.
    func integer(after key: StaticString, from start: Int) -> Int64? {
        guard let index = find(key, from: start) else { return nil }
        return unsigned(at: skipSpaces(index)).map { Int64(clamping: $0) }
    }

    /// The unsigned decimal at `index`.
    func unsigned(at index: Int) -> UInt64? {
        var value: UInt64 = 0
        var end = index
        while end < buffer.count, end - index < 19, buffer[end] >= 0x30, buffer[end] <= 0x39 {
            value = value * 10 + UInt64(buffer[end] - 0x30)
            end += 1
        }
        return end > index ? value : nil
    }

    /// What follows the last `-` of a string's range.
    func tail(of range: Range<Int>) -> Slice<UnsafeRawBufferPointer> {
        var start = range.upperBound
        while start > range.lowerBound, buffer[start - 1] != UInt8(ascii: "-") { start -= 1 }
        return buffer[start..<range.upperBound]
    }

    func text(_ range: Range<Int>) -> String {
        String(decoding: buffer[range], as: UTF8.self)
    }

    private func skipSpaces(_ index: Int) -> Int {
        var index = index
        while index < buffer.count, buffer[index] == 0x20 || buffer[index] == 0x09 || buffer[index] == 0x0A || buffer[index] == 0x0D {
            index += 1
        }
        return index
    }
}
