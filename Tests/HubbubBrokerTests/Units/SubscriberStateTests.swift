@testable import HubbubBroker
import HubbubSupport
import Testing

/// The subscriber's bookkeeping, without a server.
@Suite("Subscriber state")
struct SubscriberStateTests {
    @Test func aChannelIsActiveOnceEveryReplyIsIn() {
        var state = SubscriberState()
        let (subscription, _) = state.table.add("c") { _, _ in }
        #expect(state.changes() == (["c"], []))
        #expect(!state.isActive("c"))
        _ = state.table.remove(subscription)
        _ = state.table.add("c") { _, _ in }
        // Unsubscribed and subscribed again before any reply: nothing to send (the server
        // was already asked to subscribe), and one reply still due.
        #expect(state.changes() == ([], []))
        _ = state.confirmed("c")
        #expect(state.isActive("c"))
        #expect(state.isSettled)
    }

    @Test func flappingCountsEveryReply() {
        var state = SubscriberState()
        let (first, _) = state.table.add("c") { _, _ in }
        _ = state.changes()  // SUBSCRIBE c
        _ = state.table.remove(first)
        _ = state.changes()  // UNSUBSCRIBE c
        _ = state.table.add("c") { _, _ in }
        _ = state.changes()  // SUBSCRIBE c
        state.waiters["c"] = [{}]
        #expect(state.confirmed("c").isEmpty)  // the first SUBSCRIBE's reply: two still due
        #expect(state.confirmed("c").isEmpty)
        #expect(state.confirmed("c").count == 1)
        #expect(state.isActive("c"))
    }

    @Test func aResetForgetsTheServerAndReleasesWaiters() {
        var state = SubscriberState()
        _ = state.table.add("a") { _, _ in }
        _ = state.changes()
        state.up = true
        state.waiters["a"] = [{}, {}]
        #expect(state.reset().count == 2)
        #expect(!state.up)
        #expect(state.changes() == (["a"], []))  // everything is subscribed again
    }

    @Test func backoffDoublesUpToItsCap() {
        var backoff = ReconnectBackoff(initial: .milliseconds(50), maximum: .milliseconds(300))
        let delays = (0..<5).map { _ in backoff.failed() }
        #expect(delays == [.milliseconds(50), .milliseconds(100), .milliseconds(200), .milliseconds(300), .milliseconds(300)])
        backoff.succeeded()
        #expect(backoff.failed() == .milliseconds(50))
    }
}
