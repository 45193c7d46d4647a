/// A small JSON value: the client-chosen presence state of one connection, such as
/// `{"viewing_card": "12"}`.
///
/// Equality and hashing are structural; an object's key order never matters. The canonical
/// encoding (``jsonText``) writes object keys sorted, so two equal values always encode to
/// the same bytes. Numbers are `Double`, as in JSON; a non-finite number (which no JSON
/// decoder produces) encodes as `null` and is not equal to itself, so keep them out.
public enum PresenceValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([PresenceValue])
    case object([String: PresenceValue])
}

extension PresenceValue {
    /// The empty object `{}`, the default state of a connection.
    public static let emptyObject = PresenceValue.object([:])

    /// The member `key` if this is an object that has it.
    public subscript(key: String) -> PresenceValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }
}

extension PresenceValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) { self = .null }
}

extension PresenceValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension PresenceValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
}

extension PresenceValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .number(value) }
}

extension PresenceValue: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension PresenceValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: PresenceValue...) { self = .array(elements) }
}

extension PresenceValue: ExpressibleByDictionaryLiteral {
    /// A repeated key keeps its last value.
    public init(dictionaryLiteral elements: (String, PresenceValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
