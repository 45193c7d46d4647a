internal import COpenSSL

/// Reads key files through OpenSSL's file BIO, so that the module needs no Foundation.
enum PEMFile {
    /// The largest key file read, in bytes; a PEM key or certificate is a few KiB.
    static let maxSize = 1 << 20

    /// The contents of the file at `path`.
    static func read(_ path: String) throws(JWTError) -> [UInt8] {
        guard let bio = BIO_new_file(path, "rb") else {
            ERR_clear_error()
            throw .keyError("\(path): cannot open file")
        }
        defer { BIO_free(bio) }
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { BIO_read(bio, $0.baseAddress, Int32($0.count)) }
            if count == 0 { return contents }
            guard count > 0 else {
                ERR_clear_error()
                throw .keyError("\(path): cannot read file")
            }
            contents += chunk.prefix(Int(count))
            guard contents.count <= maxSize else { throw .keyError("\(path): file too large for a key") }
        }
    }
}
