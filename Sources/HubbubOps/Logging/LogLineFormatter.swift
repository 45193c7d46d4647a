import HubbubJSON
import Logging

/// Turns a record into one line, newline included. I/O-free.
enum LogLineFormatter {
    /// `{"time":"...","level":"info","label":"hubbub","message":"...",<metadata>,"source":"...","error":"..."}`
    static func json(_ record: LogRecord, redaction: LogRedaction) -> [UInt8] {
        var output = JSONOutput(capacity: 256)
        output.beginObject()
        output.member("time", RFC3339Timestamp.format(epochMilliseconds: record.epochMilliseconds))
        output.member("level", record.level.rawValue)
        output.member("label", record.label)
        output.member("message", record.message)
        for (name, value) in record.flattenedMetadata(redaction: redaction) {
            output.key(name)
            write(value, to: &output)
        }
        output.member("source", record.source)
        if let error = record.error { output.member("error", error) }
        output.endObject()
        var line = output.bytes
        line.append(0x0A)
        return line
    }

    /// `2025-11-22T07:04:05.123Z info hubbub [HubbubHub]: message key=value key="two words"`,
    /// with control characters in the message and values escaped so the record stays one line.
    static func text(_ record: LogRecord, redaction: LogRedaction) -> [UInt8] {
        var line = RFC3339Timestamp.format(epochMilliseconds: record.epochMilliseconds)
        line += " \(record.level.rawValue) \(record.label) [\(record.source)]: "
        line += escapeControls(record.message)
        for (name, value) in record.flattenedMetadata(redaction: redaction) {
            line += " \(name)=\(textValue(value))"
        }
        if let error = record.error { line += " error=\(quoteIfNeeded(error))" }
        line += "\n"
        return Array(line.utf8)
    }

    private static func write(_ value: FlatValue, to output: inout JSONOutput) {
        switch value {
        case .string(let text): output.string(text)
        case .array(let elements):
            output.beginArray()
            for element in elements { write(element, to: &output) }
            output.endArray()
        case .object(let members):
            output.beginObject()
            for (key, member) in members {
                output.key(key)
                write(member, to: &output)
            }
            output.endObject()
        }
    }

    private static func textValue(_ value: FlatValue) -> String {
        switch value {
        case .string(let text): return quoteIfNeeded(text)
        case .array, .object:
            var output = JSONOutput()
            write(value, to: &output)
            return String(decoding: output.bytes, as: UTF8.self)
        }
    }

    /// Bare when the value has no space, quote, `=` or control character; else a JSON string.
    private static func quoteIfNeeded(_ text: String) -> String {
        let plain = !text.isEmpty && text.utf8.allSatisfy { $0 > 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "=") && $0 != 0x7F }
        if plain { return text }
        var bytes: [UInt8] = []
        JSONOutput.appendQuoted(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func escapeControls(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 }) else { return text }
        var bytes: [UInt8] = []
        JSONOutput.appendQuoted(text, to: &bytes)
        return String(decoding: bytes.dropFirst().dropLast(), as: UTF8.self)
    }
}
