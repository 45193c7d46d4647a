import HubbubJSON

/// Typed access to the members of one command object, with the checks that do not
/// depend on the command. Every failure is the error the command gets: `bad_request`
/// with `details.field` (a JSON Pointer such as `/room`) and `details.reason`:
///
/// - `required`: a required member is absent;
/// - `wrong_type`: the member has another JSON type (`null` included), or is a number
///   with a fraction where an integer is expected;
/// - `out_of_range`: an integer outside its range;
/// - `invalid_format`: a string that does not match its pattern (ids, keys).
///
/// Members are looked up by name only: unknown members are ignored.
struct CommandFields {
    /// The largest integer JSON can carry exactly (2^53 - 1), the schemas' upper bound.
    static let maxSafeInteger: Int64 = 9_007_199_254_740_991

    let members: [String: JSONValue]

    init(_ members: [String: JSONValue]) {
        self.members = members
    }

    /// The JSON Pointer of a top-level member (command member names need no escaping).
    static func pointer(_ name: String) -> String { "/" + name }

    /// The member `name`, or `bad_request` (`required`) when it is absent.
    func required(_ name: String) throws(ProtocolError) -> JSONValue {
        guard let value = members[name] else {
            throw .badRequest(field: Self.pointer(name), reason: "required", "\(name) is required")
        }
        return value
    }

    /// A required string member.
    func string(_ name: String) throws(ProtocolError) -> String {
        try Self.string(try required(name), name)
    }

    /// An optional string member: nil when absent.
    func optionalString(_ name: String) throws(ProtocolError) -> String? {
        guard let value = members[name] else { return nil }
        return try Self.string(value, name)
    }

    /// A required `entity_id` (room, card or column id): `^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$`.
    func entityID(_ name: String) throws(ProtocolError) -> String {
        let text = try string(name)
        guard ProtocolSyntax.isEntityID(text) else {
            throw .badRequest(
                field: Self.pointer(name), reason: "invalid_format",
                "\(name) must be 1-64 of A-Z a-z 0-9 . _ : -, starting with a letter or digit")
        }
        return text
    }

    /// A required integer member within `range`.
    func integer(_ name: String, in range: ClosedRange<Int64>) throws(ProtocolError) -> Int64 {
        try Self.integer(try required(name), name, in: range)
    }

    /// An optional integer member within `range`: nil when absent.
    func optionalInteger(_ name: String, in range: ClosedRange<Int64>) throws(ProtocolError) -> Int64? {
        guard let value = members[name] else { return nil }
        return try Self.integer(value, name, in: range)
    }

    /// An optional boolean member, `defaultValue` when absent.
    func bool(_ name: String, default defaultValue: Bool) throws(ProtocolError) -> Bool {
        guard let value = members[name] else { return defaultValue }
        guard case .bool(let flag) = value else { throw Self.wrongType(name, "a boolean") }
        return flag
    }

    /// An optional object member (returned as the `.object` value): nil when absent.
    func optionalObject(_ name: String) throws(ProtocolError) -> JSONValue? {
        guard let value = members[name] else { return nil }
        guard case .object = value else { throw Self.wrongType(name, "an object") }
        return value
    }

    /// A required object member (returned as the `.object` value).
    func object(_ name: String) throws(ProtocolError) -> JSONValue {
        let value = try required(name)
        guard case .object = value else { throw Self.wrongType(name, "an object") }
        return value
    }

    // MARK: Conversions

    static func wrongType(_ name: String, _ expected: String) -> ProtocolError {
        .badRequest(field: pointer(name), reason: "wrong_type", "\(name) must be \(expected)")
    }

    private static func string(_ value: JSONValue, _ name: String) throws(ProtocolError) -> String {
        guard case .string(let text) = value else { throw wrongType(name, "a string") }
        return text
    }

    /// An integer as JSON Schema sees one: any number with no fractional part, so `3`,
    /// `3.0` and `3e0` are all 3; `1.5` is `wrong_type`. Integral values the parser could
    /// not hold exactly (beyond `Int64`, or overflowing to infinity) are `out_of_range`.
    private static func integer(
        _ value: JSONValue, _ name: String, in range: ClosedRange<Int64>
    ) throws(ProtocolError) -> Int64 {
        guard case .number(let number) = value else { throw wrongType(name, "an integer") }
        let outOfRange = ProtocolError.badRequest(
            field: pointer(name), reason: "out_of_range",
            "\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)")
        if let exact = number.integer {
            guard range.contains(exact) else { throw outOfRange }
            return exact
        }
        let double = number.double
        if double.isFinite && double.rounded(.towardZero) != double { throw wrongType(name, "an integer") }
        guard let exact = Int64(exactly: double), range.contains(exact) else { throw outOfRange }
        return exact
    }
}
