import HubbubStore
import Testing

/// Runs every ``StoreContract`` behaviour against every ``StoreFactory``.
@Suite("Store contract")
struct StoreContractTests {
    @Test(arguments: StoreFactory.all)
    func projectsCRUD(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).projectsCRUD() }
    }

    @Test(arguments: StoreFactory.all)
    func deleteProjectCascades(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).deleteProjectCascades() }
    }

    @Test(arguments: StoreFactory.all)
    func membersCRUD(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).membersCRUD() }
    }

    @Test(arguments: StoreFactory.all)
    func columnsAndBoardOrdering(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).columnsAndBoardOrdering() }
    }

    @Test(arguments: StoreFactory.all)
    func pingAndClose(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).pingAndClose() }
    }

    @Test(arguments: StoreFactory.all)
    func commentsGetConsecutiveSeqs(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).commentsGetConsecutiveSeqs() }
    }

    @Test(arguments: StoreFactory.all)
    func commentReferentialIntegrity(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).commentReferentialIntegrity() }
    }

    @Test(arguments: StoreFactory.all)
    func gaplessSeqsUnderConcurrency(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).gaplessSeqsUnderConcurrency() }
    }

    @Test(arguments: StoreFactory.all)
    func seqsAreIndependentPerRoom(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).seqsAreIndependentPerRoom() }
    }

    @Test(arguments: StoreFactory.all)
    func eventsPaging(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).eventsPaging() }
    }

    @Test(arguments: StoreFactory.all)
    func pruningAndOldestRetainedSeq(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).pruningAndOldestRetainedSeq() }
    }

    @Test(arguments: StoreFactory.all)
    func customEvents(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).customEvents() }
    }

    @Test(arguments: StoreFactory.all)
    func idempotentRetry(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).idempotentRetry() }
    }

    @Test(arguments: StoreFactory.all)
    func reusedKeyIsRefused(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).reusedKeyIsRefused() }
    }

    @Test(arguments: StoreFactory.all)
    func failuresAreNotRemembered(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).failuresAreNotRemembered() }
    }

    @Test(arguments: StoreFactory.all)
    func duplicateAfterPruning(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).duplicateAfterPruning() }
    }

    @Test(arguments: StoreFactory.all)
    func idempotencyPurge(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).idempotencyPurge() }
    }

    @Test(arguments: StoreFactory.all)
    func cardCreation(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).cardCreation() }
    }

    @Test(arguments: StoreFactory.all)
    func cardMoves(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).cardMoves() }
    }

    @Test(arguments: StoreFactory.all)
    func staleMoveConflicts(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).staleMoveConflicts() }
    }

    @Test(arguments: StoreFactory.all)
    func concurrentMovesStayConsistent(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).concurrentMovesStayConsistent() }
    }

    @Test(arguments: StoreFactory.all)
    func failingCommandsDoNotBreakTheBatch(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).failingCommandsDoNotBreakTheBatch() }
    }

    @Test(arguments: StoreFactory.all)
    func outboxWrittenWithTheComment(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).outboxWrittenWithTheComment() }
    }

    @Test(arguments: StoreFactory.all)
    func outboxLifecycle(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).outboxLifecycle() }
    }
}
