import HubbubBroker

/// The ``BrokerError`` `body` throws (`nil` when it returns or throws something else).
func caught(_ body: () async throws -> Void) async -> BrokerError? {
    do {
        try await body()
        return nil
    } catch {
        return error as? BrokerError
    }
}
