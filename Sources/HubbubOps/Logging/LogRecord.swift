import Logging

/// One log event with its metadata already merged (provider, then handler, then the
/// call's, later ones winning): what the formatters turn into a line.
struct LogRecord {
    var epochMilliseconds: Int64
    var level: Logger.Level
    var label: String
    var message: String
    var source: String
    var metadata: Logger.Metadata
    var error: String?

    /// The fields a line always has; a metadata key equal to one is written as `meta.KEY`.
    static let reservedFields: Set<String> = ["time", "level", "label", "message", "source", "error"]

    /// Metadata flattened to `(name, value)` pairs sorted by name: nested dictionaries
    /// become dotted names (`conn.id`), arrays stay arrays, sensitive keys are redacted.
    func flattenedMetadata(redaction: LogRedaction) -> [(String, FlatValue)] {
        var fields: [(String, FlatValue)] = []
        func visit(_ metadata: Logger.Metadata, prefix: String) {
            for (key, value) in metadata {
                let name = prefix.isEmpty && Self.reservedFields.contains(key) ? "meta." + key : prefix + key
                if redaction.redacts(key: key) {
                    fields.append((name, .string(redaction.replacement)))
                } else if case .dictionary(let nested) = value {
                    visit(nested, prefix: name + ".")
                } else {
                    fields.append((name, FlatValue(value, redaction: redaction)))
                }
            }
        }
        visit(metadata, prefix: "")
        return fields.sorted { $0.0 < $1.0 }
    }
}

/// A metadata value once flattened and redacted.
indirect enum FlatValue: Equatable {
    case string(String)
    case array([FlatValue])
    case object([(String, FlatValue)])

    init(_ value: Logger.Metadata.Value, redaction: LogRedaction) {
        switch value {
        case .string(let text): self = .string(text)
        case .stringConvertible(let convertible): self = .string(convertible.description)
        case .array(let elements): self = .array(elements.map { FlatValue($0, redaction: redaction) })
        case .dictionary(let members):
            self = .object(members.sorted { $0.key < $1.key }.map { key, member in
                (key, redaction.redacts(key: key) ? .string(redaction.replacement) : FlatValue(member, redaction: redaction))
            })
        }
    }

    static func == (lhs: FlatValue, rhs: FlatValue) -> Bool {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.map(\.0) == b.map(\.0) && a.map(\.1) == b.map(\.1)
        default: false
        }
    }
}
