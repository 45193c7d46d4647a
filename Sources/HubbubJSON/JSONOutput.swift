/// Builds compact JSON text into a byte buffer, in one pass, without an intermediate tree.
///
/// Commas are managed for the caller: `beginObject`, then `key` + a value per member,
/// then `endObject`; arrays alike. The writer does not check that calls nest correctly;
/// each message encoder is a short straight-line function covered by schema tests.
public struct JSONOutput: Sendable {
    public private(set) var bytes: [UInt8]
    /// Whether the next value or key at the current level needs a comma first.
    private var needsComma = false

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    // MARK: Structure

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Writes a member name; the next call writes its value.
    public mutating func key(_ name: String) {
        separate()
        Self.appendQuoted(name, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    // MARK: Values

    public mutating func string(_ text: String) {
        separate()
        Self.appendQuoted(text, to: &bytes)
        needsComma = true
    }

    public mutating func int(_ value: Int64) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
        needsComma = true
    }

    public mutating func int(_ value: Int) { int(Int64(value)) }

    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
        needsComma = true
    }

    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
        needsComma = true
    }

    /// Embeds text that is already valid JSON (a stored event payload) as one value.
    public mutating func raw(_ json: String) {
        separate()
        bytes.append(contentsOf: json.utf8)
        needsComma = true
    }

    /// Embeds bytes that are already valid JSON (an encoded result object) as one value.
    public mutating func raw(bytes json: [UInt8]) {
        separate()
        bytes.append(contentsOf: json)
        needsComma = true
    }

    /// Writes a parsed value back out compactly (object members sorted by name, so equal
    /// values give equal bytes).
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .number(let number):
            if let integer = number.integer {
                int(integer)
            } else if number.double.isFinite {
                separate()
                bytes.append(contentsOf: "\(number.double)".utf8)
                needsComma = true
            } else {
                null()
            }
        case .string(let text): string(text)
        case .array(let elements):
            beginArray()
            for element in elements { self.value(element) }
            endArray()
        case .object(let members):
            beginObject()
            for name in members.keys.sorted() {
                key(name)
                self.value(members[name]!)
            }
            endObject()
        }
    }

    // MARK: Shortcuts

    public mutating func member(_ name: String, _ text: String) {
        key(name)
        string(text)
    }

    public mutating func member(_ name: String, _ number: Int64) {
        key(name)
        int(number)
    }

    public mutating func member(_ name: String, _ number: Int) {
        key(name)
        int(number)
    }

    public mutating func member(_ name: String, _ flag: Bool) {
        key(name)
        bool(flag)
    }

    /// `"name": "text"` or `"name": null`.
    public mutating func member(_ name: String, optional text: String?) {
        key(name)
        if let text { string(text) } else { null() }
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    // MARK: Escaping

    /// Appends `text` as a JSON string literal (RFC 8259 section 7): `"` and `\` escaped,
    /// control characters in their short forms or `\u00XX`, everything else as UTF-8.
    public static func appendQuoted(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case 0x0A: bytes.append(contentsOf: #"\n"#.utf8)
            case 0x0D: bytes.append(contentsOf: #"\r"#.utf8)
            case 0x09: bytes.append(contentsOf: #"\t"#.utf8)
            case 0x08: bytes.append(contentsOf: #"\b"#.utf8)
            case 0x0C: bytes.append(contentsOf: #"\f"#.utf8)
            case 0x00..<0x20:
                bytes.append(contentsOf: #"\u00"#.utf8)
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 0x0F)])
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
}

extension JSONValue {
    /// The compact encoding (sorted members): what size limits on client data measure.
    public var compactBytes: [UInt8] {
        var output = JSONOutput()
        output.value(self)
        return output.bytes
    }
}
