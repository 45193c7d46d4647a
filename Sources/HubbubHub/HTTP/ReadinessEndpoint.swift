import HubbubHTTP
import HubbubJSON
import HubbubServer
import HubbubStore
import Synchronization

/// `/readyz`: 200 when the store answers a ping within `timeout` and, on a node of a
/// cluster, its broker link is up; else 503 with the reason, so a load balancer sends no
/// clients to a node that cannot persist or reach the other nodes.
public struct ReadinessEndpoint: AsyncHTTPEndpoint {
    let store: any Store
    let hub: Hub?
    let timeout: Duration

    public init(store: any Store, hub: Hub? = nil, timeout: Duration = .seconds(2)) {
        self.store = store
        self.hub = hub
        self.timeout = timeout
    }

    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        let storeProblem = await Self.check(store, timeout: timeout)
        let brokerProblem: String? = hub?.cluster.map { $0.isLinkUp ? nil : "the broker link is down" } ?? nil
        let ready = storeProblem == nil && brokerProblem == nil
        var out = JSONOutput()
        out.beginObject()
        out.member("status", ready ? "ready" : "unavailable")
        out.key("checks")
        out.beginObject()
        out.member("store", storeProblem ?? "ok")
        if hub?.cluster != nil { out.member("broker", brokerProblem ?? "ok") }
        out.endObject()
        out.endObject()
        return HTTPResponse(
            status: ready ? .ok : .serviceUnavailable, headers: ["Content-Type": "application/json"], body: out.bytes)
    }

    /// nil when the store answered in time, else why not. A ping that hangs is left
    /// behind (stores do not all honour cancellation); the answer does not wait for it.
    static func check(_ store: any Store, timeout: Duration) async -> String? {
        let once = FirstAnswer()
        return await withCheckedContinuation { continuation in
            once.install(continuation)
            Task {
                do {
                    try await store.ping()
                    once.answer(nil)
                } catch {
                    once.answer("\(error)")
                }
            }
            Task {
                try? await Task.sleep(for: timeout)
                once.answer("no answer within \(timeout)")
            }
        }
    }
}

/// Resumes a continuation with the first answer given; later answers are dropped.
private final class FirstAnswer: Sendable {
    private let state = Mutex<(CheckedContinuation<String?, Never>?, Bool)>((nil, false))

    func install(_ continuation: CheckedContinuation<String?, Never>) {
        state.withLock { $0.0 = continuation }
    }

    func answer(_ value: String?) {
        let continuation: CheckedContinuation<String?, Never>? = state.withLock { state in
            guard !state.1, let continuation = state.0 else { return nil }
            state = (nil, true)
            return continuation
        }
        continuation?.resume(returning: value)
    }
}
