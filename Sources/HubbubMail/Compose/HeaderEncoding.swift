import Foundation

/// Header field values (RFC 5322, RFC 2047): user text made safe and foldable.
enum HeaderEncoding {
    /// An unstructured value (Subject, a display name's text): control characters become
    /// spaces; a value that is not plain printable ASCII (or contains `=?`) becomes
    /// RFC 2047 encoded words (`=?UTF-8?B?...?=`, at most 64 characters each, never
    /// splitting a character), returned as separate words to fold between.
    static func unstructuredWords(_ value: String) -> [String] {
        let clean = String(value.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
        let plain = clean.unicodeScalars.allSatisfy { $0.isASCII } && !clean.contains("=?")
        if plain { return clean.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in clean {
            let bytes = Array(String(character).utf8)
            // 39 bytes = 52 base64 characters, a 64-character word: a line with the field
            // name stays under 78.
            if chunk.count + bytes.count > 39 && !chunk.isEmpty {
                words.append("=?UTF-8?B?" + Base64.encode(chunk) + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?" + Base64.encode(chunk) + "?=") }
        return words
    }

    /// A display name as a phrase: encoded words if needed, else a quoted string when it
    /// contains specials, else as is.
    static func phrase(_ name: String) -> String {
        let words = unstructuredWords(name)
        if words.first?.hasPrefix("=?") == true { return words.joined(separator: " ") }
        let text = words.joined(separator: " ")
        let specials = Set("()<>[]:;@\\,.\"".unicodeScalars)
        guard text.unicodeScalars.contains(where: { specials.contains($0) }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// `Name: word word ...` folded (CRLF + space before a word) so lines stay within 78
    /// characters where the words allow; ends with CRLF.
    static func field(_ name: String, words: [String]) -> String {
        var out = name + ":"
        var lineLength = out.count
        for word in words {
            if lineLength + 1 + word.count > 78 && lineLength > name.count + 1 {
                out += "\r\n"
                lineLength = 0
            }
            out += " " + word
            lineLength += 1 + word.count
        }
        return out + "\r\n"
    }

    /// A field whose value is one token (an address, an id, a URL in brackets).
    static func field(_ name: String, _ value: String) -> String {
        field(name, words: [value])
    }
}
