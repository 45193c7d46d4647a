import Glibc
import Logging
import Synchronization
import Testing
@testable import HubbubIO

/// Echoes every byte back.
private final class EchoHandler: ConnectionHandler {
    func connectionDidOpen(_ connection: Connection) {}
    func connection(_ connection: Connection, didRead bytes: UnsafeRawBufferPointer) {
        connection.send(ByteChunk(bytes))
    }
    func connectionDidClose(_ connection: Connection, error: IOError?) {}
}

/// Sends `payload` once open, collects the echo, reports it, then closes.
private final class ClientHandler: ConnectionHandler {
    let payload: [UInt8]
    let done: @Sendable ([UInt8]) -> Void
    var received: [UInt8] = []
    var reported = false

    init(payload: [UInt8], done: @escaping @Sendable ([UInt8]) -> Void) {
        self.payload = payload
        self.done = done
    }

    func connectionDidOpen(_ connection: Connection) {
        // Many small chunks, so gathering and short sends are exercised.
        var offset = 0
        while offset < payload.count {
            let end = min(offset + 1000, payload.count)
            let queued = connection.send(Array(payload[offset..<end]))
            #expect(queued)
            offset = end
        }
    }

    func connection(_ connection: Connection, didRead bytes: UnsafeRawBufferPointer) {
        received += bytes
        if received.count >= payload.count { report(); connection.close(.afterFlush) }
    }

    func connectionDidClose(_ connection: Connection, error: IOError?) { report() }

    private func report() {
        guard !reported else { return }
        reported = true
        done(received)
    }
}

@Suite(.serialized) struct EventLoopTests {
    static let logger = Logger(label: "test")

    /// Every loop listens on one port (SO_REUSEPORT); returns it.
    static func listenEcho(_ group: EventLoopGroup) async throws -> UInt16 {
        let first = try await group.loops[0].submit { engine in
            try engine.listen(on: SocketAddress(numericHost: "127.0.0.1", port: 0)!) { $0.setHandler(EchoHandler()) }.address.port
        }
        for loop in group.loops.dropFirst() {
            _ = try await loop.submit { engine in
                try engine.listen(on: SocketAddress(numericHost: "127.0.0.1", port: first)!) { $0.setHandler(EchoHandler()) }.address.port
            }
        }
        return first
    }

    static func roundTrip(_ loop: EventLoop, port: UInt16, payload: [UInt8]) async throws -> [UInt8] {
        try await withCheckedThrowingContinuation { continuation in
            loop.execute { engine in
                do {
                    let handler = ClientHandler(payload: payload) { continuation.resume(returning: $0) }
                    try engine.connect(to: SocketAddress(numericHost: "127.0.0.1", port: port)!, handler: handler)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    @Test(arguments: IOBackendKind.allCases)
    func echoesManyConnectionsOnEveryLoop(backend: IOBackendKind) async throws {
        if backend == .uring, let reason = IOBackendProbe.uringUnavailableReason() {
            Issue.record("io_uring unavailable here: \(reason)")
            return
        }
        let group = try EventLoopGroup(threadCount: 2, backend: backend, logger: Self.logger)
        defer { group.shutdown() }
        let port = try await Self.listenEcho(group)
        // A payload larger than the receive buffers and the socket buffers, so
        // reads span buffers and sends are short.
        let big = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try await withThrowingTaskGroup(of: Bool.self) { tasks in
            for i in 0..<40 {
                let payload = i == 0 ? big : (0..<(i * 97)).map { UInt8(truncatingIfNeeded: $0 + i) } + [1]
                let loop = group.loops[i % group.loops.count]
                tasks.addTask { try await Self.roundTrip(loop, port: port, payload: payload) == payload }
            }
            for try await ok in tasks { #expect(ok) }
        }
    }

    @Test(arguments: IOBackendKind.allCases)
    func connectFailureIsReported(backend: IOBackendKind) async throws {
        if backend == .uring, IOBackendProbe.uringUnavailableReason() != nil { return }
        let group = try EventLoopGroup(threadCount: 1, backend: backend, logger: Self.logger)
        defer { group.shutdown() }
        // A port nobody listens on: bind one, note it, close it.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) } }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        let port = UInt16(bigEndian: addr.sin_port)
        close(fd)
        let received = try await Self.roundTrip(group.loops[0], port: port, payload: [1, 2, 3])
        #expect(received.isEmpty)
    }

    @Test(arguments: IOBackendKind.allCases)
    func timersFireInOrderAndWakeFromOtherThreads(backend: IOBackendKind) async throws {
        if backend == .uring, IOBackendProbe.uringUnavailableReason() != nil { return }
        let group = try EventLoopGroup(threadCount: 1, backend: backend, logger: Self.logger)
        defer { group.shutdown() }
        let order = try await withCheckedThrowingContinuation { (c: CheckedContinuation<[Int], any Error>) in
            group.loops[0].execute { engine in
                final class Box { var order: [Int] = [] }
                let box = Box()
                engine.schedule(after: 30_000_000) { box.order.append(3); c.resume(returning: box.order) }
                engine.schedule(after: 10_000_000) { box.order.append(1) }
                let cancelled = engine.schedule(after: 15_000_000) { box.order.append(99) }
                engine.schedule(after: 20_000_000) { box.order.append(2) }
                engine.cancel(cancelled)
            }
        }
        #expect(order == [1, 2, 3])
        // A loop parked in the kernel with no timers is woken by execute from here.
        try await Task.sleep(for: .milliseconds(50))
        let index = try await group.loops[0].submit { $0.loop.index }
        #expect(index == 0)
    }

    @Test func actorsRunOnALoopThread() async throws {
        let group = try EventLoopGroup(threadCount: 1, backend: .epoll, logger: Self.logger)
        defer { group.shutdown() }
        actor Pinned {
            nonisolated let loop: EventLoop
            var count = 0
            init(loop: EventLoop) { self.loop = loop }
            nonisolated var unownedExecutor: UnownedSerialExecutor { loop.asUnownedSerialExecutor() }
            func bump() -> (Int, Bool) {
                count += 1
                return (count, loop.inEventLoop)
            }
        }
        let pinned = Pinned(loop: group.loops[0])
        _ = await pinned.bump()
        let (count, onLoop) = await pinned.bump()
        #expect(count == 2)
        #expect(onLoop)
        #expect(!group.loops[0].inEventLoop)
    }
}
