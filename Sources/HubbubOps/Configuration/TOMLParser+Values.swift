extension TOMLParser {
    /// A value after `=` or in an array.
    mutating func parseValue() throws(TOMLError) -> TOMLValue {
        guard let byte = peek() else { throw error("expected a value after '='") }
        switch byte {
        case UInt8(ascii: "\""):
            if startsWith("\"\"\"") { throw error("multi-line strings (\"\"\") are not supported") }
            return .string(try parseBasicString())
        case UInt8(ascii: "'"):
            if startsWith("'''") { throw error("multi-line strings (''') are not supported") }
            return .string(try parseLiteralString())
        case UInt8(ascii: "["):
            return try parseArray()
        case UInt8(ascii: "{"):
            throw error("inline tables ({...}) are not supported; use a [table]")
        case 0x0A, 0x0D, UInt8(ascii: "#"):
            throw error("expected a value after '='")
        default:
            return try parseScalarToken()
        }
    }

    // MARK: Strings

    /// `"..."` with escapes; no line break inside.
    mutating func parseBasicString() throws(TOMLError) -> String {
        index += 1
        var scalars = String.UnicodeScalarView()
        var runStart = index
        func flush(_ parser: TOMLParser, upTo end: Int) {
            scalars.append(contentsOf: String(decoding: parser.bytes[runStart..<end], as: UTF8.self).unicodeScalars)
        }
        while true {
            guard let byte = peek(), byte != 0x0A, byte != 0x0D else { throw error("unterminated string: missing '\"'") }
            switch byte {
            case UInt8(ascii: "\""):
                flush(self, upTo: index)
                index += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                flush(self, upTo: index)
                scalars.append(try parseEscape())
                runStart = index
            default:
                if (byte < 0x20 && byte != 0x09) || byte == 0x7F { throw error("control character in a string; use an escape") }
                index += 1
            }
        }
    }

    /// Errors point at the backslash.
    private mutating func parseEscape() throws(TOMLError) -> Unicode.Scalar {
        let (escapeLine, escapeColumn) = position()
        func error(_ reason: String) -> TOMLError { TOMLError(line: escapeLine, column: escapeColumn, reason: reason) }
        index += 1
        guard let byte = peek() else { throw error("unterminated string: missing '\"'") }
        switch byte {
        case UInt8(ascii: "b"): index += 1; return "\u{08}"
        case UInt8(ascii: "t"): index += 1; return "\t"
        case UInt8(ascii: "n"): index += 1; return "\n"
        case UInt8(ascii: "f"): index += 1; return "\u{0C}"
        case UInt8(ascii: "r"): index += 1; return "\r"
        case UInt8(ascii: "\""): index += 1; return "\""
        case UInt8(ascii: "\\"): index += 1; return "\\"
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let digits = byte == UInt8(ascii: "u") ? 4 : 8
            index += 1
            var code: UInt32 = 0
            for _ in 0..<digits {
                guard let digit = peek().flatMap(Self.hexValue) else {
                    throw error("\\\(Character(Unicode.Scalar(byte))) needs \(digits) hex digits")
                }
                code = code << 4 | UInt32(digit)
                index += 1
            }
            guard let scalar = Unicode.Scalar(code) else { throw error("\\u escape is not a Unicode scalar value") }
            return scalar
        default:
            throw error("invalid escape '\\\(describeCurrent().dropFirst().dropLast())' in a string")
        }
    }

    /// `'...'`, taken as is; no line break inside.
    mutating func parseLiteralString() throws(TOMLError) -> String {
        index += 1
        let start = index
        while true {
            guard let byte = peek(), byte != 0x0A, byte != 0x0D else { throw error("unterminated string: missing \"'\"") }
            if byte == UInt8(ascii: "'") { break }
            if (byte < 0x20 && byte != 0x09) || byte == 0x7F { throw error("control character in a literal string") }
            index += 1
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        index += 1
        return text
    }

    // MARK: Arrays

    /// `[v, v, ...]`, over several lines if needed, trailing comma and comments allowed.
    private mutating func parseArray() throws(TOMLError) -> TOMLValue {
        index += 1
        var elements: [TOMLValue] = []
        while true {
            try skipArraySpace()
            if peek() == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            guard peek() != nil else { throw error("unterminated array: missing ']'") }
            if peek() == UInt8(ascii: ",") { throw error("expected a value in the array, found ','") }
            elements.append(try parseValue())
            try skipArraySpace()
            switch peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): continue
            case nil: throw error("unterminated array: missing ']'")
            default: throw error("expected ',' or ']' in the array, found \(describeCurrent())")
            }
        }
    }

    /// Spaces, line breaks and comments between array elements.
    private mutating func skipArraySpace() throws(TOMLError) {
        while true {
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: "#"): try skipComment()
            case 0x0A: newLine()
            case 0x0D where index + 1 < bytes.count && bytes[index + 1] == 0x0A:
                index += 1
                newLine()
            default: return
            }
        }
    }

    // MARK: Numbers and booleans

    /// A bare token: `true`, `false`, an integer or a float. Dates and times are refused.
    private mutating func parseScalarToken() throws(TOMLError) -> TOMLValue {
        let start = index
        let (tokenLine, tokenColumn) = position()
        while let byte = peek(), Self.isTokenByte(byte) { index += 1 }
        guard index > start else { throw error("expected a value (a string, number, boolean or array), found \(describeCurrent())") }
        let token = String(decoding: bytes[start..<index], as: UTF8.self)
        func failure(_ reason: String) -> TOMLError { TOMLError(line: tokenLine, column: tokenColumn, reason: reason) }
        switch token {
        case "true": return .boolean(true)
        case "false": return .boolean(false)
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan", "-nan": return .float(.nan)
        default: break
        }
        if Self.looksLikeDateOrTime(token) {
            throw failure("dates and times are not supported; write them as strings")
        }
        if let value = try Self.integer(token, failure: failure) { return .integer(value) }
        if let value = Self.float(token) { return .float(value) }
        if token.first?.isLetter == true {
            throw failure("expected a value, found '\(token)' (strings need quotes)")
        }
        throw failure("invalid number '\(token)'")
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        isBareKeyByte(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: ":")
    }

    /// `1979-05-27`, `07:32:00`, `1979-05-27T07:32:00Z`.
    private static func looksLikeDateOrTime(_ token: String) -> Bool {
        let bytes = Array(token.utf8)
        func digits(_ range: Range<Int>) -> Bool {
            range.upperBound <= bytes.count && bytes[range].allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        }
        let date = digits(0..<4) && bytes.count > 4 && bytes[4] == UInt8(ascii: "-") && digits(5..<7)
        let time = digits(0..<2) && bytes.count > 2 && bytes[2] == UInt8(ascii: ":")
        return date || time
    }

    /// Decimal (`-1_000`), `0x`, `0o` or `0b`; nil when the token is not integer-shaped.
    private static func integer(_ token: String, failure: (String) -> TOMLError) throws(TOMLError) -> Int64? {
        var text = Substring(token)
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where text.hasPrefix(prefix) {
            let digits = text.dropFirst(2)
            guard validUnderscores(digits), let value = Int64(digits.filter { $0 != "_" }, radix: radix) else {
                if digits.allSatisfy({ $0 == "_" || $0.isHexDigit }) && !digits.isEmpty && validUnderscores(digits) {
                    throw failure("integer '\(token)' is out of range")
                }
                throw failure("invalid integer '\(token)'")
            }
            return value
        }
        var sign = ""
        if let first = text.first, first == "+" || first == "-" {
            sign = first == "-" ? "-" : ""
            text = text.dropFirst()
        }
        guard !text.isEmpty, text.allSatisfy({ $0 == "_" || $0.isASCII && $0.isNumber }) else { return nil }
        guard validUnderscores(text) else { throw failure("invalid integer '\(token)': '_' must sit between digits") }
        let digits = text.filter { $0 != "_" }
        if digits.count > 1, digits.first == "0" { throw failure("invalid integer '\(token)': leading zeros are not allowed") }
        guard let value = Int64(sign + digits) else { throw failure("integer '\(token)' is out of range") }
        return value
    }

    /// `1.5`, `-2e10`, `6.02E+23`, `1_000.5`: digits on both sides of `.`, `_` between digits.
    private static func float(_ token: String) -> Double? {
        var text = Substring(token)
        if let first = text.first, first == "+" || first == "-" { text = text.dropFirst() }
        let exponentIndex = text.firstIndex(where: { $0 == "e" || $0 == "E" })
        let mantissa = exponentIndex.map { text[..<$0] } ?? text
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ !$0.isEmpty && isDigitsWithUnderscores($0) }) else { return nil }
        if parts[0].filter({ $0 != "_" }).count > 1, parts[0].first == "0" { return nil }
        if let exponentIndex {
            var exponent = text[text.index(after: exponentIndex)...]
            if let first = exponent.first, first == "+" || first == "-" { exponent = exponent.dropFirst() }
            guard !exponent.isEmpty, isDigitsWithUnderscores(exponent) else { return nil }
        } else if parts.count == 1 {
            return nil
        }
        return Double(token.filter { $0 != "_" })
    }

    private static func isDigitsWithUnderscores(_ text: Substring) -> Bool {
        text.allSatisfy { $0 == "_" || ($0.isASCII && $0.isNumber) } && validUnderscores(text)
    }

    /// Each `_` between two digits.
    private static func validUnderscores(_ text: Substring) -> Bool {
        guard text.first != "_", text.last != "_" else { return false }
        return !text.contains("__")
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
