/// Turns a value from a file or the environment into argument text for one flag,
/// checking it against the flag's ``FlagValueType`` and validator. I/O-free.
enum SettingValue {
    /// What a flag gets: option values, or a switch state.
    enum Converted: Equatable {
        case values([String])
        case flag(Bool)
    }

    static func fromTOML(_ value: TOMLValue, for spec: FlagSpec, key: String) -> Result<Converted, SettingProblem> {
        switch spec.kind {
        case .flag:
            guard case .boolean(let state) = value else {
                return .failure(SettingProblem("'\(key)' must be true or false, not \(article(value.typeName))"))
            }
            return .success(.flag(state))
        case .option:
            if case .array = value {
                return .failure(SettingProblem("'\(key)' takes one value, not an array"))
            }
            return scalar(value, for: spec, key: key).map { .values([$0]) }
        case .repeatable:
            let elements: [TOMLValue]
            if case .array(let array) = value { elements = array } else { elements = [value] }
            var texts: [String] = []
            for element in elements {
                if case .array = element { return .failure(SettingProblem("'\(key)' takes an array of values, not of arrays")) }
                switch scalar(element, for: spec, key: key) {
                case .success(let text): texts.append(text)
                case .failure(let message): return .failure(message)
                }
            }
            return .success(.values(texts))
        }
    }

    static func fromEnvironment(_ text: String, for spec: FlagSpec, variable: String) -> Result<Converted, SettingProblem> {
        switch spec.kind {
        case .flag:
            switch text.lowercased() {
            case "true", "1", "yes", "on": return .success(.flag(true))
            case "false", "0", "no", "off", "": return .success(.flag(false))
            default: return .failure(SettingProblem("must be true or false (or 1/0, yes/no, on/off), not '\(text)'"))
            }
        case .option:
            return checkText(text, for: spec, key: variable).map { .values([$0]) }
        case .repeatable:
            var texts: [String] = []
            for item in text.split(separator: ",").map({ String($0).trimmed }) where !item.isEmpty {
                switch checkText(item, for: spec, key: variable) {
                case .success(let checked): texts.append(checked)
                case .failure(let message): return .failure(message)
                }
            }
            return .success(.values(texts))
        }
    }

    /// One TOML scalar as text, if the option's value type accepts its TOML type.
    private static func scalar(_ value: TOMLValue, for spec: FlagSpec, key: String) -> Result<String, SettingProblem> {
        let text: String?
        switch (spec.valueType, value) {
        case (.string, .string(let string)), (.choice, .string(let string)), (.duration, .string(let string)),
             (.size, .string(let string)), (.any, .string(let string)):
            text = string
        case (.integer, .integer(let integer)), (.duration, .integer(let integer)), (.size, .integer(let integer)),
             (.any, .integer(let integer)):
            text = String(integer)
        case (.duration, .float(let float)), (.any, .float(let float)):
            guard float.isFinite, float >= 0 || spec.valueType == .any else {
                return .failure(SettingProblem("'\(key)' must be a finite number of seconds"))
            }
            text = "\(float)"
        default:
            text = nil
        }
        guard let text else {
            return .failure(SettingProblem("'\(key)' must be \(spec.valueType.expectation), not \(article(value.typeName))"))
        }
        return checkText(text, for: spec, key: key)
    }

    /// Checks argument text against the value type and the validator.
    private static func checkText(_ text: String, for spec: FlagSpec, key: String) -> Result<String, SettingProblem> {
        switch spec.valueType {
        case .integer where Int(text) == nil:
            return .failure(SettingProblem("'\(key)' must be \(spec.valueType.expectation), not '\(text)'"))
        case .choice(let values) where !values.contains(text):
            return .failure(SettingProblem("'\(key)' must be \(spec.valueType.expectation), not '\(text)'"))
        default:
            break
        }
        if let validate = spec.validate, !validate(text) {
            return .failure(SettingProblem("'\(key)' must be \(spec.valueType.expectation); '\(text)' is not valid"))
        }
        return .success(text)
    }

    private static func article(_ typeName: String) -> String {
        (typeName.first.map { "aeiou".contains($0) } ?? false ? "an " : "a ") + typeName
    }
}

/// Why a value was refused, in a sentence.
struct SettingProblem: Error {
    var message: String

    init(_ message: String) {
        self.message = message
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    var trimmed: String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
