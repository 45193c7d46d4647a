import Testing

@Suite struct TimeLimitTests {
    @Test func aWaitThatNeverEndsFailsInsteadOfHanging() async throws {
        let started = ContinuousClock.now
        await #expect(throws: TimeLimitExceeded.self) {
            try await withTimeLimit(.milliseconds(300)) {
                await withCheckedContinuation { (_: CheckedContinuation<Void, Never>) in }  // never resumed
            }
        }
        #expect(ContinuousClock.now - started < .seconds(60))
    }

    @Test func theBodysResultAndErrorPassThrough() async throws {
        #expect(try await withTimeLimit(.seconds(60)) { 42 } == 42)
        struct Boom: Error {}
        await #expect(throws: Boom.self) { try await withTimeLimit(.seconds(60)) { throw Boom() } }
    }
}
