/// Identifies a scheduled timer so it can be cancelled.
public struct TimerID: Hashable, Sendable {
    let raw: UInt64
}

/// An I/O-free timer queue: a binary min-heap of deadlines with lazy
/// cancellation (a cancelled entry is dropped when it reaches the top).
/// Deadlines are monotonic nanoseconds. Not thread-safe: each event loop owns one.
struct TimerHeap<Payload> {
    private struct Entry {
        var deadline: UInt64
        var id: UInt64
    }

    private var heap: [Entry] = []
    private var payloads: [UInt64: Payload] = [:]
    private var nextID: UInt64 = 1

    var count: Int { payloads.count }

    mutating func schedule(at deadline: UInt64, _ payload: Payload) -> TimerID {
        let id = nextID
        nextID &+= 1
        payloads[id] = payload
        heap.append(Entry(deadline: deadline, id: id))
        siftUp(heap.count - 1)
        return TimerID(raw: id)
    }

    @discardableResult
    mutating func cancel(_ timer: TimerID) -> Bool {
        let removed = payloads.removeValue(forKey: timer.raw) != nil
        // Keep the heap from filling with dead entries when most timers are cancelled.
        if removed, heap.count > 64, heap.count > 4 * payloads.count { compact() }
        return removed
    }

    /// The earliest live deadline.
    mutating func nextDeadline() -> UInt64? {
        dropCancelledTop()
        return heap.first?.deadline
    }

    /// Removes and returns the earliest timer due at or before `now`.
    mutating func popDue(now: UInt64) -> Payload? {
        dropCancelledTop()
        guard let top = heap.first, top.deadline <= now else { return nil }
        removeTop()
        return payloads.removeValue(forKey: top.id)
    }

    private mutating func dropCancelledTop() {
        while let top = heap.first, payloads[top.id] == nil { removeTop() }
    }

    private mutating func removeTop() {
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            siftDown(0)
        }
    }

    private mutating func compact() {
        heap.removeAll { payloads[$0.id] == nil }
        // Re-heapify bottom-up.
        var i = heap.count / 2
        while i > 0 {
            i -= 1
            siftDown(i)
        }
    }

    private mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            if less(heap[child], heap[parent]) {
                heap.swapAt(child, parent)
                child = parent
            } else {
                return
            }
        }
    }

    private mutating func siftDown(_ index: Int) {
        var parent = index
        let n = heap.count
        while true {
            let left = 2 * parent + 1
            if left >= n { return }
            var smallest = left
            let right = left + 1
            if right < n, less(heap[right], heap[left]) { smallest = right }
            if less(heap[smallest], heap[parent]) {
                heap.swapAt(smallest, parent)
                parent = smallest
            } else {
                return
            }
        }
    }

    private func less(_ a: Entry, _ b: Entry) -> Bool {
        a.deadline < b.deadline || (a.deadline == b.deadline && a.id < b.id)
    }
}
