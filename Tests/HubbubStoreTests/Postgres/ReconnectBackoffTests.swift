@testable import HubbubPostgres
import HubbubSupport
import Testing

@Suite("PostgreSQL: reconnect backoff")
struct ReconnectBackoffTests {
    @Test func doublesUpToTheCapAndStartsOverAfterASuccess() {
        var backoff = ReconnectBackoff(initial: .milliseconds(100), maximum: .seconds(5))
        let delays = (0..<9).map { _ in backoff.failed() }
        #expect(delays == [100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000].map { Duration.milliseconds($0) })
        backoff.succeeded()
        #expect(backoff.failed() == .milliseconds(100))
        for _ in 0..<200 { _ = backoff.failed() }
        #expect(backoff.failed() == .seconds(5), "no overflow after many failures")
    }
}
