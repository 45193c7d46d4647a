extension PresenceValue: CustomStringConvertible {
    /// The canonical compact JSON text, see ``jsonText``.
    public var description: String { jsonText }
}

extension PresenceValue {
    /// Canonical compact JSON: no whitespace, object keys sorted (Swift `String` order, which
    /// is byte order for ASCII keys), strings with only the escapes JSON requires (`\"`, `\\`,
    /// `\b \f \n \r \t`, `\u00XX` for other control characters; other characters as raw
    /// UTF-8), integral numbers below 2^53 in magnitude without a fraction (`12`, not `12.0`),
    /// other numbers in Swift's shortest round-tripping form (`0.1`, `1e+300`), and
    /// non-finite numbers as `null`.
    public var jsonText: String {
        var text = ""
        write(into: &text)
        return text
    }

    /// The size in bytes of ``jsonText``: the figure a meta size limit is enforced on.
    ///
    /// Another encoder may write the same value a few bytes differently (`\u00e9` for `é`,
    /// `12.0` for `12`); this is the canonical size, stable for a given value.
    public var jsonByteCount: Int { jsonText.utf8.count }

    private func write(into text: inout String) {
        switch self {
        case .null:
            text += "null"
        case .bool(let value):
            text += value ? "true" : "false"
        case .number(let value):
            Self.writeNumber(value, into: &text)
        case .string(let value):
            Self.writeString(value, into: &text)
        case .array(let elements):
            text += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { text += "," }
                element.write(into: &text)
            }
            text += "]"
        case .object(let members):
            text += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { text += "," }
                Self.writeString(key, into: &text)
                text += ":"
                members[key, default: .null].write(into: &text)
            }
            text += "}"
        }
    }

    /// 2^53: every integer below it in magnitude is exact in a `Double` and an `Int64`.
    private static let exactIntegerLimit = 9_007_199_254_740_992.0

    private static func writeNumber(_ value: Double, into text: inout String) {
        guard value.isFinite else {
            text += "null"
            return
        }
        if value == value.rounded(.towardZero), abs(value) < exactIntegerLimit {
            text += String(Int64(value))
        } else {
            text += value.description
        }
    }

    private static func writeString(_ value: String, into text: inout String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\u{08}": text += "\\b"
            case "\u{0C}": text += "\\f"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\u{00}"..."\u{1F}":
                let hex = String(scalar.value, radix: 16, uppercase: false)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
    }
}
