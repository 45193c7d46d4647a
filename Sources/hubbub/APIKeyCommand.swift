import ArgumentParser
import HubbubAuth

/// `hubbub api-key`: makes a random API key and prints it with the `--api-key` value that
/// configures it (only the SHA-256 of the key goes into the configuration).
struct APIKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api-key",
        abstract: "Make an HTTP API key: prints the key (give it to the service) and the --api-key value (configure the hub)."
    )

    @Option(help: "The service's name (the actor of what it publishes): [a-z][a-z0-9_-]{0,63}.")
    var name: String

    @Option(help: "Scopes joined with +: publish, read, admin.")
    var scopes = "publish+read"

    func run() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        let key = "hbk_" + String((0..<40).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] })
        let line = "\(name):\(scopes):\(SHA256Digest.hex(of: key))"
        do {
            _ = try APIKey(argument: line)
        } catch {
            throw ValidationError("\(error)")
        }
        print("key:       \(key)")
        print("--api-key  \(line)")
    }
}
