import ArgumentParser
import Dispatch
import Foundation
import HubbubStore
import Synchronization

/// Runs the body of an admin command against the store (a data directory's SQLite file,
/// or PostgreSQL with `--database-url`).
///
/// The root command is synchronous (`hubbub serve` blocks its signals before any thread
/// starts), so admin commands are too: the async body runs in a task while the calling
/// thread waits. The store is always closed before the command returns, and errors
/// become a message on stderr and an exit status (``AdminError``).
enum AdminRunner {
    static func run(
        _ location: StoreLocation, _ body: @escaping @Sendable (AdminSession) async throws -> Void
    ) throws {
        let result = waitFor {
            let store: any Store
            do throws(StoreError) {
                store = try await location.open()
            } catch {
                throw AdminError.failure("cannot open \(location): \(AdminError.store(error).message)")
            }
            do {
                try await body(AdminSession(store: store))
            } catch {
                await store.close()
                throw error
            }
            await store.close()
        }
        switch result {
        case .success:
            return
        case .failure(let error as AdminError):
            throw exit(error)
        case .failure(let error as StoreError):
            throw exit(.store(error))
        case .failure(let error):
            throw exit(.failure("\(error)"))
        }
    }

    /// Writes the message to stderr; the caller throws the returned exit code.
    static func exit(_ error: AdminError) -> ExitCode {
        FileHandle.standardError.write(Data("Error: \(error.message)\n".utf8))
        return ExitCode(error.exitCode)
    }

    /// Runs `body` in a task and blocks the calling (non-async) thread until it is done.
    private static func waitFor(_ body: @escaping @Sendable () async throws -> Void) -> Result<Void, any Error> {
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                try await body()
                box.set(.success(()))
            } catch {
                box.set(.failure(error))
            }
            done.signal()
        }
        done.wait()
        return box.get()
    }

    private final class ResultBox: Sendable {
        private let value = Mutex<Result<Void, any Error>>(.success(()))

        func set(_ result: Result<Void, any Error>) {
            value.withLock { $0 = result }
        }

        func get() -> Result<Void, any Error> {
            value.withLock { $0 }
        }
    }
}
