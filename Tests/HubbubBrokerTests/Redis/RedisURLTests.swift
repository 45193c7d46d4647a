import HubbubBroker
import Testing

@Suite("Redis URL")
struct RedisURLTests {
    @Test func parsesEveryPart() throws {
        let url = try RedisURL(parsing: "redis://:s%40cret@cache.internal:6380/3")
        #expect(url == RedisURL(host: "cache.internal", port: 6380, database: 3, user: nil, password: "s@cret"))
        #expect(url.description == "redis://:***@cache.internal:6380/3")
    }

    @Test func defaultsPortAndDatabase() throws {
        #expect(try RedisURL(parsing: "redis://127.0.0.1") == RedisURL(host: "127.0.0.1"))
        #expect(try RedisURL(parsing: "redis://localhost:7000/") == RedisURL(host: "localhost", port: 7000))
    }

    @Test func takesAnACLUserAndIPv6() throws {
        #expect(
            try RedisURL(parsing: "redis://hub:pw@[::1]:6379/1")
                == RedisURL(host: "::1", port: 6379, database: 1, user: "hub", password: "pw"))
        #expect(try RedisURL(parsing: "redis://pw@host") == RedisURL(host: "host", password: "pw"))
    }

    @Test(arguments: [
        "http://host:6379", "rediss://host:6379", "redis://", "redis://host:0", "redis://host:70000",
        "redis://host:port", "redis://host/db", "redis://host/-1", "redis://:bad%zz@host", "redis://host?x=1",
        "redis://[::1", "redis://[::1]x",
    ])
    func refusesMalformed(text: String) {
        #expect(performing: { _ = try RedisURL(parsing: text) }, throws: { ($0 as? BrokerError)?.code == .invalidArgument })
    }
}
