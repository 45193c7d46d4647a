internal import COpenSSL

/// The one owner of an OpenSSL `EVP_PKEY`: it is freed in `deinit`, and the pointer
/// never leaves this module (callers borrow it through ``withPointer(_:)``).
///
/// Why `@unchecked Sendable` is safe: the key is never modified after `init`. The
/// only calls that receive it are `EVP_PKEY_get_*` queries (const in OpenSSL 3) and
/// `EVP_DigestVerifyInit`/`EVP_DigestSignInit`, each on a fresh `EVP_MD_CTX` owned by
/// one call on one thread. Those take a reference with an atomic increment and read
/// the key material; the provider-side export cache that OpenSSL 3 keeps inside an
/// `EVP_PKEY` is guarded by the key's own lock. openssl-threads(7) allows such
/// concurrent read-only use of a shared object, and this class offers no mutation.
final class EVPKey: @unchecked Sendable {
    private let pointer: OpaquePointer

    /// Takes ownership of an `EVP_PKEY*` with one reference held by the caller.
    init(owning pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// Lends the `EVP_PKEY*` to `body`; it must not be freed or kept past the call.
    func withPointer<Result>(_ body: (OpaquePointer) -> Result) -> Result {
        withExtendedLifetime(self) { body(pointer) }
    }

    /// The JWS algorithm this key serves: RS256 for RSA keys of at least 2048 bits,
    /// ES256 for EC keys on P-256. Anything else is a ``JWTError/keyError(_:)``.
    func jwtAlgorithm() throws(JWTError) -> JWTAlgorithm {
        let (type, bits, group) = withPointer { key in
            (EVP_PKEY_get_base_id(key), EVP_PKEY_get_bits(key), Self.groupName(key))
        }
        switch type {
        case EVP_PKEY_RSA:
            guard bits >= 2048 else { throw .keyError("RSA keys must have at least 2048 bits") }
            return .rs256
        case EVP_PKEY_EC:
            guard group == "prime256v1" || group == "P-256" else { throw .keyError("EC keys must be on curve P-256") }
            return .es256
        default:
            throw .keyError("unsupported key type (RS256 needs RSA, ES256 needs EC P-256)")
        }
    }

    /// The size in bytes of this key's signatures (RSA: the modulus length).
    var signatureSize: Int {
        Int(withPointer { EVP_PKEY_get_size($0) })
    }

    private static func groupName(_ key: OpaquePointer) -> String? {
        var buffer = [CChar](repeating: 0, count: 64)
        var length = 0
        let ok = EVP_PKEY_get_group_name(key, &buffer, buffer.count, &length)
        guard ok == 1 else {
            ERR_clear_error()
            return nil
        }
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
