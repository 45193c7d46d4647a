import HubbubJSON

/// Writes the compact JSON that ``JWTSigner`` puts in headers and payloads.
struct JSONWriter {
    private(set) var bytes: [UInt8] = [UInt8(ascii: "{")]
    private var isFirstMember = true

    /// Adds `"key":"value"`.
    mutating func member(_ key: String, _ value: String) {
        startMember(key)
        appendString(value)
    }

    /// Adds `"key":value` for an integer.
    mutating func member(_ key: String, _ value: Int64) {
        startMember(key)
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Adds `"key":["a","b"]`.
    mutating func member(_ key: String, _ values: [String]) {
        startMember(key)
        bytes.append(UInt8(ascii: "["))
        for (position, value) in values.enumerated() {
            if position > 0 { bytes.append(UInt8(ascii: ",")) }
            appendString(value)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// The finished object.
    func finish() -> [UInt8] {
        bytes + [UInt8(ascii: "}")]
    }

    private mutating func startMember(_ key: String) {
        if !isFirstMember { bytes.append(UInt8(ascii: ",")) }
        isFirstMember = false
        appendString(key)
        bytes.append(UInt8(ascii: ":"))
    }

    private mutating func appendString(_ text: String) {
        JSONOutput.appendQuoted(text, to: &bytes)
    }
}
