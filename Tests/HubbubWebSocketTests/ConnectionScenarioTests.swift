import HubbubWebSocket
import Testing

@Suite("Connection: every corpus input fed whole")
struct ConnectionScenarioTests {
    @Test(arguments: ScenarioCorpus.all)
    func fedWhole(_ scenario: Scenario) {
        check(scenario.runWhole(), scenario.expected, role: scenario.role)
    }

    @Test("the corpus holds both valid and invalid inputs")
    func corpusIsBalanced() {
        let failures = ScenarioCorpus.all.filter { if case .failure = $0.expected { true } else { false } }
        #expect(failures.count > 40)
        #expect(ScenarioCorpus.all.count - failures.count > 30)
    }
}
