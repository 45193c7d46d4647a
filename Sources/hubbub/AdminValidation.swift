import ArgumentParser

/// The formats of `protocol/schemas/common.json`, checked before anything touches the
/// store. Each check throws ``AdminError/usage(_:)`` naming the field.
enum AdminValidation {
    /// The most cards, columns or positions a position argument may name.
    static let maxPosition = 1_000_000

    /// Entity id (project, column, card): `^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$`.
    static func entityID(_ value: String, _ field: String) throws(AdminError) {
        let bytes = Array(value.utf8)
        guard (1...64).contains(bytes.count), isAlphanumeric(bytes[0]),
            bytes.allSatisfy({ isAlphanumeric($0) || $0 == ascii(".") || $0 == ascii("_") || $0 == ascii(":") || $0 == ascii("-") })
        else {
            throw .usage(
                "\(field) \(quoted(value)) is not a valid id: 1-64 ASCII letters, digits and . _ : -, "
                    + "starting with a letter or digit")
        }
    }

    /// Username: 1-32 ASCII letters, digits, `_ . -`; first and last a letter, digit or `_`.
    static func username(_ value: String, _ field: String) throws(AdminError) {
        let bytes = Array(value.utf8)
        let edge = { (byte: UInt8) in isAlphanumeric(byte) || byte == ascii("_") }
        guard (1...32).contains(bytes.count), edge(bytes[0]), edge(bytes[bytes.count - 1]),
            bytes.allSatisfy({ edge($0) || $0 == ascii(".") || $0 == ascii("-") })
        else {
            throw .usage(
                "\(field) \(quoted(value)) is not a valid username: 1-32 ASCII letters, digits, _ . -, "
                    + "starting and ending with a letter, digit or _")
        }
    }

    /// User id (the JWT `sub`): 1-128 characters, no control characters.
    static func userID(_ value: String, _ field: String) throws(AdminError) {
        let scalars = value.unicodeScalars
        guard (1...128).contains(scalars.count), !scalars.contains(where: isControl) else {
            throw .usage("\(field) \(quoted(value)) is not a valid user id: 1-128 characters, no control characters")
        }
    }

    /// E-mail address: exactly one `@` with something on each side, no spaces or control
    /// characters, at most 254 bytes.
    static func email(_ value: String, _ field: String) throws(AdminError) {
        let parts = value.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, value.utf8.count <= 254,
            !value.unicodeScalars.contains(where: { isControl($0) || $0 == " " })
        else {
            throw .usage("\(field) \(quoted(value)) is not a valid e-mail address (one @, no spaces)")
        }
    }

    /// Display name, project or column name: 1-200 characters, no control characters.
    static func name(_ value: String, _ field: String) throws(AdminError) {
        let scalars = value.unicodeScalars
        guard (1...200).contains(scalars.count), !scalars.contains(where: isControl) else {
            throw .usage("\(field) must be 1-200 characters without control characters")
        }
    }

    /// Card title: 1-500 bytes of UTF-8.
    static func title(_ value: String, _ field: String) throws(AdminError) {
        guard (1...500).contains(value.utf8.count) else {
            throw .usage("\(field) must be 1-500 bytes of UTF-8 (it has \(value.utf8.count))")
        }
    }

    /// A card or column position: 0...``maxPosition``.
    static func position(_ value: Int, _ field: String) throws(AdminError) {
        guard (0...maxPosition).contains(value) else {
            throw .usage("\(field) must be between 0 and \(maxPosition)")
        }
    }

    /// Runs checks in a command's `validate()`: a failed one becomes the
    /// `ValidationError` that makes the argument parser print usage and exit 64.
    static func arguments(_ checks: () throws(AdminError) -> Void) throws(ValidationError) {
        do {
            try checks()
        } catch {
            throw ValidationError(error.message)
        }
    }

    private static func ascii(_ character: Unicode.Scalar) -> UInt8 { UInt8(ascii: character) }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (ascii("A")...ascii("Z")).contains(byte) || (ascii("a")...ascii("z")).contains(byte)
            || (ascii("0")...ascii("9")).contains(byte)
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || scalar.value == 0x7F
    }

    /// The value in double quotes with control characters escaped, for messages.
    private static func quoted(_ value: String) -> String {
        "\"" + value.unicodeScalars.map { isControl($0) ? $0.escaped(asASCII: true) : String($0) }.joined() + "\""
    }
}
