/// Which known flags the command line gives, by main name. I/O-free.
///
/// Reads `--name`, `--name=value` and `--name value` (the value skipped for options), up
/// to a `--` terminator; short flags and unknown names are left to the argument parser.
enum CommandLineScan {
    static func givenFlags(_ arguments: [String], names: [String: FlagSpec]) -> Set<String> {
        var given: Set<String> = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" { break }
            guard argument.hasPrefix("--") else { continue }
            let body = argument.dropFirst(2)
            let hasValue = body.contains("=")
            let name = String(body.prefix { $0 != "=" })
            guard let spec = names[name] else { continue }
            given.insert(spec.name)
            if spec.kind != .flag, !hasValue { index += 1 }
        }
        return given
    }
}
