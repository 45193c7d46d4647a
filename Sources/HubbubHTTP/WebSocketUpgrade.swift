/// Server side of the WebSocket opening handshake (RFC 6455 section 4.2).
public enum WebSocketUpgrade {
    /// The GUID appended to the client key (RFC 6455 section 1.3).
    static let acceptGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// Whether the request asks for a WebSocket upgrade: its `Upgrade` field lists the
    /// token `websocket` (any case). Such a request should be answered with ``evaluate(_:config:)``.
    public static func isUpgradeRequest(_ request: HTTPRequest) -> Bool {
        request.headers.containsToken("websocket", in: "Upgrade")
    }

    /// Validates a handshake request and builds the response.
    ///
    /// Checks, in this order, with the status of the rejection:
    /// 1. method GET, else 405 with `Allow: GET`;
    /// 2. HTTP/1.1 or later, else 400;
    /// 3. a Host field, else 400;
    /// 4. `Upgrade` lists `websocket`, else 400;
    /// 5. `Connection` lists `upgrade`, else 400;
    /// 6. exactly one `Sec-WebSocket-Version`, equal to `13`, else 426 with
    ///    `Sec-WebSocket-Version: 13` and `Upgrade: websocket` (checked before the key so
    ///    clients of other protocol versions learn which version to use);
    /// 7. exactly one `Sec-WebSocket-Key` that is base64 of 16 bytes, else 400;
    /// 8. ``WebSocketUpgradeConfig/originAllowed`` accepts the `Origin` value, else 403;
    /// 9. if ``WebSocketUpgradeConfig/requireSubprotocol``, an offered subprotocol is
    ///    supported, else 400.
    ///
    /// The negotiated subprotocol is the first of ``WebSocketUpgradeConfig/subprotocols``
    /// that appears (exact match) in the comma-separated lists of all
    /// `Sec-WebSocket-Protocol` fields. Rejections carry a JSON error body (see
    /// ``HTTPResponse/error(_:code:message:)``) and `Connection: close`.
    public static func evaluate(_ request: HTTPRequest, config: WebSocketUpgradeConfig) -> WebSocketUpgradeResult {
        let headers = request.headers
        guard request.method == .get else {
            var response = HTTPResponse.error(
                .methodNotAllowed, code: "method_not_allowed", message: "WebSocket upgrades require GET")
            response.headers.add(name: "Allow", value: "GET")
            return reject(response)
        }
        guard request.version >= .http1_1 else {
            return reject(.badRequest, code: "http_version_too_old", message: "WebSocket upgrades require HTTP/1.1")
        }
        guard headers.contains(name: "Host") else {
            return reject(.badRequest, code: "missing_host", message: "missing Host header")
        }
        guard headers.containsToken("websocket", in: "Upgrade") else {
            return reject(.badRequest, code: "missing_upgrade", message: "Upgrade header must include websocket")
        }
        guard headers.containsToken("upgrade", in: "Connection") else {
            return reject(.badRequest, code: "missing_connection_upgrade", message: "Connection header must include upgrade")
        }
        guard headers.values(for: "Sec-WebSocket-Version") == ["13"] else {
            var response = HTTPResponse.error(
                .upgradeRequired, code: "unsupported_websocket_version", message: "Sec-WebSocket-Version must be 13")
            response.headers.add(name: "Sec-WebSocket-Version", value: "13")
            response.headers.add(name: "Upgrade", value: "websocket")
            return reject(response)
        }
        let keys = headers.values(for: "Sec-WebSocket-Key")
        guard keys.count == 1, let key = keys.first, Base64.decode(key)?.count == 16 else {
            return reject(
                .badRequest, code: "invalid_websocket_key",
                message: "Sec-WebSocket-Key must be the base64 encoding of 16 bytes")
        }
        guard config.originAllowed(headers["Origin"]) else {
            return reject(.forbidden, code: "origin_not_allowed", message: "origin not allowed")
        }
        let subprotocol = negotiateSubprotocol(offered: headers.values(for: "Sec-WebSocket-Protocol"), config: config)
        if subprotocol == nil, config.requireSubprotocol {
            return reject(
                .badRequest, code: "unsupported_subprotocol",
                message: "none of the offered subprotocols is supported")
        }

        var responseHeaders: HTTPHeaders = [
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Accept": acceptValue(forKey: key),
        ]
        if let subprotocol {
            responseHeaders.add(name: "Sec-WebSocket-Protocol", value: subprotocol)
        }
        return .accept(
            response: HTTPResponse(status: .switchingProtocols, headers: responseHeaders),
            subprotocol: subprotocol)
    }

    /// The `Sec-WebSocket-Accept` value for a client key:
    /// base64(SHA-1(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")).
    public static func acceptValue(forKey key: String) -> String {
        Base64.encode(SHA1.digest(Array((key + acceptGUID).utf8)))
    }

    /// The first server-preferred subprotocol among the offered ones.
    static func negotiateSubprotocol(offered fields: [String], config: WebSocketUpgradeConfig) -> String? {
        let offered = fields.flatMap { field in
            field.utf8.split(separator: ASCII.comma).map { String(decoding: ASCII.trimmingWhitespace($0), as: UTF8.self) }
        }.filter { !$0.isEmpty }
        return config.subprotocols.first { offered.contains($0) }
    }

    private static func reject(_ status: HTTPStatus, code: String, message: String) -> WebSocketUpgradeResult {
        reject(HTTPResponse.error(status, code: code, message: message))
    }

    private static func reject(_ response: HTTPResponse) -> WebSocketUpgradeResult {
        var response = response
        response.headers.replaceOrAdd(name: "Connection", value: "close")
        return .reject(response)
    }
}
