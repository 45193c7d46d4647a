import HubbubJSON

/// The same reading as the targeted scan, through HubbubJSON's full parser
/// (`--hub-full-parse`): slower, but it checks every message is valid JSON and does
/// not depend on member order.
extension HubMessage {
    /// Nil when the bytes are not a JSON object with a string `type`.
    init?(parsing bytes: [UInt8]) {
        guard let members = JSONParser.parseObject(bytes), let type = members["type"]?.stringValue else { return nil }
        self.init(kind: Self.kind(of: Array(type.utf8)))
        switch kind {
        case .ack, .error:
            if let id = members["id"]?.stringValue {
                let tail = id.utf8.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false).last ?? []
                replyTo = Self.replyTo(idTail: tail)
            }
            if kind == .ack {
                headSeq = Self.integer(members["result"]?["head_seq"])
                if headSeq == nil { seq = Self.integer(members["result"]?["seq"]) }
            } else {
                code = members["code"]?.stringValue
                retryAfterMilliseconds = Self.integer(members["retry_after_ms"])
            }
        case .comment, .otherEvent:
            seq = Self.integer(members["seq"])
            if kind == .comment, let text = members["payload"]?["text"]?.stringValue {
                (sentAt, number) = Self.marker(in: text)
            }
        case .welcome, .other:
            break
        }
    }

    private static func integer(_ value: HubbubJSON.JSONValue?) -> Int64? {
        guard case .number(let number)? = value else { return nil }
        return number.integer
    }

    /// `t=<ns> n=<n>` at the start of a comment text.
    private static func marker(in text: String) -> (UInt64?, Int?) {
        guard text.hasPrefix("t=") else { return (nil, nil) }
        let fields = text.split(separator: " ")
        let sentAt = UInt64(fields[0].dropFirst(2))
        let number = fields.count > 1 && fields[1].hasPrefix("n=") ? Int(fields[1].dropFirst(2)) : nil
        return (sentAt, number)
    }
}
