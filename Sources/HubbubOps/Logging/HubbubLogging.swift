import Logging

/// Start-up of logging for `hubbub serve`: one call picks the format and level for every
/// logger in the process.
public enum HubbubLogging {
    /// The handler factory for `LoggingSystem.bootstrap`: every logger writes through
    /// one shared `writer` (standard error unless given).
    public static func factory(
        format: LogFormat, level: Logger.Level, writer: any LogLineWriter = FileDescriptorLogWriter(),
        redaction: LogRedaction = .standard
    ) -> @Sendable (String, Logger.MetadataProvider?) -> any LogHandler {
        { label, provider in
            StructuredLogHandler(label: label, format: format, level: level, writer: writer,
                                 redaction: redaction, metadataProvider: provider)
        }
    }

    /// Bootstraps swift-log (once per process, as swift-log requires).
    public static func bootstrap(format: LogFormat, level: Logger.Level, metadataProvider: Logger.MetadataProvider? = nil) {
        LoggingSystem.bootstrap(factory(format: format, level: level), metadataProvider: metadataProvider)
    }
}
