import Testing

@testable import HubbubOps

@Suite struct DumpHelpTests {
    @Test func flagsComeFromArgumentParsersDescription() throws {
        let specs = try #require(FlagSpec.fromDumpHelp(Array(ServeDumpHelpFixture.json.utf8)))
        let byName = Dictionary(uniqueKeysWithValues: specs.map { ($0.name, $0) })
        #expect(byName["help"] == nil)
        #expect(byName["listen"]?.kind == .option)
        #expect(byName["listen"]?.valueType == .any)
        #expect(byName["listen"]?.defaultValue == "127.0.0.1:8080")
        #expect(byName["io"]?.valueType == .choice(["auto", "uring", "epoll"]))
        #expect(byName["echo"]?.kind == .flag)
        #expect(byName["threads"]?.valueType == .any)
        #expect(byName["max-connections"]?.valueType == .integer)
        #expect(byName["max-message-size"]?.aliases == ["max-message-bytes"])
        #expect(byName["max-message-size"]?.valueType == .size)
        #expect(byName["presence-batch-window"]?.valueType == .duration)
        #expect(byName["allowed-origin"]?.kind == .repeatable)
        #expect(byName["jwt-secret"]?.abstract?.hasPrefix("HS256 secret") == true)
    }

    @Test func refinementsReplaceInferredTypes() throws {
        let specs = try #require(FlagSpec.fromDumpHelp(Array(ServeDumpHelpFixture.json.utf8)))
            .refined(with: ["threads": (.integer, nil), "echo": (.string, nil)])
        #expect(specs.first { $0.name == "threads" }?.valueType == .integer)
        #expect(specs.first { $0.name == "echo" }?.valueType == .boolean)  // flags stay switches
    }

    @Test func inference() {
        #expect(FlagSpec.inferValueType(defaultValue: "512") == .integer)
        #expect(FlagSpec.inferValueType(defaultValue: "50ms") == .duration)
        #expect(FlagSpec.inferValueType(defaultValue: "1.5h") == .duration)
        #expect(FlagSpec.inferValueType(defaultValue: "32MiB") == .size)
        #expect(FlagSpec.inferValueType(defaultValue: "info") == .any)
        #expect(FlagSpec.inferValueType(defaultValue: nil) == .any)
    }

    @Test func notADescription() {
        #expect(FlagSpec.fromDumpHelp(Array("Usage: hubbub serve".utf8)) == nil)
    }
}
