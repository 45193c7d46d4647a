import Testing

@testable import HubbubOps

/// deploy/hubbub.example.toml is read by this parser (the integration test checks it
/// against `hubbub serve`'s real flags).
@Suite struct ExampleFileTests {
    static var repositoryRoot: String {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(4)  // Tests/HubbubOpsTests/Configuration/ExampleFileTests.swift
        return parts.joined(separator: "/")
    }

    @Test func exampleFileParses() throws {
        let text = try ConfigurationFile.load(path: Self.repositoryRoot + "/deploy/hubbub.example.toml")
        let document = try TOMLDocument.parse(text)
        #expect(document["max-connections"] == .integer(100_000))
        #expect(document["presence", "batch-window"] == .string("50ms"))
        #expect(document["jwt", "public-key"] == .array([]))
        #expect(document.entries.count > 40)
    }

    @Test func exampleFileResolvesAgainstFlagsInferredFromItsOwnKeys() throws {
        // Every key becomes a flag of the right kind: the file resolves without problems.
        let document = try TOMLDocument.parse(
            try ConfigurationFile.load(path: Self.repositoryRoot + "/deploy/hubbub.example.toml"))
        let flags = document.entries.map { entry -> FlagSpec in
            let name = entry.path.joined(separator: "-")
            switch entry.value {
            case .boolean: return .flag(name)
            case .array: return .repeatable(name, .string)
            default: return .option(name)
            }
        }
        let resolved = try ConfigurationFile.resolve(
            commandLine: [], file: try ConfigurationFile.load(path: Self.repositoryRoot + "/deploy/hubbub.example.toml"),
            environment: [:], knownFlags: flags)
        #expect(resolved.arguments.contains("--presence-grace=15s"))
        #expect(resolved.arguments.contains("--max-send-queue=4MiB"))
        #expect(!resolved.arguments.contains("--echo"))
    }
}
