import Glibc
import HubbubJSON
import Logging
import Testing

@testable import HubbubOps

@Suite struct StructuredLogHandlerTests {
    /// 2025-11-22T07:04:05.123Z
    static let fixedTime: Int64 = 1_763_795_045_123

    func logger(format: LogFormat = .json, writer: MemoryLogWriter, provider: Logger.MetadataProvider? = nil) -> Logger {
        Logger(label: "hubbub.test") { label in
            StructuredLogHandler(label: label, format: format, level: .debug, writer: writer,
                                 metadataProvider: provider, clock: { Self.fixedTime })
        }
    }

    @Test func jsonLineHasTheFieldsAndParses() throws {
        let writer = MemoryLogWriter()
        var logger = logger(writer: writer)
        logger[metadataKey: "conn"] = ["id": "c1", "remote": "127.0.0.1:5000"]
        logger.info("user joined \"room\"\nsecond line", metadata: ["room_count": .stringConvertible(3), "tags": ["a", "b"]])
        #expect(writer.lines.count == 1)
        let line = try #require(writer.lines.first)
        #expect(line == #"{"time":"2025-11-22T07:04:05.123Z","level":"info","label":"hubbub.test","message":"user joined \"room\"\nsecond line","conn.id":"c1","conn.remote":"127.0.0.1:5000","room_count":"3","tags":["a","b"],"source":"HubbubOpsTests"}"#)
        let object = try #require(JSONParser.parseObject(Array(line.utf8)))
        #expect(object["time"]?.stringValue == "2025-11-22T07:04:05.123Z")
        #expect(object["level"]?.stringValue == "info")
        #expect(object["message"]?.stringValue == "user joined \"room\"\nsecond line")
        #expect(object["conn.id"]?.stringValue == "c1")
    }

    @Test func levelsBelowTheHandlersAreDropped() {
        let writer = MemoryLogWriter()
        var logger = logger(writer: writer)
        logger.logLevel = .warning
        logger.info("quiet")
        logger.error("loud")
        #expect(writer.lines.count == 1)
        #expect(writer.lines[0].contains(#""level":"error""#))
    }

    @Test func secretsAndBodiesAreRedactedAtEveryLevel() throws {
        let writer = MemoryLogWriter()
        let logger = logger(writer: writer)
        logger.warning("auth failed", metadata: [
            "jwt_secret": "s3cr3t", "Authorization": "Bearer abc", "access-token": "tok", "password": "pw",
            "request": ["headers": ["cookie": "sid=1", "host": "example.test"], "body": "{\"text\":\"hi\"}"],
            "user": "u_alice",
        ])
        let line = try #require(writer.lines.first)
        for secret in ["s3cr3t", "Bearer abc", "tok\"", "\"pw\"", "sid=1", "hi"] {
            #expect(!line.contains(secret), "leaked \(secret)")
        }
        let object = try #require(JSONParser.parseObject(Array(line.utf8)))
        #expect(object["jwt_secret"]?.stringValue == "[redacted]")
        #expect(object["Authorization"]?.stringValue == "[redacted]")
        #expect(object["request.headers.cookie"]?.stringValue == "[redacted]")
        #expect(object["request.headers.host"]?.stringValue == "example.test")
        #expect(object["request.body"]?.stringValue == "[redacted]")
        #expect(object["user"]?.stringValue == "u_alice")
    }

    @Test func metadataMergesProviderHandlerAndCallInThatOrder() throws {
        let writer = MemoryLogWriter()
        let provider = Logger.MetadataProvider { ["from": "provider", "trace": "t1"] }
        var logger = logger(writer: writer, provider: provider)
        logger[metadataKey: "from"] = "handler"
        logger[metadataKey: "scope"] = "handler"
        logger.info("x", metadata: ["scope": "call"])
        let object = try #require(JSONParser.parseObject(Array(writer.lines[0].utf8)))
        #expect(object["from"]?.stringValue == "handler")
        #expect(object["scope"]?.stringValue == "call")
        #expect(object["trace"]?.stringValue == "t1")
    }

    @Test func reservedNamesInMetadataDoNotOverwriteFields() throws {
        let writer = MemoryLogWriter()
        let logger = logger(writer: writer)
        logger.info("real", metadata: ["message": "fake", "level": "fake"])
        let object = try #require(JSONParser.parseObject(Array(writer.lines[0].utf8)))
        #expect(object["message"]?.stringValue == "real")
        #expect(object["level"]?.stringValue == "info")
        #expect(object["meta.message"]?.stringValue == "fake")
    }

    @Test func correlationIDIsCarriedByTheLogger() throws {
        let writer = MemoryLogWriter()
        let id = CorrelationID.generate()
        let logger = logger(writer: writer).withCorrelationID(id)
        logger.debug("upgrade")
        let object = try #require(JSONParser.parseObject(Array(writer.lines[0].utf8)))
        #expect(object[CorrelationID.metadataKey]?.stringValue == id.value)
        #expect(id.value.count == 16)
        #expect(CorrelationID.generate() != id)
        #expect(CorrelationID(validating: "req-42_a.b:c")?.value == "req-42_a.b:c")
        #expect(CorrelationID(validating: "") == nil)
        #expect(CorrelationID(validating: "has space") == nil)
        #expect(CorrelationID(validating: String(repeating: "a", count: 65)) == nil)
    }

    @Test func errorsAreAField() throws {
        struct Boom: Error, CustomStringConvertible { var description: String { "boom" } }
        let writer = MemoryLogWriter()
        let handler = StructuredLogHandler(label: "l", writer: writer, clock: { Self.fixedTime })
        handler.log(event: LogEvent(level: .error, message: "failed", error: Boom(), metadata: nil, source: "S",
                                    file: #fileID, function: #function, line: #line))
        #expect(writer.lines[0] == #"{"time":"2025-11-22T07:04:05.123Z","level":"error","label":"l","message":"failed","source":"S","error":"boom"}"#)
    }

    @Test func textFormatIsOneReadableLine() {
        let writer = MemoryLogWriter()
        let logger = logger(format: .text, writer: writer)
        logger.notice("listening\non", metadata: ["address": "127.0.0.1:8080", "note": "two words", "token": "t"])
        #expect(writer.lines == [
            #"2025-11-22T07:04:05.123Z notice hubbub.test [HubbubOpsTests]: listening\non address=127.0.0.1:8080 note="two words" token=[redacted]"#,
        ])
    }

    @Test func linesFromManyThreadsStayWhole() async throws {
        let writer = MemoryLogWriter()
        let logger = logger(writer: writer)
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for index in 0..<200 { logger.info("line", metadata: ["task": "\(task)", "index": "\(index)"]) }
                }
            }
        }
        #expect(writer.lines.count == 1600)
        #expect(writer.lines.allSatisfy { JSONParser.parseObject(Array($0.utf8)) != nil })
    }

    @Test func fileDescriptorWriterWritesWholeLines() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]) }
        let writer = FileDescriptorLogWriter(descriptor: fds[1])
        writer.write(line: Array("{\"a\":1}\n".utf8))
        writer.write(line: Array("{\"b\":2}\n".utf8))
        close(fds[1])
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(fds[0], &buffer, 64)
        #expect(String(decoding: buffer[0..<max(count, 0)], as: UTF8.self) == "{\"a\":1}\n{\"b\":2}\n")
    }
}
