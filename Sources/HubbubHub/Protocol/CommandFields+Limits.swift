import HubbubJSON

/// The size and content rules of free-form members: texts, objects, token, cursor.
extension CommandFields {
    /// A required text member (comment `text`, card `title`): at most `maxBytes` UTF-8
    /// bytes, else `too_large`; with at least one character that is not Unicode white
    /// space, else `bad_request` (`blank`, also for "").
    func text(_ name: String, maxBytes: Int, what: String) throws(ProtocolError) -> String {
        let text = try string(name)
        let size = text.utf8.count
        guard size <= maxBytes else {
            throw .tooLarge(
                field: Self.pointer(name), limit: maxBytes, size: size,
                "\(what) is \(size) bytes; the limit is \(maxBytes)")
        }
        guard !ProtocolSyntax.isBlank(text) else {
            throw .badRequest(
                field: Self.pointer(name), reason: "blank", "\(what) must have a character that is not white space")
        }
        return text
    }

    /// Checks an object member against a byte limit on its compact JSON encoding and,
    /// when given, a limit on its number of top-level members; `too_large` otherwise.
    /// A count failure reports the byte figures plus `limit_members` and `size_members`.
    func checkSize(
        of value: JSONValue, _ name: String, maxBytes: Int, maxMembers: Int? = nil, what: String
    ) throws(ProtocolError) {
        let size = value.compactBytes.count
        guard size <= maxBytes else {
            throw .tooLarge(
                field: Self.pointer(name), limit: maxBytes, size: size,
                "\(what) is \(size) bytes as compact JSON; the limit is \(maxBytes)")
        }
        guard let maxMembers, case .object(let members) = value, members.count > maxMembers else { return }
        var error = ProtocolError.tooLarge(
            field: Self.pointer(name), limit: maxBytes, size: size,
            "\(what) has \(members.count) members; the limit is \(maxMembers)")
        if case .object(var details)? = error.details {
            details["limit_members"] = Self.number(maxMembers)
            details["size_members"] = Self.number(members.count)
            error.details = .object(details)
        }
        throw error
    }

    /// Checks a string member of 1 to `maxCharacters` Unicode code points (JSON Schema
    /// `minLength`/`maxLength`): `blank` when empty, `too_long` when over.
    func checkLength(of text: String, _ name: String, maxCharacters: Int) throws(ProtocolError) {
        guard !text.isEmpty else {
            throw .badRequest(field: Self.pointer(name), reason: "blank", "\(name) must not be empty")
        }
        // UTF-8 bytes bound code points from above: the count is only needed past it.
        guard text.utf8.count <= maxCharacters || text.unicodeScalars.count <= maxCharacters else {
            throw .badRequest(
                field: Self.pointer(name), reason: "too_long", "\(name) is longer than \(maxCharacters) characters")
        }
    }

    private static func number(_ value: Int) -> JSONValue {
        .number(JSONNumber(integer: Int64(value), double: Double(value)))
    }
}
