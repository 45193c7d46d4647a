import Foundation
import Testing
@testable import HubbubHTTP

@Suite struct HTTPResponseTests {
    private func text(_ response: HTTPResponse, keepAlive: Bool) -> String {
        String(decoding: response.serialize(keepAlive: keepAlive), as: UTF8.self)
    }

    @Test func serializesWithContentLength() {
        let response = HTTPResponse(status: .ok, headers: ["Content-Type": "text/plain"], body: bytes("hello"))
        #expect(text(response, keepAlive: true)
            == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello")
        #expect(text(response, keepAlive: false)
            == "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")
    }

    @Test func emptyBodyGetsZeroLength() {
        #expect(text(HTTPResponse(status: .notFound), keepAlive: true) == "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
    }

    @Test func keepsExistingContentLengthAndConnection() {
        let response = HTTPResponse(status: .ok, headers: ["content-length": "0", "Connection": "close"])
        #expect(text(response, keepAlive: false) == "HTTP/1.1 200 OK\r\ncontent-length: 0\r\nConnection: close\r\n\r\n")
        let other = HTTPResponse(status: .ok, headers: ["Connection": "keep-alive"])
        #expect(text(other, keepAlive: false)
            == "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    }

    @Test func noContentLengthFor1xxAnd204() {
        #expect(text(HTTPResponse(status: .noContent), keepAlive: true) == "HTTP/1.1 204 No Content\r\n\r\n")
        #expect(text(HTTPResponse(status: .switchingProtocols, headers: ["Upgrade": "websocket"]), keepAlive: true)
            == "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n")
        #expect(text(HTTPResponse(status: HTTPStatus(code: 103, reasonPhrase: "Early Hints")), keepAlive: true)
            == "HTTP/1.1 103 Early Hints\r\n\r\n")
    }

    @Test func cannotInjectLines() {
        let response = HTTPResponse(
            status: HTTPStatus(code: 200, reasonPhrase: "OK\r\nX-Evil: 1"),
            headers: HTTPHeaders([("X-Value", "a\r\nSet-Cookie: x\u{0}"), ("Bad Name", "v"), ("Bad\r\nName", "v")]))
        #expect(text(response, keepAlive: true)
            == "HTTP/1.1 200 OK  X-Evil: 1\r\nX-Value: a  Set-Cookie: x \r\nContent-Length: 0\r\n\r\n")
    }

    @Test func errorBody() {
        let response = HTTPResponse.error(.notFound, code: "not_found", message: "no such room")
        #expect(response.status == .notFound)
        #expect(response.headers == ["Content-Type": "application/json"])
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"error":{"code":"not_found","message":"no such room"}}"#)
        #expect(text(response, keepAlive: false)
            == "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 55\r\nConnection: close\r\n\r\n"
            + #"{"error":{"code":"not_found","message":"no such room"}}"#)
    }

    @Test func jsonEscaping() {
        #expect(JSONEscaping.escape(#"say "hi" \o/"#) == #"say \"hi\" \\o/"#)
        #expect(JSONEscaping.escape("a\nb\rc\td\u{08}e\u{0C}f") == #"a\nb\rc\td\be\ff"#)
        #expect(JSONEscaping.escape("\u{00}\u{01}\u{1F}\u{7F}") == "\\u0000\\u0001\\u001f\u{7F}")
        #expect(JSONEscaping.escape("caf\u{E9} \u{1F600} \u{2028}") == "caf\u{E9} \u{1F600} \u{2028}")
    }

    @Test func errorBodyIsValidJSON() throws {
        let message = "quote \" backslash \\ newline \n nul \u{0} bell \u{07} emoji \u{1F600} </script>"
        let response = HTTPResponse.error(.badRequest, code: "a\"b", message: message)
        struct Body: Decodable {
            struct Inner: Decodable { var code: String; var message: String }
            var error: Inner
        }
        let decoded = try JSONDecoder().decode(Body.self, from: Data(response.body))
        #expect(decoded.error.code == "a\"b")
        #expect(decoded.error.message == message)
    }
}
