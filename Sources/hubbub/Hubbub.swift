import ArgumentParser

@main
struct Hubbub: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hubbub",
        abstract: "A real-time collaboration hub: WebSocket sessions, presence and room fan-out.",
        subcommands: [Serve.self, Token.self, Admin.self, Migrate.self, APIKeyCommand.self, MailerCommand.self]
    )

    /// Folds `--config FILE` (or `$HUBBUB_CONFIG`) and the `HUBBUB_*` variables into the
    /// arguments of `hubbub serve` (flags win), then runs the command.
    static func main() {
        main(ConfigFlags.resolvingServeConfiguration(Array(CommandLine.arguments.dropFirst())))
    }
}
