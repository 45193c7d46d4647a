import Testing
@testable import HubbubIO

@Suite struct TimerHeapTests {
    @Test func popsInDeadlineOrderAndSkipsCancelled() {
        var heap = TimerHeap<String>()
        _ = heap.schedule(at: 30, "c")
        let b = heap.schedule(at: 20, "b")
        _ = heap.schedule(at: 10, "a")
        _ = heap.schedule(at: 20, "b2")
        let first = heap.cancel(b)
        let second = heap.cancel(b)
        #expect(first && !second)
        let next = heap.nextDeadline()
        #expect(next == 10)
        let early = heap.popDue(now: 5)
        #expect(early == nil)
        var fired: [String] = []
        while let p = heap.popDue(now: 100) { fired.append(p) }
        #expect(fired == ["a", "b2", "c"])
        let none = heap.nextDeadline()
        #expect(none == nil)
        #expect(heap.count == 0)
    }

    @Test func compactsWhenMostTimersAreCancelled() {
        var heap = TimerHeap<Int>()
        var ids: [TimerID] = []
        for i in 0..<1000 { ids.append(heap.schedule(at: UInt64(1000 - i), i)) }
        for id in ids.dropLast(10) { heap.cancel(id) }
        #expect(heap.count == 10)
        var fired: [Int] = []
        while let p = heap.popDue(now: .max) { fired.append(p) }
        #expect(fired == Array((990..<1000).reversed()))
    }
}
