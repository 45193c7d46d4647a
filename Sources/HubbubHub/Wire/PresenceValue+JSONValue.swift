import HubbubJSON
import HubbubPresence

extension PresenceValue {
    /// The presence form of a decoded client value.
    init(json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .number(let number): self = .number(number.integer.map(Double.init) ?? number.double)
        case .string(let text): self = .string(text)
        case .array(let elements): self = .array(elements.map(PresenceValue.init(json:)))
        case .object(let members): self = .object(members.mapValues(PresenceValue.init(json:)))
        }
    }
}
