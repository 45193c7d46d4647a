import HubbubPostgres
import HubbubStore

extension StoreFactory {
    /// The PostgreSQL store on a fresh database of the shared test server (dropped
    /// afterwards), migrated at open. Fails, never skips, when PostgreSQL is missing.
    static let postgres = StoreFactory(name: "postgres") {
        let server = try await PostgresServer.shared()
        let database = try await server.createDatabase()
        let store: PostgresStore
        do {
            store = try await PostgresStore(url: server.url(database: database), configuration: .forTests)
        } catch {
            await server.dropDatabase(database)
            throw error
        }
        return OpenedStore(store: store) {
            await store.close()
            await server.dropDatabase(database)
        }
    }
}

extension PostgresStore.Configuration {
    /// Two connections (many tests run at once), migrated at open.
    static var forTests: PostgresStore.Configuration {
        var configuration = PostgresStore.Configuration()
        configuration.poolSize = 2
        configuration.migrateOnOpen = true
        return configuration
    }
}
