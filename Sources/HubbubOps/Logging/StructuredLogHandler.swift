import Logging

/// A swift-log handler that writes each record as one line, JSON (`time`, `level`,
/// `label`, `message`, the metadata flattened into fields, `source`, and `error` when the
/// event carries one) or text, through a ``LogLineWriter`` (standard error by default).
///
/// Value semantics as swift-log asks: metadata and level changes affect this copy only.
/// Metadata whose key looks like a secret or a message body is redacted
/// (``LogRedaction/standard``). Lines are formatted on the calling thread; the writer
/// makes each one a single whole write.
public struct StructuredLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    public let label: String
    public let format: LogFormat
    public let redaction: LogRedaction
    private let writer: any LogLineWriter
    private let clock: @Sendable () -> Int64

    /// `clock` gives milliseconds since the epoch (the real-time clock unless given; tests
    /// pass a fixed one).
    public init(
        label: String, format: LogFormat = .json, level: Logger.Level = .info,
        writer: any LogLineWriter = FileDescriptorLogWriter(), redaction: LogRedaction = .standard,
        metadataProvider: Logger.MetadataProvider? = nil,
        clock: (@Sendable () -> Int64)? = nil
    ) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.writer = writer
        self.redaction = redaction
        self.metadataProvider = metadataProvider
        self.clock = clock ?? { RFC3339Timestamp.nowMilliseconds() }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadataProvider?.get() ?? [:]
        if !metadata.isEmpty { merged.merge(metadata) { _, handler in handler } }
        if let extra = event.metadata, !extra.isEmpty { merged.merge(extra) { _, call in call } }
        let record = LogRecord(
            epochMilliseconds: clock(), level: event.level, label: label, message: event.message.description,
            source: event.source, metadata: merged, error: event.error.map { String(describing: $0) })
        switch format {
        case .json: writer.write(line: LogLineFormatter.json(record, redaction: redaction))
        case .text: writer.write(line: LogLineFormatter.text(record, redaction: redaction))
        }
    }
}
