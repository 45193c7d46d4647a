import Glibc
import Testing
@testable import HubbubIO

@Suite struct SendQueueTests {
    private func gathered(_ queue: SendQueue, capacity: Int = 16) -> [UInt8] {
        let iov = UnsafeMutablePointer<iovec>.allocate(capacity: capacity)
        defer { iov.deallocate() }
        let n = queue.gather(into: iov, capacity: capacity)
        var out: [UInt8] = []
        for i in 0..<n {
            out += UnsafeRawBufferPointer(start: iov[i].iov_base, count: iov[i].iov_len)
        }
        return out
    }

    @Test func shortSendsResumeMidChunk() {
        var queue = SendQueue()
        queue.append(ByteChunk([1, 2, 3]))
        queue.append(ByteChunk([]))
        queue.append(ByteChunk([4, 5]))
        queue.append(ByteChunk([6]))
        #expect(queue.queuedBytes == 6)
        #expect(queue.chunkCount == 3)
        #expect(gathered(queue) == [1, 2, 3, 4, 5, 6])
        queue.consume(2)
        #expect(gathered(queue) == [3, 4, 5, 6])
        queue.consume(2)
        #expect(gathered(queue) == [5, 6])
        #expect(queue.chunkCount == 2)
        queue.consume(2)
        #expect(queue.isEmpty)
        #expect(gathered(queue) == [])
    }

    @Test func gatherRespectsCapacity() {
        var queue = SendQueue()
        for i in 0..<10 { queue.append(ByteChunk([UInt8(i)])) }
        #expect(gathered(queue, capacity: 4) == [0, 1, 2, 3])
        queue.consume(3)
        #expect(gathered(queue, capacity: 4) == [3, 4, 5, 6])
    }

    @Test func sharedChunkIsNotCopied() {
        let chunk = ByteChunk([9, 9, 9])
        var a = SendQueue()
        var b = SendQueue()
        a.append(chunk)
        b.append(chunk)
        let iovA = UnsafeMutablePointer<iovec>.allocate(capacity: 1)
        let iovB = UnsafeMutablePointer<iovec>.allocate(capacity: 1)
        defer { iovA.deallocate(); iovB.deallocate() }
        _ = a.gather(into: iovA, capacity: 1)
        _ = b.gather(into: iovB, capacity: 1)
        #expect(iovA[0].iov_base == iovB[0].iov_base)
    }
}
