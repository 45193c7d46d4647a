/// Escaping of strings inside JSON string literals (RFC 8259 section 7).
enum JSONEscaping {
    /// Appends `text` escaped for use between double quotes: `"` and `\` are escaped,
    /// control characters U+0000–U+001F use the short forms or `\u00XX`, everything else
    /// is kept as is.
    static func append(_ text: String, to json: inout String) {
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": json += "\\\""
            case "\\": json += "\\\\"
            case "\n": json += "\\n"
            case "\r": json += "\\r"
            case "\t": json += "\\t"
            case "\u{08}": json += "\\b"
            case "\u{0C}": json += "\\f"
            case "\u{00}"..."\u{1F}":
                let hex = Array("0123456789abcdef".unicodeScalars)
                json += "\\u00"
                json.unicodeScalars.append(hex[Int(scalar.value >> 4)])
                json.unicodeScalars.append(hex[Int(scalar.value & 0xF)])
            default:
                json.unicodeScalars.append(scalar)
            }
        }
    }

    /// `text` escaped for use between double quotes.
    static func escape(_ text: String) -> String {
        var json = ""
        append(text, to: &json)
        return json
    }
}
