/// Where the three segments of a compact JWS (`header.payload.signature`) lie in the
/// token's bytes (RFC 7515 section 7.1).
struct JWTSegments {
    var header: Range<Int>
    var payload: Range<Int>
    var signature: Range<Int>

    /// The bytes the signature covers: `header.payload`.
    var signingInput: Range<Int> { header.lowerBound..<payload.upperBound }

    /// Splits `bytes` at its dots; ``JWTError/malformed`` unless there are exactly two
    /// (so a JWE's five segments, or a header alone, are refused here).
    init(_ bytes: [UInt8]) throws(JWTError) {
        var dots: [Int] = []
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: ".") {
            dots.append(index)
            guard dots.count <= 2 else { throw .malformed }
        }
        guard dots.count == 2 else { throw .malformed }
        header = 0..<dots[0]
        payload = (dots[0] + 1)..<dots[1]
        signature = (dots[1] + 1)..<bytes.count
    }
}
