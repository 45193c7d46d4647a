import CLinux
import CURing
import Glibc

/// A connection's outgoing bytes, I/O-free: chunks are appended, gathered into
/// `iovec`s for one `sendmsg`/`writev`, and consumed by however many bytes the
/// kernel took, so short sends resume mid-chunk. Bounded by its owner
/// (`Connection` checks `queuedBytes` against its limit before appending).
struct SendQueue {
    private var chunks: [ByteChunk] = []
    private var head = 0            // index of the first unsent chunk
    private var headOffset = 0      // bytes of chunks[head] already sent
    private(set) var queuedBytes = 0

    var isEmpty: Bool { queuedBytes == 0 }
    var chunkCount: Int { chunks.count - head }

    mutating func append(_ chunk: ByteChunk) {
        guard chunk.count > 0 else { return }
        chunks.append(chunk)
        queuedBytes += chunk.count
    }

    /// Fills up to `capacity` iovecs from the front of the queue; returns how many.
    /// The pointers stay valid until the bytes are consumed or the queue is cleared.
    func gather(into iovecs: UnsafeMutablePointer<iovec>, capacity: Int) -> Int {
        var n = 0
        var index = head
        while n < capacity, index < chunks.count {
            let chunk = chunks[index]
            let skip = index == head ? headOffset : 0
            iovecs[n] = iovec(iov_base: chunk.base + skip, iov_len: chunk.count - skip)
            n += 1
            index += 1
        }
        return n
    }

    /// Drops `written` bytes from the front (the kernel accepted them).
    mutating func consume(_ written: Int) {
        precondition(written <= queuedBytes, "consumed more than was queued")
        queuedBytes -= written
        var remaining = written
        while remaining > 0 {
            let available = chunks[head].count - headOffset
            if remaining >= available {
                remaining -= available
                head += 1
                headOffset = 0
            } else {
                headOffset += remaining
                remaining = 0
            }
        }
        if head == chunks.count {
            chunks.removeAll(keepingCapacity: chunks.count <= 16)
            head = 0
        } else if head >= 32, head * 2 >= chunks.count {
            chunks.removeFirst(head)
            head = 0
        }
    }

    mutating func removeAll() {
        chunks = []
        head = 0
        headOffset = 0
        queuedBytes = 0
    }
}
