import HubbubAuth

/// Just enough DER to turn the JWKs printed in RFC 7515 into PEM keys OpenSSL reads.
enum DER {
    static let rsaEncryption: [UInt8] = [0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]
    static let ecPublicKey: [UInt8] = [0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01]
    static let prime256v1: [UInt8] = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]
    static let null: [UInt8] = [0x05, 0x00]

    static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        var length: [UInt8]
        if content.count < 0x80 {
            length = [UInt8(content.count)]
        } else {
            length = []
            var remaining = content.count
            while remaining > 0 {
                length.insert(UInt8(remaining & 0xFF), at: 0)
                remaining >>= 8
            }
            length.insert(0x80 | UInt8(length.count), at: 0)
        }
        return [tag] + length + content
    }

    static func sequence(_ parts: [UInt8]...) -> [UInt8] { tlv(0x30, parts.flatMap { $0 }) }

    /// A non-negative INTEGER from big-endian magnitude bytes.
    static func integer(_ magnitude: [UInt8]) -> [UInt8] {
        var content = Array(magnitude.drop { $0 == 0 })
        if content.isEmpty || content[0] >= 0x80 { content.insert(0, at: 0) }
        return tlv(0x02, content)
    }

    static func bitString(_ bytes: [UInt8]) -> [UInt8] { tlv(0x03, [0] + bytes) }

    /// PEM armour: standard base64 with padding in 64-character lines.
    static func pem(_ label: String, _ der: [UInt8]) -> String {
        var base64 = String(Base64URL.encode(der).map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        while base64.utf8.count % 4 != 0 { base64 += "=" }
        var lines: [String] = []
        var rest = Substring(base64)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(64)))
            rest = rest.dropFirst(64)
        }
        return "-----BEGIN \(label)-----\n" + lines.joined(separator: "\n") + "\n-----END \(label)-----\n"
    }

    /// `kty: RSA` public JWK members as a SubjectPublicKeyInfo PEM.
    static func rsaPublicKeyPEM(n: String, e: String) -> String {
        let key = sequence(integer(decode(n)), integer(decode(e)))
        return pem("PUBLIC KEY", sequence(sequence(rsaEncryption, null), bitString(key)))
    }

    /// `kty: RSA` private JWK members as a PKCS#1 `RSA PRIVATE KEY` PEM.
    static func rsaPrivateKeyPEM(
        n: String, e: String, d: String, p: String, q: String, dp: String, dq: String, qi: String
    ) -> String {
        let members = [n, e, d, p, q, dp, dq, qi].map { integer(decode($0)) }
        return pem("RSA PRIVATE KEY", tlv(0x30, integer([0]) + members.flatMap { $0 }))
    }

    /// `kty: EC, crv: P-256` public JWK members as a SubjectPublicKeyInfo PEM.
    static func p256PublicKeyPEM(x: String, y: String) -> String {
        let point = [0x04] + decode(x) + decode(y)
        return pem("PUBLIC KEY", sequence(sequence(ecPublicKey, prime256v1), bitString(point)))
    }

    /// `kty: EC, crv: P-256` private JWK members as an SEC 1 `EC PRIVATE KEY` PEM.
    static func p256PrivateKeyPEM(x: String, y: String, d: String) -> String {
        let point = [0x04] + decode(x) + decode(y)
        let key = sequence(
            integer([1]), tlv(0x04, decode(d)), tlv(0xA0, prime256v1), tlv(0xA1, bitString(point)))
        return pem("EC PRIVATE KEY", key)
    }

    private static func decode(_ base64url: String) -> [UInt8] {
        guard let bytes = Base64URL.decode(base64url) else { fatalError("bad base64url in a test vector") }
        return bytes
    }
}
