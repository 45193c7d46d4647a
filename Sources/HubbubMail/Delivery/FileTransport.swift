import Foundation
import Glibc

/// Writes each message to `<directory>/<message-id>.eml`, the default without SMTP: a
/// newcomer sees exactly what would have been sent (open the file in any mail client).
///
/// Atomic: the bytes go to a hidden temporary file in the same directory, which is
/// fsynced and renamed over the final name, then the directory is fsynced; a reader never
/// sees half a message, and a digest sent again after a crash (same Message-ID)
/// replaces its file instead of adding one. The directory is created (mode 0700) if
/// missing; files are 0600. Runs on its own worker thread.
public final class FileTransport: MailTransport {
    public let directory: String
    public var name: String { "file" }
    private let worker = BlockingWorker(name: "mail-file")

    public init(directory: String) {
        self.directory = directory
    }

    public func deliver(_ message: MailMessage, until deadline: Deadline) async throws(MailDeliveryError) {
        let directory = directory
        try await worker.run({ () throws(MailDeliveryError) in
            try Self.write(message, in: directory)
        }, closed: .transient("the file transport is shut down"))
    }

    public func shutdown() async {
        await worker.shutdown()
    }

    /// The file name of a message: its Message-ID with anything but `[A-Za-z0-9@._+-]`
    /// replaced by `_` (and no leading dot), plus `.eml`.
    public static func fileName(for messageID: String) -> String {
        var name = String(
            messageID.unicodeScalars.map { scalar -> Character in
                let ok = scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "@._+-".unicodeScalars.contains(scalar))
                return ok ? Character(scalar) : "_"
            })
        if name.hasPrefix(".") { name = "_" + name.dropFirst() }
        return String(name.prefix(200)) + ".eml"
    }

    private static func write(_ message: MailMessage, in directory: String) throws(MailDeliveryError) {
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .transient("cannot create \(directory): \(error.localizedDescription)")
        }
        let final = directory + "/" + fileName(for: message.messageID)
        let temporary = directory + "/.tmp-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .transient("cannot create \(temporary): \(String(cString: strerror(errno)))") }
        var failure: String?
        message.data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = "write: \(String(cString: strerror(errno)))"
                    return
                }
                offset += n
            }
        }
        if failure == nil && fsync(fd) != 0 { failure = "fsync: \(String(cString: strerror(errno)))" }
        Glibc.close(fd)
        if failure == nil && rename(temporary, final) != 0 { failure = "rename: \(String(cString: strerror(errno)))" }
        if let failure {
            unlink(temporary)
            throw .transient("\(final): \(failure)")
        }
        let dirFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dirFD >= 0 {
            fsync(dirFD)
            Glibc.close(dirFD)
        }
    }
}
