import Glibc

extension ConfigurationFile {
    /// The text of the configuration file at `path` (at most 1 MiB, UTF-8).
    public static func load(path: String) throws(ConfigurationError) -> String {
        let source = ConfigurationError.Source.file(name: path, line: 0, column: 0)
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw ConfigurationError(problems: [.init(source: source, message: "cannot open: \(String(cString: strerror(errno)))")])
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count < 0 {
                throw ConfigurationError(problems: [.init(source: source, message: "cannot read: \(String(cString: strerror(errno)))")])
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > 1 << 20 {
                throw ConfigurationError(problems: [.init(source: source, message: "larger than 1 MiB")])
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigurationError(problems: [.init(source: source, message: "not valid UTF-8")])
        }
        return text
    }
}
