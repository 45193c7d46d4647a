import Glibc

/// Writing a whole file (`--json`, `--seed-file`).
enum TextFile {
    /// Writes `text` to `path`, replacing it; errors name the `option` that gave the path.
    static func write(_ text: String, to path: String, option: String) throws(LoadError) {
        let bytes = Array(text.utf8)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw LoadError("\(option) \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if written > 0 {
                offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                throw LoadError("\(option) \(path): \(String(cString: strerror(errno)))")
            }
        }
    }
}
