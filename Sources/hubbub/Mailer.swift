import ArgumentParser
import HubbubMail
import HubbubStore
import Logging

/// `hubbub mailer`: the e-mail queue's sender as its own process (docs/email.md). Any
/// number may run against one database; each digest is sent once. SIGTERM or SIGINT
/// finishes the digest being sent, releases the other claimed ones and exits.
struct MailerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mailer",
        abstract: "Send the e-mail notification queue (SMTP, or .eml files without --smtp-host)."
    )

    @OptionGroup var data: AdminDataOptions

    @OptionGroup(title: "E-mail")
    var mail: MailerOptions

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
    }

    func run() throws {
        let stop = ShutdownSignal()  // before any thread starts: they inherit the blocked mask
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "hubbub.mailer")
        let directory = data.directory
        let store: SQLiteStore
        do {
            store = try blocking { try await directory.openStore() }
        } catch {
            logger.critical("could not open the database in \(directory.path): \(error)")
            throw ExitCode(1)
        }
        let (mailer, transport) = try mail.makeMailer(store: store, dataDirectory: directory, logger: logger)
        if let file = transport as? FileTransport {
            logger.notice("no --smtp-host: e-mails are written as .eml files", metadata: ["dir": "\(file.directory)"])
        }
        let running = Task { await mailer.run() }
        let signal = stop.wait()
        logger.info("received \(signal): stopping")
        running.cancel()
        blocking {
            await running.value
            await transport.shutdown()
            await store.close()
        }
    }
}
