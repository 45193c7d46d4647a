import CHiredis
import Glibc

/// One hiredis connection (`redisContext`), owned by this object: opened (connected,
/// authenticated, database selected) by `init`, freed by `deinit`. Thread-confined: made,
/// used and dropped by one broker thread, which it may block (up to its timeouts), never a
/// Swift concurrency thread. No hiredis pointer leaves this type.
///
/// After `init`, the thread polls ``fileDescriptor`` and drives the connection with
/// ``append(_:)``, ``flush()``, ``read()`` and ``nextReply()``; every one of them throws
/// once the connection is broken, and a broken context is never used again.
final class RedisContext {
    private let context: UnsafeMutablePointer<redisContext>
    let url: RedisURL

    /// Connects within `connectTimeout`, sets `ioTimeout` on the socket, turns TCP
    /// keepalive on, then AUTH (when the URL has a password), SELECT (when it names a
    /// database other than 0) and PING, which fails without AUTH on a server that wants it.
    init(url: RedisURL, connectTimeout: Duration, ioTimeout: Duration) throws(BrokerError) {
        self.url = url
        guard let opened = redisConnectWithTimeout(url.host, Int32(url.port), Self.timeval(connectTimeout)) else {
            throw .unavailable("Redis \(url.host):\(url.port): out of memory")
        }
        guard opened.pointee.err == 0 else {
            let message = Self.errorText(opened)
            redisFree(opened)
            throw .unavailable("Redis \(url.host):\(url.port): \(message)")
        }
        context = opened
        guard redisSetTimeout(context, Self.timeval(ioTimeout)) == REDIS_OK, redisEnableKeepAlive(context) == REDIS_OK
        else { throw brokenError() }
        try handshake()
    }

    deinit {
        redisFree(context)
    }

    var fileDescriptor: Int32 { context.pointee.fd }

    private func handshake() throws(BrokerError) {
        if let password = url.password {
            let command = RedisCommand(url.user.map { ["AUTH", $0, password] } ?? ["AUTH", password])
            if case .error(let message) = try roundTrip(command) {
                throw BrokerError(code: .authenticationFailed, message: "Redis AUTH: \(message)")
            }
        }
        if url.database != 0 {
            if case .error(let message) = try roundTrip(RedisCommand("SELECT", String(url.database))) {
                throw BrokerError.invalidArgument("Redis SELECT \(url.database): \(message)")
            }
        }
        if case .error(let message) = try roundTrip(RedisCommand("PING")) {
            let code: BrokerError.Code = message.hasPrefix("NOAUTH") ? .authenticationFailed : .server
            throw BrokerError(code: code, message: "Redis PING: \(message)")
        }
    }

    /// Sends one command and waits for its reply (blocking, within the I/O timeout).
    func roundTrip(_ command: RedisCommand) throws(BrokerError) -> RedisValue {
        try append(command)
        var reply: UnsafeMutableRawPointer?
        guard redisGetReply(context, &reply) == REDIS_OK, let reply else { throw brokenError() }
        defer { freeReplyObject(reply) }
        return RedisValue(copying: reply.assumingMemoryBound(to: redisReply.self))
    }

    /// Adds a command to the output buffer (nothing is sent before ``flush()``).
    func append(_ command: RedisCommand) throws(BrokerError) {
        // hiredis wants an array of pointers and one of lengths: lay the arguments out in
        // one buffer and point into it.
        var storage: [UInt8] = []
        var offsets: [Int] = []
        var lengths: [Int] = []
        for argument in command.arguments {
            offsets.append(storage.count)
            lengths.append(argument.count)
            storage.append(contentsOf: argument)
        }
        storage.append(0)  // never empty, so there is always a base address
        let status = storage.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { base in
                var pointers: [UnsafePointer<CChar>?] = offsets.map { base + $0 }
                return redisAppendCommandArgv(context, Int32(pointers.count), &pointers, lengths)
            }
        }
        guard status == REDIS_OK else { throw brokenError() }
    }

    /// Writes the whole output buffer (blocking at most the I/O timeout per write).
    func flush() throws(BrokerError) {
        var done: Int32 = 0
        while done == 0 {
            guard redisBufferWrite(context, &done) == REDIS_OK else { throw brokenError() }
        }
    }

    /// Reads what the socket has (call when poll reports it readable).
    func read() throws(BrokerError) {
        guard redisBufferRead(context) == REDIS_OK else { throw brokenError() }
    }

    /// The next complete reply already read, if any.
    func nextReply() throws(BrokerError) -> RedisValue? {
        var reply: UnsafeMutableRawPointer?
        guard redisGetReplyFromReader(context, &reply) == REDIS_OK else { throw brokenError() }
        guard let reply else { return nil }
        defer { freeReplyObject(reply) }
        return RedisValue(copying: reply.assumingMemoryBound(to: redisReply.self))
    }

    /// The context's error as a ``BrokerError``: a socket timeout is `timeout`, the rest
    /// `unavailable`.
    private func brokenError() -> BrokerError {
        let timedOut = context.pointee.err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK)
        let message = "Redis \(url.host):\(url.port): \(Self.errorText(context))"
        return BrokerError(code: timedOut ? .timeout : .unavailable, message: message)
    }

    private static func errorText(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { raw in
            let bytes = raw.prefix { $0 != 0 }
            return bytes.isEmpty ? "connection error" : String(decoding: bytes, as: UTF8.self)
        }
    }

    private static func timeval(_ duration: Duration) -> Glibc.timeval {
        let (seconds, attoseconds) = max(duration, .milliseconds(1)).components
        return Glibc.timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
