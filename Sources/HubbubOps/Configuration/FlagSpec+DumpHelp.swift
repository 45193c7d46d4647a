import HubbubJSON

extension FlagSpec {
    /// The flags of a command from swift-argument-parser's own description of it, the
    /// JSON that `COMMAND --experimental-dump-help` prints (tool-info version 0): every
    /// option and flag with a long name, `help` left out.
    ///
    /// Value types come from what the description says: `allValues` make a choice; a
    /// default like `100` an integer, `10s` or `50ms` a duration, `64KiB` a size; anything
    /// else is ``FlagValueType/any``. Callers refine them (``refined(with:)``). Nil when the
    /// text is not such a description.
    public static func fromDumpHelp(_ json: [UInt8]) -> [FlagSpec]? {
        guard let root = JSONParser.parseObject(json), case .object(let command)? = root["command"],
              case .array(let arguments)? = command["arguments"] else { return nil }
        var specs: [FlagSpec] = []
        for case .object(let argument) in arguments {
            guard let kind = argument["kind"]?.stringValue, kind == "option" || kind == "flag",
                  case .array(let names)? = argument["names"] else { continue }
            let longNames = names.compactMap { name -> String? in
                guard case .object(let fields) = name, let kind = fields["kind"]?.stringValue,
                      kind == "long" || kind == "longWithSingleDash" else { return nil }
                return fields["name"]?.stringValue
            }
            guard !longNames.isEmpty, !longNames.contains("help") else { continue }
            let repeating = argument["isRepeating"] == .bool(true)
            let defaultValue = argument["defaultValue"]?.stringValue
            var allValues: [String]?
            if case .array(let values)? = argument["allValues"] {
                allValues = values.compactMap(\.stringValue)
            }
            var spec: FlagSpec
            if kind == "flag" {
                let inversion = longNames.first { $0.hasPrefix("no-") && longNames.contains(String($0.dropFirst(3))) }
                let positive = longNames.filter { $0 != inversion }
                spec = FlagSpec(name: positive[0], aliases: Array(positive.dropFirst()), kind: .flag,
                                valueType: .boolean, inversion: inversion)
            } else {
                let valueType = allValues.map { FlagValueType.choice($0) } ?? inferValueType(defaultValue: defaultValue)
                spec = FlagSpec(name: longNames[0], aliases: Array(longNames.dropFirst()),
                                kind: repeating ? .repeatable : .option, valueType: valueType)
            }
            spec.defaultValue = defaultValue
            spec.abstract = argument["abstract"]?.stringValue
            specs.append(spec)
        }
        return specs
    }

    /// The value type a default's text suggests: `100` integer, `10s` duration, `64KiB` size.
    static func inferValueType(defaultValue: String?) -> FlagValueType {
        guard let text = defaultValue, !text.isEmpty else { return .any }
        if text.allSatisfy(\.isWholeNumber) { return .integer }
        for suffix in ["KiB", "MiB", "GiB", "KB", "MB", "B"] where text.hasSuffix(suffix) {
            if text.dropLast(suffix.count).allSatisfy(\.isWholeNumber) { return .size }
        }
        for suffix in ["ms", "s", "m", "h"] where text.hasSuffix(suffix) {
            let number = text.dropLast(suffix.count)
            if !number.isEmpty, Double(number) != nil { return .duration }
        }
        return .any
    }
}

extension Array where Element == FlagSpec {
    /// These specs with value types and validators replaced where `refinements` names
    /// the flag (by its main name).
    public func refined(with refinements: [String: (FlagValueType, (@Sendable (String) -> Bool)?)]) -> [FlagSpec] {
        map { spec in
            guard let (valueType, validate) = refinements[spec.name], spec.kind != .flag else { return spec }
            var refined = spec
            refined.valueType = valueType
            refined.validate = validate
            return refined
        }
    }
}
