import HubbubHTTP
import HubbubJSON
import HubbubStore

/// A request's JSON body and headers, with typed field readers that throw 4xx errors
/// naming the field.
struct APIRequest: Sendable {
    let http: HTTPRequest
    /// The request's correlation id: `X-Correlation-ID` when given, else generated. It
    /// tags the request's log lines and becomes the `correlation_id` of the events the
    /// request causes (unless a publish names its own in the body).
    let correlationID: String

    init(_ http: HTTPRequest) {
        self.http = http
        if let given = http.headers["X-Correlation-ID"], !given.isEmpty {
            correlationID = given
        } else {
            correlationID = UUIDv7.make(unixMillis: WallClock.nowMillis())
        }
    }

    /// The body as a JSON object (an empty body is `{}`).
    func object() throws(APIError) -> [String: JSONValue] {
        if http.body.isEmpty { return [:] }
        guard case .object(let members)? = JSONParser.parse(http.body) else {
            throw APIError(.badRequest, "invalid_json", "the body is not a JSON object")
        }
        return members
    }

    var idempotencyKey: String? {
        guard let key = http.headers["Idempotency-Key"], !key.isEmpty else { return nil }
        return key
    }

    func query(_ name: String) -> String? { http.queryItem(name) }
}

extension Dictionary where Key == String, Value == JSONValue {
    func string(_ name: String, required: Bool = true, maxBytes: Int = 200) throws(APIError) -> String? {
        guard let value = self[name] else {
            if required { throw APIError.invalid("/\(name)", "\(name) is required") }
            return nil
        }
        guard case .string(let text) = value else { throw APIError.invalid("/\(name)", "\(name) must be a string") }
        guard !text.isEmpty, text.utf8.count <= maxBytes else {
            throw APIError.invalid("/\(name)", "\(name) must be 1 to \(maxBytes) bytes")
        }
        return text
    }

    func int(_ name: String, required: Bool = true, range: ClosedRange<Int64> = 0...1_000_000) throws(APIError) -> Int? {
        guard let value = self[name] else {
            if required { throw APIError.invalid("/\(name)", "\(name) is required") }
            return nil
        }
        guard case .number(let number) = value, let integer = number.integer else {
            throw APIError.invalid("/\(name)", "\(name) must be an integer")
        }
        guard range.contains(integer) else { throw APIError.invalid("/\(name)", "\(name) must be in \(range)") }
        return Int(integer)
    }
}

/// Identifier checks shared by the routes (protocol/schemas/common.json).
enum APIValidation {
    static func entityID(_ id: String, _ field: String) throws(APIError) {
        let bytes = Array(id.utf8)
        func allowed(_ byte: UInt8, first: Bool) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                true
            case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "-"): !first
            default: false
            }
        }
        guard (1...64).contains(bytes.count), allowed(bytes[0], first: true), bytes.dropFirst().allSatisfy({ allowed($0, first: false) })
        else { throw APIError.invalid(field, "\(field.dropFirst()) must match ^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$") }
    }

    static func userID(_ id: String, _ field: String) throws(APIError) {
        guard (1...128).contains(id.count), !id.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw APIError.invalid(field, "a user id is 1-128 characters without control characters")
        }
    }

    /// `^[\x21-\x7E]{1,128}$`: correlation ids and idempotency keys.
    static func visibleASCII(_ text: String, _ field: String) throws(APIError) {
        let bytes = Array(text.utf8)
        guard (1...128).contains(bytes.count), bytes.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw APIError.invalid(field, "must be 1-128 visible ASCII characters")
        }
    }
}
