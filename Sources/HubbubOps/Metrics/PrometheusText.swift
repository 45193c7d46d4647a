/// Writes the Prometheus text exposition format, version 0.0.4: `# HELP` and `# TYPE`
/// lines, then one sample per line, `name{label="value",...} value`.
///
/// Escaping: in HELP text `\` and line feed become `\\` and `\n`; in label values `\`,
/// `"` and line feed become `\\`, `\"` and `\n`. I/O-free; the registry renders into it.
struct PrometheusText {
    private(set) var text = ""

    mutating func header(name: String, help: String, type: MetricType) {
        text += "# HELP \(name) \(Self.escapeHelp(help))\n"
        text += "# TYPE \(name) \(type.rawValue)\n"
    }

    /// One sample line; `labels` pairs names with values, in order.
    mutating func sample(name: String, labels: [(String, String)], value: String) {
        text += name
        if !labels.isEmpty {
            text += "{"
            for (index, (label, labelValue)) in labels.enumerated() {
                if index > 0 { text += "," }
                text += label
                text += "=\""
                text += Self.escapeLabelValue(labelValue)
                text += "\""
            }
            text += "}"
        }
        text += " "
        text += value
        text += "\n"
    }

    static func escapeHelp(_ help: String) -> String {
        guard help.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == 0x0A }) else { return help }
        var escaped = ""
        for character in help.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    static func escapeLabelValue(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == 0x0A }) else {
            return value
        }
        var escaped = ""
        for character in value.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// A sample value or `le` bound: `+Inf`, `-Inf`, `NaN`, integral values without a
    /// fraction (`1`, not `1.0`), others in Swift's shortest round-trip form (`0.005`, `1e-07`).
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    static func format(_ value: Int64) -> String {
        String(value)
    }
}
