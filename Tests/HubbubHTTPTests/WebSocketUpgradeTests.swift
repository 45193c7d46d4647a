import Foundation
import Testing
@testable import HubbubHTTP

@Suite struct WebSocketUpgradeTests {
    static let key = "dGhlIHNhbXBsZSBub25jZQ=="
    static let accept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" // RFC 6455 section 1.3

    private func handshake(
        method: HTTPMethod = .get,
        version: HTTPVersion = .http1_1,
        removing removed: [String] = [],
        setting replaced: [(String, String)] = [],
        adding added: [(String, String)] = []
    ) -> HTTPRequest {
        var headers: HTTPHeaders = [
            "Host": "server.example.com",
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Key": Self.key,
            "Origin": "http://example.com",
            "Sec-WebSocket-Version": "13",
        ]
        for name in removed { headers.remove(name: name) }
        for (name, value) in replaced { headers.replaceOrAdd(name: name, value: value) }
        for (name, value) in added { headers.add(name: name, value: value) }
        return HTTPRequest(method: method, target: "/chat", version: version, headers: headers)
    }

    private struct ErrorBody: Decodable {
        struct Inner: Decodable { var code: String; var message: String }
        var error: Inner
    }

    /// The rejection response and its JSON error code; records an issue on acceptance.
    private func rejection(
        _ result: WebSocketUpgradeResult,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> (response: HTTPResponse, code: String) {
        guard case .reject(let response) = result else {
            Issue.record("expected a rejection", sourceLocation: sourceLocation)
            throw CancellationError()
        }
        #expect(response.headers["Content-Type"] == "application/json", sourceLocation: sourceLocation)
        #expect(response.headers["Connection"] == "close", sourceLocation: sourceLocation)
        let body = try JSONDecoder().decode(ErrorBody.self, from: Data(response.body))
        return (response, body.error.code)
    }

    private func acceptance(
        _ result: WebSocketUpgradeResult,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> (response: HTTPResponse, subprotocol: String?) {
        guard case .accept(let response, let subprotocol) = result else {
            Issue.record("expected an acceptance: \(result)", sourceLocation: sourceLocation)
            throw CancellationError()
        }
        return (response, subprotocol)
    }

    @Test func acceptValueMatchesRFC6455Example() {
        #expect(WebSocketUpgrade.acceptValue(forKey: Self.key) == Self.accept)
        #expect(SHA1.digest(bytes("abc")).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
            == "a9993e364706816aba3e25717850c26c9cd0d89d")
    }

    @Test func acceptsValidHandshake() throws {
        let (response, subprotocol) = try acceptance(WebSocketUpgrade.evaluate(handshake(), config: .init()))
        #expect(subprotocol == nil)
        #expect(response.status == .switchingProtocols)
        #expect(response.headers == ["Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Accept": Self.accept])
        #expect(response.body == [])
        #expect(String(decoding: response.serialize(keepAlive: true), as: UTF8.self)
            == "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: \(Self.accept)\r\n\r\n")
    }

    @Test func acceptsParsedRequestWithTokenLists() throws {
        let request = try #require(parseOne(
            "GET /chat HTTP/1.1\r\nHost: h\r\nUpgrade: WebSocket\r\nConnection: keep-alive, upgrade\r\n"
                + "Sec-WebSocket-Key: \(Self.key)\r\nSec-WebSocket-Version: 13\r\n\r\n"))
        #expect(WebSocketUpgrade.isUpgradeRequest(request))
        let (response, _) = try acceptance(WebSocketUpgrade.evaluate(request, config: .init()))
        #expect(response.headers["Sec-WebSocket-Accept"] == Self.accept)
    }

    @Test func detectsUpgradeRequests() {
        #expect(WebSocketUpgrade.isUpgradeRequest(handshake()))
        #expect(WebSocketUpgrade.isUpgradeRequest(handshake(setting: [("Upgrade", "foo/2, WEBSOCKET")])))
        #expect(!WebSocketUpgrade.isUpgradeRequest(handshake(setting: [("Upgrade", "h2c")])))
        #expect(!WebSocketUpgrade.isUpgradeRequest(handshake(removing: ["Upgrade"])))
    }

    @Test func rejectsOtherMethodsWith405() throws {
        let (response, code) = try rejection(WebSocketUpgrade.evaluate(handshake(method: .post), config: .init()))
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers["Allow"] == "GET")
        #expect(code == "method_not_allowed")
        let text = String(decoding: response.serialize(keepAlive: false), as: UTF8.self)
        #expect(text.components(separatedBy: "Connection: close").count == 2)
    }

    @Test func rejectsHTTP10() throws {
        let (response, code) = try rejection(WebSocketUpgrade.evaluate(handshake(version: .http1_0), config: .init()))
        #expect(response.status == .badRequest)
        #expect(code == "http_version_too_old")
    }

    @Test(arguments: [
        ([("Host", "")], "missing_host"),
        ([("Upgrade", "")], "missing_upgrade"),
        ([("Upgrade", "websockets")], "missing_upgrade"),
        ([("Connection", "")], "missing_connection_upgrade"),
        ([("Connection", "keep-alive")], "missing_connection_upgrade"),
        ([("Sec-WebSocket-Key", "")], "invalid_websocket_key"),
        ([("Sec-WebSocket-Key", "AQIDBAUGBwgJCgsMDQ4P")], "invalid_websocket_key"), // 15 bytes
        ([("Sec-WebSocket-Key", "AQIDBAUGBwgJCgsMDQ4PEBE=")], "invalid_websocket_key"), // 17 bytes
        ([("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ")], "invalid_websocket_key"), // unpadded
        ([("Sec-WebSocket-Key", "not base64 at all!!!!!==")], "invalid_websocket_key"),
    ] as [([(String, String)], String)])
    func rejectsWith400(change: [(String, String)], expectedCode: String) throws {
        // An empty value stands for removing the field.
        let removed = change.filter { $0.1.isEmpty }.map(\.0)
        let replaced = change.filter { !$0.1.isEmpty }
        let request = handshake(removing: removed, setting: replaced)
        let (response, code) = try rejection(WebSocketUpgrade.evaluate(request, config: .init()))
        #expect(response.status == .badRequest)
        #expect(code == expectedCode)
    }

    @Test func rejectsTwoKeys() throws {
        let request = handshake(adding: [("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAAA==")])
        let (response, code) = try rejection(WebSocketUpgrade.evaluate(request, config: .init()))
        #expect(response.status == .badRequest)
        #expect(code == "invalid_websocket_key")
    }

    @Test(arguments: [Optional("8"), "12", "13, 8", "", nil])
    func rejectsOtherVersionsWith426(version: String?) throws {
        let request = version.map { handshake(setting: [("Sec-WebSocket-Version", $0)]) }
            ?? handshake(removing: ["Sec-WebSocket-Version"])
        let (response, code) = try rejection(WebSocketUpgrade.evaluate(request, config: .init()))
        #expect(response.status == .upgradeRequired)
        #expect(response.headers["Sec-WebSocket-Version"] == "13")
        #expect(response.headers["Upgrade"] == "websocket")
        #expect(code == "unsupported_websocket_version")
    }

    @Test func rejectsDuplicateVersionWith426() throws {
        let request = handshake(adding: [("Sec-WebSocket-Version", "13")])
        let (response, _) = try rejection(WebSocketUpgrade.evaluate(request, config: .init()))
        #expect(response.status == .upgradeRequired)
    }

    @Test func originHook() throws {
        let config = WebSocketUpgradeConfig(originAllowed: { $0 == "https://app.example" })
        let allowed = handshake(setting: [("Origin", "https://app.example")])
        #expect(try acceptance(WebSocketUpgrade.evaluate(allowed, config: config)).response.status == .switchingProtocols)

        let (response, code) = try rejection(WebSocketUpgrade.evaluate(handshake(), config: config))
        #expect(response.status == .forbidden)
        #expect(code == "origin_not_allowed")

        let noOrigin = handshake(removing: ["Origin"])
        #expect(try rejection(WebSocketUpgrade.evaluate(noOrigin, config: config)).response.status == .forbidden)
        let allowMissing = WebSocketUpgradeConfig(originAllowed: { $0 == nil })
        #expect(try acceptance(WebSocketUpgrade.evaluate(noOrigin, config: allowMissing)).subprotocol == nil)
    }

    @Test func negotiatesServerPreferredSubprotocol() throws {
        let config = WebSocketUpgradeConfig(subprotocols: ["hubbub.v2", "hubbub.v1"])
        let request = handshake(adding: [("Sec-WebSocket-Protocol", "chat, hubbub.v1"), ("Sec-WebSocket-Protocol", " hubbub.v2 ")])
        let (response, subprotocol) = try acceptance(WebSocketUpgrade.evaluate(request, config: config))
        #expect(subprotocol == "hubbub.v2")
        #expect(response.headers.values(for: "Sec-WebSocket-Protocol") == ["hubbub.v2"])

        let onlyV1 = handshake(adding: [("Sec-WebSocket-Protocol", "hubbub.v1,chat")])
        #expect(try acceptance(WebSocketUpgrade.evaluate(onlyV1, config: config)).subprotocol == "hubbub.v1")
    }

    @Test func noMatchingSubprotocol() throws {
        let request = handshake(adding: [("Sec-WebSocket-Protocol", "HUBBUB.V1, chat")])
        let optional = WebSocketUpgradeConfig(subprotocols: ["hubbub.v1"])
        let (response, subprotocol) = try acceptance(WebSocketUpgrade.evaluate(request, config: optional))
        #expect(subprotocol == nil)
        #expect(!response.headers.contains(name: "Sec-WebSocket-Protocol"))

        let required = WebSocketUpgradeConfig(subprotocols: ["hubbub.v1"], requireSubprotocol: true)
        let (rejected, code) = try rejection(WebSocketUpgrade.evaluate(request, config: required))
        #expect(rejected.status == .badRequest)
        #expect(code == "unsupported_subprotocol")
        let none = handshake()
        #expect(try rejection(WebSocketUpgrade.evaluate(none, config: required)).code == "unsupported_subprotocol")
    }

    @Test func checksRunInDocumentedOrder() throws {
        // POST without Host and a bad key: the method is reported first.
        let request = handshake(method: .post, removing: ["Host"], setting: [("Sec-WebSocket-Key", "x")])
        #expect(try rejection(WebSocketUpgrade.evaluate(request, config: .init())).code == "method_not_allowed")
        // Wrong version and bad key: 426 first.
        let versionAndKey = handshake(setting: [("Sec-WebSocket-Version", "8"), ("Sec-WebSocket-Key", "x")])
        #expect(try rejection(WebSocketUpgrade.evaluate(versionAndKey, config: .init())).response.status == .upgradeRequired)
        // Bad key and bad origin: the key first.
        let keyAndOrigin = handshake(setting: [("Sec-WebSocket-Key", "x")])
        let denyAll = WebSocketUpgradeConfig(originAllowed: { _ in false })
        #expect(try rejection(WebSocketUpgrade.evaluate(keyAndOrigin, config: denyAll)).code == "invalid_websocket_key")
    }
}
