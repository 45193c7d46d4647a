/// An incremental UTF-8 validator (RFC 3629) that fails as soon as the bytes fed so far
/// cannot be the start of valid UTF-8: a bad lead or continuation byte, an overlong form,
/// a surrogate (U+D800-U+DFFF) or a code point above U+10FFFF. It keeps the state of a
/// half-finished code point across calls, so a text message can be checked fragment by
/// fragment and rejected at the fragment that broke it (Autobahn 6.4.x).
///
/// ASCII is checked 16 bytes at a time.
public struct UTF8Validator: Sendable {
    /// Continuation bytes the current code point still needs (0-3).
    private var pending: UInt8 = 0
    /// The range the next continuation byte must fall in: narrower than 0x80-0xBF only
    /// for the first one after E0, ED, F0 and F4, which is how overlongs, surrogates and
    /// values above U+10FFFF are excluded.
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF
    private var failed = false

    /// Creates a validator at a character boundary.
    public init() {}

    /// Whether no code point is half-finished (and nothing invalid has been seen): a text
    /// message may end here.
    public var isAtCharacterBoundary: Bool { pending == 0 && !failed }

    /// Forgets all state, for the next message.
    public mutating func reset() {
        self = UTF8Validator()
    }

    /// Checks the next bytes of the text. Returns false as soon as the bytes so far cannot
    /// be a prefix of valid UTF-8, and keeps returning false until ``reset()``.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard !failed else { return false }
        guard let base = bytes.baseAddress else { return true }
        let count = bytes.count
        let highBits: UInt64 = 0x8080_8080_8080_8080
        var pending = self.pending
        var lower = self.lower
        var upper = self.upper
        var index = 0
        while index < count {
            if pending == 0 {
                while count &- index >= 16 {
                    let a = base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                    let b = base.loadUnaligned(fromByteOffset: index &+ 8, as: UInt64.self)
                    guard (a | b) & highBits == 0 else { break }
                    index &+= 16
                }
                if count &- index >= 8, base.loadUnaligned(fromByteOffset: index, as: UInt64.self) & highBits == 0 {
                    index &+= 8
                    continue
                }
                guard index < count else { break }
                let byte = base.load(fromByteOffset: index, as: UInt8.self)
                index &+= 1
                switch byte {
                case 0x00...0x7F:
                    continue
                case 0xC2...0xDF:
                    pending = 1
                case 0xE0:
                    pending = 2
                    lower = 0xA0  // below: overlong
                case 0xE1...0xEC, 0xEE...0xEF:
                    pending = 2
                case 0xED:
                    pending = 2
                    upper = 0x9F  // above: surrogates
                case 0xF0:
                    pending = 3
                    lower = 0x90  // below: overlong
                case 0xF1...0xF3:
                    pending = 3
                case 0xF4:
                    pending = 3
                    upper = 0x8F  // above: beyond U+10FFFF
                default:  // continuation byte, C0/C1 (overlong), F5-FF
                    self.failed = true
                    return false
                }
            } else {
                let byte = base.load(fromByteOffset: index, as: UInt8.self)
                index &+= 1
                guard byte >= lower, byte <= upper else {
                    self.failed = true
                    return false
                }
                pending &-= 1
                lower = 0x80
                upper = 0xBF
            }
        }
        self.pending = pending
        self.lower = lower
        self.upper = upper
        return true
    }
}
