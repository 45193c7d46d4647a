/// A failure that ends a run before it can report figures (bad arguments the parser
/// cannot check, too few file descriptors, an unwritable --json file). Its description is
/// the whole message the user sees.
struct LoadError: Error, Sendable, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
