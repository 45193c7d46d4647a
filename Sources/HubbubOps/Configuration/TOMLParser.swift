/// A strict parser for the TOML subset that configuration files need (TOML 1.0 rules
/// within it), I/O-free: text in, ``TOMLDocument`` or ``TOMLError`` out.
///
/// Supported: comments; `key = value`; `[table]` and `[table.sub]`; bare, quoted and
/// dotted keys; basic strings (escapes `\b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX`) and
/// literal strings; integers (decimal with `_` separators, `0x`, `0o`, `0b`); floats
/// (fraction, exponent, `inf`, `nan`); booleans; arrays, over several lines if needed,
/// with a trailing comma and comments allowed.
///
/// Refused with a clear error: multi-line strings, inline tables, arrays of tables,
/// dates and times; a key set twice; a table defined twice; a key used both as a value
/// and as a table.
struct TOMLParser {
    let bytes: [UInt8]
    var index = 0
    var line = 1
    var lineStart = 0

    private var entries: [TOMLDocument.Entry] = []
    /// Full paths that hold a value.
    private var valuePaths: Set<[String]> = []
    /// Tables opened by a `[header]`, and tables created implicitly by dotted keys.
    private var headerTables: Set<[String]> = []
    private var dottedTables: Set<[String]> = []
    private var currentTable: [String] = []

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    mutating func parseDocument() throws(TOMLError) -> TOMLDocument {
        while true {
            skipWhitespace()
            guard let byte = peek() else { break }
            switch byte {
            case UInt8(ascii: "#"), 0x0A, 0x0D:
                break
            case UInt8(ascii: "["):
                try parseTableHeader()
            default:
                try parseKeyValue()
            }
            try expectEndOfLine()
        }
        return TOMLDocument(entries: entries)
    }

    // MARK: Lines

    /// `[a.b]`: opens a table for the key-values that follow.
    private mutating func parseTableHeader() throws(TOMLError) {
        let (headerLine, headerColumn) = position()
        index += 1
        if peek() == UInt8(ascii: "[") {
            throw error("arrays of tables ([[...]]) are not supported")
        }
        skipWhitespace()
        let path = try parseKey()
        skipWhitespace()
        guard peek() == UInt8(ascii: "]") else { throw error("expected ']' to close the table header") }
        index += 1
        for length in 1...path.count where valuePaths.contains(Array(path.prefix(length))) {
            throw TOMLError(line: headerLine, column: headerColumn,
                            reason: "'\(display(path.prefix(length)))' is already a value, not a table")
        }
        if headerTables.contains(path) || dottedTables.contains(path) {
            throw TOMLError(line: headerLine, column: headerColumn, reason: "table [\(display(path[...]))] is defined twice")
        }
        headerTables.insert(path)
        currentTable = path
    }

    /// `key = value`, the key possibly dotted.
    private mutating func parseKeyValue() throws(TOMLError) {
        let (keyLine, keyColumn) = position()
        let key = try parseKey()
        skipWhitespace()
        guard peek() == UInt8(ascii: "=") else {
            if peek() == nil || peek() == 0x0A || peek() == 0x0D {
                throw error("expected '=' after the key '\(display(key[...]))'")
            }
            throw error("expected '=' after the key '\(display(key[...]))', found \(describeCurrent())")
        }
        index += 1
        skipWhitespace()
        let value = try parseValue()
        let path = currentTable + key
        for length in 1..<path.count where valuePaths.contains(Array(path.prefix(length))) {
            throw TOMLError(line: keyLine, column: keyColumn,
                            reason: "'\(display(path.prefix(length)))' is already a value, not a table")
        }
        if valuePaths.contains(path) {
            throw TOMLError(line: keyLine, column: keyColumn, reason: "'\(display(path[...]))' is set twice")
        }
        if headerTables.contains(path) || dottedTables.contains(path) || valuePaths.contains(where: { $0.starts(with: path) }) {
            throw TOMLError(line: keyLine, column: keyColumn, reason: "'\(display(path[...]))' is already a table")
        }
        for length in (currentTable.count + 1)..<path.count {
            let table = Array(path.prefix(length))
            if headerTables.contains(table) {
                throw TOMLError(line: keyLine, column: keyColumn,
                                reason: "table [\(display(table[...]))] is defined by a header; dotted keys cannot add to it from elsewhere")
            }
            dottedTables.insert(table)
        }
        valuePaths.insert(path)
        entries.append(TOMLDocument.Entry(path: path, value: value, line: keyLine, column: keyColumn))
    }

    /// After a header or a value: spaces, an optional comment, then a line break or the end.
    private mutating func expectEndOfLine() throws(TOMLError) {
        skipWhitespace()
        if peek() == UInt8(ascii: "#") { try skipComment() }
        guard let byte = peek() else { return }
        if byte == 0x0A {
            newLine()
        } else if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
            index += 1
            newLine()
        } else {
            throw error("expected the end of the line, found \(describeCurrent())")
        }
    }

    // MARK: Keys

    /// `a`, `"a b"`, `'a'`, `a.b . "c"`: the parts of a possibly dotted key.
    mutating func parseKey() throws(TOMLError) -> [String] {
        var parts: [String] = []
        while true {
            parts.append(try parseSimpleKey())
            skipWhitespace()
            guard peek() == UInt8(ascii: ".") else { return parts }
            index += 1
            skipWhitespace()
        }
    }

    private mutating func parseSimpleKey() throws(TOMLError) -> String {
        switch peek() {
        case UInt8(ascii: "\""):
            if startsWith("\"\"\"") { throw error("a key cannot be a multi-line string") }
            return try parseBasicString()
        case UInt8(ascii: "'"):
            if startsWith("'''") { throw error("a key cannot be a multi-line string") }
            return try parseLiteralString()
        default:
            let start = index
            while let byte = peek(), Self.isBareKeyByte(byte) { index += 1 }
            guard index > start else {
                if peek() == nil || peek() == 0x0A || peek() == 0x0D { throw error("expected a key") }
                throw error("expected a key, found \(describeCurrent()) (bare keys use A-Z a-z 0-9 _ -; quote others)")
            }
            return String(decoding: bytes[start..<index], as: UTF8.self)
        }
    }

    static func isBareKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }

    // MARK: Scanning helpers

    func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    func startsWith(_ text: StaticString) -> Bool {
        let count = text.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        return text.withUTF8Buffer { Array($0) } == Array(bytes[index..<(index + count)])
    }

    mutating func skipWhitespace() {
        while let byte = peek(), byte == 0x20 || byte == 0x09 { index += 1 }
    }

    /// `# ...` up to (not including) the line break; control characters other than tab
    /// are not allowed in comments.
    mutating func skipComment() throws(TOMLError) {
        while let byte = peek(), byte != 0x0A {
            if byte == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A { return }
            if (byte < 0x20 && byte != 0x09) || byte == 0x7F { throw error("control character in a comment") }
            index += 1
        }
    }

    /// Call with `index` on the `\n`.
    mutating func newLine() {
        index += 1
        line += 1
        lineStart = index
    }

    /// The current 1-based line and column; the column counts characters (UTF-8 lead bytes).
    func position() -> (Int, Int) {
        var column = 1
        var cursor = lineStart
        while cursor < index && cursor < bytes.count {
            if bytes[cursor] & 0xC0 != 0x80 { column += 1 }
            cursor += 1
        }
        return (line, column)
    }

    func error(_ reason: String) -> TOMLError {
        let (line, column) = position()
        return TOMLError(line: line, column: column, reason: reason)
    }

    /// `'x'`, `a line break` or `the end of the file`, for messages.
    func describeCurrent() -> String {
        guard let byte = peek() else { return "the end of the file" }
        if byte == 0x0A || byte == 0x0D { return "a line break" }
        if byte < 0x20 || byte == 0x7F { return "a control character" }
        var end = index + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return "'\(String(decoding: bytes[index..<end], as: UTF8.self))'"
    }

    private func display(_ path: ArraySlice<String>) -> String {
        path.map { part in
            !part.isEmpty && part.utf8.allSatisfy(Self.isBareKeyByte) ? part : "\"\(part)\""
        }.joined(separator: ".")
    }
}
