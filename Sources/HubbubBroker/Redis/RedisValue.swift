import CHiredis

/// A reply from Redis, copied out of hiredis's `redisReply` (which is freed at once).
enum RedisValue: Sendable, Hashable {
    case string([UInt8])
    case integer(Int64)
    case array([RedisValue])
    case null
    case status(String)
    case error(String)

    /// Copies the reply tree; the caller still owns (and frees) `reply`.
    init(copying reply: UnsafePointer<redisReply>) {
        let value = reply.pointee
        func bytes() -> [UInt8] {
            guard let text = value.str, value.len > 0 else { return [] }
            return text.withMemoryRebound(to: UInt8.self, capacity: value.len) { Array(UnsafeBufferPointer(start: $0, count: value.len)) }
        }
        switch value.type {
        case REDIS_REPLY_STRING: self = .string(bytes())
        case REDIS_REPLY_INTEGER: self = .integer(Int64(value.integer))
        case REDIS_REPLY_ARRAY:
            var elements: [RedisValue] = []
            elements.reserveCapacity(value.elements)
            for index in 0..<value.elements {
                if let element = value.element[index] { elements.append(RedisValue(copying: element)) } else { elements.append(.null) }
            }
            self = .array(elements)
        case REDIS_REPLY_STATUS: self = .status(String(decoding: bytes(), as: UTF8.self))
        case REDIS_REPLY_ERROR: self = .error(String(decoding: bytes(), as: UTF8.self))
        default: self = .null
        }
    }

    /// The bytes of a bulk or status string.
    var bytes: [UInt8]? {
        switch self {
        case .string(let bytes): bytes
        case .status(let text): Array(text.utf8)
        default: nil
        }
    }

    var text: String? { bytes.map { String(decoding: $0, as: UTF8.self) } }

    var integer: Int64? {
        if case .integer(let value) = self { return value }
        return nil
    }

    var elements: [RedisValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// Throws the server's error (``BrokerError/Code/server``), else returns self.
    func checked(_ command: String) throws(BrokerError) -> RedisValue {
        if case .error(let message) = self {
            throw BrokerError(code: .server, message: "Redis \(command): \(message)")
        }
        return self
    }
}
