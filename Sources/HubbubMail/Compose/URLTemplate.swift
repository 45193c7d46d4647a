/// A link pattern with `{name}` placeholders, e.g.
/// `https://app.example/p/{project_id}/cards/{card_id}#comment-{comment_id}`. Values are
/// percent-encoded (everything but RFC 3986 unreserved characters), so user data cannot
/// change the URL's structure.
public struct URLTemplate: Sendable, Hashable, CustomStringConvertible {
    private enum Part: Sendable, Hashable {
        case literal(String)
        case placeholder(String)
    }

    public let template: String
    private let parts: [Part]

    /// Parses `template`; throws a message naming the problem if a brace is unbalanced,
    /// a placeholder is not one of `allowed`, or the template is not an http(s) URL.
    public init(_ template: String, allowed: Set<String>) throws(URLTemplateError) {
        guard template.hasPrefix("https://") || template.hasPrefix("http://") else {
            throw URLTemplateError("\(template): must start with https:// or http://")
        }
        guard template.count <= 800, !template.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value >= 0x7F })
        else { throw URLTemplateError("\(template): must be at most 800 printable ASCII characters without spaces") }
        var parts: [Part] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            if open > rest.startIndex { parts.append(.literal(String(rest[..<open]))) }
            guard let close = rest[open...].firstIndex(of: "}") else {
                throw URLTemplateError("\(template): unclosed {")
            }
            let name = String(rest[rest.index(after: open)..<close])
            guard allowed.contains(name) else {
                throw URLTemplateError(
                    "\(template): unknown placeholder {\(name)} (known: \(allowed.sorted().map { "{\($0)}" }.joined(separator: ", ")))")
            }
            parts.append(.placeholder(name))
            rest = rest[rest.index(after: close)...]
        }
        guard !rest.contains("}") else { throw URLTemplateError("\(template): } without {") }
        if !rest.isEmpty { parts.append(.literal(String(rest))) }
        self.template = template
        self.parts = parts
    }

    /// The URL with each placeholder replaced by its percent-encoded value (empty when
    /// `values` lacks it).
    public func expand(_ values: [String: String]) -> String {
        var out = ""
        for part in parts {
            switch part {
            case .literal(let text): out += text
            case .placeholder(let name): out += Self.percentEncode(values[name] ?? "")
            }
        }
        return out
    }

    public var description: String { template }

    static func percentEncode(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.append(Character(UnicodeScalar(byte)))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }
}

/// A URL template that cannot be used, with the reason.
public struct URLTemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
