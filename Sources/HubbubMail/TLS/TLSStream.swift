internal import COpenSSL
import Glibc

/// A TLS client session over an ``SMTPSocket``: the one owner of its `SSL_CTX` and
/// `SSL` (both freed in `deinit`; neither pointer leaves this class). OpenSSL reads and
/// writes the socket itself through a socket BIO (`SSL_set_fd`); as the socket is
/// non-blocking, `SSL_ERROR_WANT_READ` / `WANT_WRITE` become a `poll` bounded by the
/// deadline. Used by one mail worker thread only (not `Sendable`); OpenSSL's error
/// queue is per thread, cleared before each call.
///
/// A context per session keeps the ownership simple; loading the trust store costs a
/// few milliseconds, nothing next to an SMTP round trip.
final class TLSStream {
    private let context: OpaquePointer
    private let ssl: OpaquePointer
    /// Kept alive as long as the session that reads its descriptor.
    private let socket: SMTPSocket

    init(socket: SMTPSocket, host: String, verification: TLSVerification) throws(SMTPError) {
        ERR_clear_error()
        guard let context = SSL_CTX_new(TLS_client_method()) else { throw .tls("SSL_CTX_new: \(Self.lastError())") }
        // TLS 1.2 at least (SSL_CTX_set_min_proto_version is a macro over SSL_CTX_ctrl).
        SSL_CTX_ctrl(context, SSL_CTRL_SET_MIN_PROTO_VERSION, Int(TLS1_2_VERSION), nil)
        // SSL_CTX_set_mode (a macro): a retried write may pass a partial, moved buffer.
        SSL_CTX_ctrl(
            context, SSL_CTRL_MODE, Int(SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER), nil)
        switch verification {
        case .system:
            guard SSL_CTX_set_default_verify_paths(context) == 1 else {
                let error = Self.lastError()
                SSL_CTX_free(context)
                throw .tls("cannot load the system trust store: \(error)")
            }
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        case .caFile(let path):
            guard SSL_CTX_load_verify_locations(context, path, nil) == 1 else {
                let error = Self.lastError()
                SSL_CTX_free(context)
                throw .tls("cannot load CA file \(path): \(error)")
            }
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        case .none:
            SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        }
        guard let ssl = SSL_new(context) else {
            let error = Self.lastError()
            SSL_CTX_free(context)
            throw .tls("SSL_new: \(error)")
        }
        self.context = context
        self.ssl = ssl
        self.socket = socket
        // From here on deinit frees both.
        guard SSL_set_fd(ssl, socket.descriptor) == 1 else { throw .tls("SSL_set_fd: \(Self.lastError())") }
        let isIP = Self.isIPAddress(host)
        if !isIP {
            // SNI (SSL_set_tlsext_host_name is a macro over SSL_ctrl).
            _ = host.withCString { name in
                SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, Int(TLSEXT_NAMETYPE_host_name), UnsafeMutableRawPointer(mutating: name))
            }
        }
        if verification != .none {
            let ok = isIP ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) : SSL_set1_host(ssl, host)
            guard ok == 1 else { throw .tls("cannot set the name to verify (\(host)): \(Self.lastError())") }
        }
    }

    deinit {
        SSL_free(ssl)
        SSL_CTX_free(context)
    }

    /// Runs the client handshake (certificate verification included).
    func handshake(until deadline: Deadline) throws(SMTPError) {
        while true {
            ERR_clear_error()
            let rc = SSL_connect(ssl)
            if rc == 1 { return }
            try waitOrThrow(rc, until: deadline, operation: "handshake")
        }
    }

    /// Reads decrypted bytes (waiting until `deadline`); 0 when the server closed.
    func read(into buffer: UnsafeMutableRawBufferPointer, until deadline: Deadline) throws(SMTPError) -> Int {
        while true {
            ERR_clear_error()
            let rc = SSL_read(ssl, buffer.baseAddress, Int32(clamping: buffer.count))
            if rc > 0 { return Int(rc) }
            let error = SSL_get_error(ssl, rc)
            if error == SSL_ERROR_ZERO_RETURN { return 0 }
            if error == SSL_ERROR_SYSCALL && ERR_peek_error() == 0 && rc == 0 { return 0 }  // EOF without close_notify
            try waitOrThrow(rc, until: deadline, operation: "read")
        }
    }

    /// Writes all of `bytes` before `deadline`.
    func writeAll(_ bytes: [UInt8], until deadline: Deadline) throws(SMTPError) {
        var offset = 0
        while offset < bytes.count {
            ERR_clear_error()
            let rc = bytes.withUnsafeBytes { raw in
                SSL_write(ssl, raw.baseAddress! + offset, Int32(clamping: raw.count - offset))
            }
            if rc > 0 {
                offset += Int(rc)
                continue
            }
            try waitOrThrow(rc, until: deadline, operation: "write")
        }
    }

    /// Sends close_notify without waiting for the server's (best effort).
    func close() {
        ERR_clear_error()
        SSL_shutdown(ssl)
        ERR_clear_error()
    }

    /// After a failed call: waits for the socket when OpenSSL asks to, else throws.
    private func waitOrThrow(_ rc: Int32, until deadline: Deadline, operation: String) throws(SMTPError) {
        let error = SSL_get_error(ssl, rc)
        switch error {
        case SSL_ERROR_WANT_READ:
            try socket.wait(for: Int16(POLLIN), until: deadline)
        case SSL_ERROR_WANT_WRITE:
            try socket.wait(for: Int16(POLLOUT), until: deadline)
        case SSL_ERROR_SYSCALL:
            let detail = ERR_peek_error() != 0 ? Self.lastError() : (errno != 0 ? SMTPSocket.errorText(errno) : "EOF")
            throw .connection("TLS \(operation): \(detail)")
        default:
            let verify = SSL_get_verify_result(ssl)
            if verify != X509_V_OK {
                throw .tls("certificate verification failed: \(String(cString: X509_verify_cert_error_string(verify)))")
            }
            throw .tls("\(operation): \(Self.lastError())")
        }
    }

    private static func lastError() -> String {
        let code = ERR_get_error()
        guard code != 0 else { return "unknown error" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        ERR_clear_error()
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}
