import ArgumentParser

@main
struct Hubbub: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hubbub",
        abstract: "A real-time collaboration hub: WebSocket sessions, presence and room fan-out.",
        subcommands: [Serve.self, Token.self, Admin.self, Migrate.self, APIKeyCommand.self, MailerCommand.self]
    )
}
