/// Which metadata keys never reach a log line with their value: the value is replaced
/// by ``replacement``. A key is sensitive when, lower-cased, it contains one of
/// ``sensitiveFragments`` (`jwt_secret`, `Authorization`, `access-token`) or equals one of
/// ``omittedKeys`` (message bodies: `body`, `payload`). The rule applies at every level of
/// nested metadata; a redacted dictionary or array is replaced whole.
///
/// Convention: never log a secret or a message body under another name; this rule is the
/// safety net, not the policy.
public struct LogRedaction: Sendable {
    public var sensitiveFragments: [String]
    public var omittedKeys: Set<String>
    public var replacement: String

    public init(sensitiveFragments: [String], omittedKeys: Set<String>, replacement: String = "[redacted]") {
        self.sensitiveFragments = sensitiveFragments.map { $0.lowercased() }
        self.omittedKeys = Set(omittedKeys.map { $0.lowercased() })
        self.replacement = replacement
    }

    /// Secrets (`token`, `password`, `passwd`, `secret`, `authorization`, `cookie`,
    /// `credential`, `api_key`, `apikey`, `api-key`) and bodies (`body`, `payload`,
    /// `text`, `data`, `message_body`).
    public static let standard = LogRedaction(
        sensitiveFragments: ["token", "password", "passwd", "secret", "authorization", "cookie", "credential",
                             "api_key", "apikey", "api-key"],
        omittedKeys: ["body", "payload", "text", "data", "message_body"])

    /// Whether the value under `key` must be replaced.
    public func redacts(key: String) -> Bool {
        let lowered = key.lowercased()
        if omittedKeys.contains(lowered) { return true }
        return sensitiveFragments.contains { lowered.contains($0) }
    }
}
