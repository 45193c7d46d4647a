extension EventLoop {
    /// Runs `body` on the loop thread and returns its result to the caller.
    public func submit<T: Sendable>(_ body: @escaping @Sendable (LoopEngine) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            execute { engine in
                continuation.resume(with: Result { try body(engine) })
            }
        }
    }
}
