import CURing
import CLinux
import Glibc

/// A provided-buffer ring (kernel 5.19), set up by hand because liburing 2.3
/// has no `io_uring_setup_buf_ring`: page-aligned ring memory from `mmap`,
/// registered with `io_uring_register_buf_ring`, then filled with `entries`
/// receive buffers of `bufferSize` bytes each. Multishot receives pick a buffer
/// from it; the loop hands the buffer back once the handler has read it, so
/// receive memory is shared by all of a loop's connections, not held by each.
///
/// Owns both mappings; `unregister` must run before the ring is torn down.
final class ProvidedBufferRing {
    let groupID: UInt16
    let entries: Int
    let bufferSize: Int
    private let ringMemory: UnsafeMutableRawPointer
    private let bufferMemory: UnsafeMutableRawPointer
    private let bufRing: UnsafeMutablePointer<io_uring_buf_ring>
    private let mask: Int32
    private var pendingReturns: Int32 = 0

    init(ring: UnsafeMutablePointer<io_uring>, groupID: UInt16, entries: Int, bufferSize: Int) throws(IOError) {
        precondition(entries > 0 && entries <= 32768 && entries & (entries - 1) == 0, "entries must be a power of two <= 32768")
        self.groupID = groupID
        self.entries = entries
        self.bufferSize = bufferSize
        let ringBytes = entries * MemoryLayout<io_uring_buf>.stride
        guard let ringMap = mmap(nil, ringBytes, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0),
              ringMap != MAP_FAILED else {
            throw IOError("mmap(buffer ring)", errno: errno)
        }
        guard let bufferMap = mmap(nil, entries * bufferSize, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0),
              bufferMap != MAP_FAILED else {
            munmap(ringMap, ringBytes)
            throw IOError("mmap(receive buffers)", errno: errno)
        }
        var registration = io_uring_buf_reg()
        registration.ring_addr = UInt64(UInt(bitPattern: ringMap))
        registration.ring_entries = UInt32(entries)
        registration.bgid = groupID
        let rc = io_uring_register_buf_ring(ring, &registration, 0)
        if rc < 0 {
            munmap(ringMap, ringBytes)
            munmap(bufferMap, entries * bufferSize)
            throw IOError("io_uring_register_buf_ring", errno: -rc)
        }
        ringMemory = ringMap
        bufferMemory = bufferMap
        bufRing = ringMap.assumingMemoryBound(to: io_uring_buf_ring.self)
        mask = io_uring_buf_ring_mask(UInt32(entries))
        io_uring_buf_ring_init(bufRing)
        for id in 0..<entries {
            io_uring_buf_ring_add(bufRing, bufferMemory + id * bufferSize, UInt32(bufferSize), UInt16(id), mask, Int32(id))
        }
        io_uring_buf_ring_advance(bufRing, Int32(entries))
    }

    /// The bytes the kernel wrote into buffer `id`.
    @inline(__always)
    func bytes(id: UInt16, count: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: bufferMemory + Int(id) * bufferSize, count: count)
    }

    /// Gives buffer `id` back; it becomes visible to the kernel at `publishReturns()`.
    @inline(__always)
    func giveBack(id: UInt16) {
        io_uring_buf_ring_add(bufRing, bufferMemory + Int(id) * bufferSize, UInt32(bufferSize), id, mask, pendingReturns)
        pendingReturns += 1
    }

    /// Publishes every buffer given back since the last call (one store-release).
    @inline(__always)
    func publishReturns() {
        guard pendingReturns > 0 else { return }
        io_uring_buf_ring_advance(bufRing, pendingReturns)
        pendingReturns = 0
    }

    func unregister(ring: UnsafeMutablePointer<io_uring>) {
        _ = io_uring_unregister_buf_ring(ring, Int32(groupID))
    }

    deinit {
        munmap(ringMemory, entries * MemoryLayout<io_uring_buf>.stride)
        munmap(bufferMemory, entries * bufferSize)
    }
}
