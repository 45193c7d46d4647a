import HubbubStore

/// Why an admin command stopped, and with which exit status: bad input is a usage
/// error (64, `EX_USAGE`), the state of the store a failure (1).
struct AdminError: Error, CustomStringConvertible {
    /// The exit status the command ends with.
    let exitCode: Int32
    let message: String

    /// Input that is wrong whatever the store holds: an invalid id, a bad seed file.
    static func usage(_ message: String) -> AdminError {
        AdminError(exitCode: 64, message: message)
    }

    /// The store refused or lacks what the command needs (a missing project, a taken
    /// username), or could not be used.
    static func failure(_ message: String) -> AdminError {
        AdminError(exitCode: 1, message: message)
    }

    /// A store error, with a hint for the ones an operator can act on.
    static func store(_ error: StoreError) -> AdminError {
        switch error.code {
        case .busy:
            failure("the database is busy (another process held its write lock too long); try again: \(error.message)")
        case .schemaMismatch:
            failure("the database schema does not match this hubbub: \(error.message)")
        default:
            failure("store error: \(error)")
        }
    }

    var description: String { message }
}
