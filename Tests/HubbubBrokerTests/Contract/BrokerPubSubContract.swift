import HubbubBroker
import Testing

/// The pub/sub half of the ``Broker`` contract, run against every implementation.
@Suite("Broker contract: pub/sub")
struct BrokerPubSubContract {
    @Test(arguments: BrokerKind.allCases)
    func deliversInPublishOrderToEveryNodeIncludingThePublisher(kind: BrokerKind) async throws {
        try await withNodes(kind, 2) { nodes in
            let remote = Inbox()
            let local = Inbox()
            _ = try await nodes[1].subscribe("room:1", handler: remote.handler)
            _ = try await nodes[0].subscribe("room:1", handler: local.handler)
            let sent = (0..<300).map { "event \($0)" }
            for text in sent { try await nodes[0].publish(text.bytes, to: "room:1") }
            #expect(await remote.wait(for: sent.count))
            #expect(await local.wait(for: sent.count))
            #expect(remote.texts == sent)
            #expect(local.texts == sent)
            #expect(Set(remote.channels) == ["room:1"])
        }
    }

    @Test(arguments: BrokerKind.allCases)
    func keepsOnePublishersOrderAcrossChannels(kind: BrokerKind) async throws {
        try await withNodes(kind, 2) { nodes in
            let inbox = Inbox()
            _ = try await nodes[1].subscribe("a", handler: inbox.handler)
            _ = try await nodes[1].subscribe("b", handler: inbox.handler)
            var sent: [String] = []
            for index in 0..<100 {
                let channel = index % 3 == 0 ? "a" : "b"
                sent.append("\(channel)\(index)")
                try await nodes[0].publish("\(channel)\(index)".bytes, to: channel)
            }
            #expect(await inbox.wait(for: sent.count))
            #expect(inbox.texts == sent)
        }
    }

    @Test(arguments: BrokerKind.allCases)
    func carriesAnyBytes(kind: BrokerKind) async throws {
        try await withNodes(kind, 2) { nodes in
            let inbox = Inbox()
            _ = try await nodes[1].subscribe("bytes", handler: inbox.handler)
            let payloads: [[UInt8]] = [Array(0...255), [], [0, 0, 13, 10], Array(repeating: 0x61, count: 200_000)]
            for payload in payloads { try await nodes[0].publish(payload, to: "bytes") }
            #expect(await inbox.wait(for: payloads.count))
            #expect(inbox.payloads == payloads)
        }
    }

    @Test(arguments: BrokerKind.allCases)
    func unsubscribeStopsDelivery(kind: BrokerKind) async throws {
        try await withNodes(kind, 2) { nodes in
            let inbox = Inbox()
            let barrier = Inbox()
            let subscription = try await nodes[1].subscribe("c", handler: inbox.handler)
            _ = try await nodes[1].subscribe("barrier", handler: barrier.handler)
            try await nodes[0].publish("before".bytes, to: "c")
            #expect(await inbox.wait(for: 1))
            await nodes[1].unsubscribe(subscription)
            await nodes[1].unsubscribe(subscription)  // a second time does nothing
            try await nodes[0].publish("after".bytes, to: "c")
            try await nodes[0].publish("done".bytes, to: "barrier")
            #expect(await barrier.wait(for: 1))
            #expect(inbox.texts == ["before"])
        }
    }

    @Test(arguments: BrokerKind.allCases)
    func subscriptionsAreReferenceCounted(kind: BrokerKind) async throws {
        try await withNodes(kind, 2) { nodes in
            let first = Inbox()
            let second = Inbox()
            let barrier = Inbox()
            _ = try await nodes[1].subscribe("barrier", handler: barrier.handler)
            let one = try await nodes[1].subscribe("room", handler: first.handler)
            let two = try await nodes[1].subscribe("room", handler: second.handler)
            #expect(one != two)

            try await nodes[0].publish("1".bytes, to: "room")
            #expect(await first.wait(for: 1))
            #expect(await second.wait(for: 1))

            await nodes[1].unsubscribe(one)  // the channel stays: `two` is live
            try await nodes[0].publish("2".bytes, to: "room")
            #expect(await second.wait(for: 2))

            await nodes[1].unsubscribe(two)  // the last one: the node leaves the channel
            try await nodes[0].publish("3".bytes, to: "room")
            try await nodes[0].publish("end".bytes, to: "barrier")
            #expect(await barrier.wait(for: 1))
            #expect(first.texts == ["1"])
            #expect(second.texts == ["1", "2"])

            let three = try await nodes[1].subscribe("room", handler: first.handler)  // and back
            try await nodes[0].publish("4".bytes, to: "room")
            #expect(await first.wait(for: 2))
            #expect(first.texts == ["1", "4"])
            await nodes[1].unsubscribe(three)
        }
    }

    @Test(arguments: BrokerKind.allCases)
    func rapidSubscribeAndUnsubscribeEndsSubscribed(kind: BrokerKind) async throws {
        try await withNodes(kind, 2) { nodes in
            let inbox = Inbox()
            for _ in 0..<20 {
                let subscription = try await nodes[1].subscribe("flap", handler: { _, _ in })
                await nodes[1].unsubscribe(subscription)
            }
            _ = try await nodes[1].subscribe("flap", handler: inbox.handler)
            try await nodes[0].publish("here".bytes, to: "flap")
            #expect(await inbox.wait(for: 1))
            #expect(inbox.texts == ["here"])
        }
    }

    @Test(arguments: BrokerKind.allCases)
    func connectionEventsStartWithTheCurrentState(kind: BrokerKind) async throws {
        try await withNodes(kind, 1) { nodes in
            let events = EventLog(nodes[0].connectionEvents())
            #expect(await events.next() == .connected)
        }
    }

    @Test(arguments: BrokerKind.allCases)
    func refusesCallsAfterShutdown(kind: BrokerKind) async throws {
        let nodes = try await kind.makeNodes(1)
        let broker = nodes[0]
        let events = EventLog(broker.connectionEvents())
        await broker.shutdown()
        await broker.shutdown()  // idempotent
        await #expect(throws: BrokerError.shutdown) { try await broker.publish([1], to: "c") }
        await #expect(throws: BrokerError.shutdown) { _ = try await broker.subscribe("c") { _, _ in } }
        await #expect(throws: BrokerError.shutdown) { try await broker.heartbeat(node: "n", ttl: .seconds(1)) }
        #expect(await events.all() == [.connected])  // finished by the shutdown
    }

    @Test(arguments: BrokerKind.allCases)
    func refusesInvalidArguments(kind: BrokerKind) async throws {
        try await withNodes(kind, 1) { nodes in
            let broker = nodes[0]
            let invalid: (any Error) -> Bool = { ($0 as? BrokerError)?.code == .invalidArgument }
            await #expect(performing: { try await broker.publish([1], to: "") }, throws: invalid)
            await #expect(performing: { _ = try await broker.subscribe("") { _, _ in } }, throws: invalid)
            await #expect(performing: { try await broker.heartbeat(node: "", ttl: .seconds(1)) }, throws: invalid)
            await #expect(performing: { try await broker.heartbeat(node: "a\u{0}b", ttl: .seconds(1)) }, throws: invalid)
            await #expect(performing: { try await broker.heartbeat(node: "n", ttl: .zero) }, throws: invalid)
            await #expect(performing: { try await broker.userOnline(userID: "", node: "n") }, throws: invalid)
            await #expect(performing: { _ = try await broker.presenceAll(room: "") }, throws: invalid)
        }
    }
}
