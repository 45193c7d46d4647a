import Foundation
import Glibc
import Synchronization

/// Runs this test binary again as a child process, selecting one swift-testing test,
/// and collects the lines it prints on standard output.
///
/// The test binary (`hubbubPackageTests.xctest`) is the process's own executable
/// (`/proc/self/exe`); `--testing-library swift-testing --filter <test>` is how SwiftPM
/// itself runs it. The child learns what to do from environment variables, so the test
/// it runs is disabled (skipped) in every normal run.
final class ChildProcess: Sendable {
    private struct State {
        var lines: [String] = []
        var partial: [UInt8] = []
        var finished = false
        var matching = 0
        var killed = false
    }

    let process: Process
    private let state = Mutex(State())

    /// When `killAfter` is given, the reader thread sends SIGKILL as soon as it has read that
    /// many lines starting with its prefix: right after the child wrote them, while it is
    /// still working.
    init(
        runningTest filter: String, environment extra: [String: String], stderrPath: String,
        killAfter: (prefix: String, count: Int)? = nil
    ) throws {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--testing-library", "swift-testing", "--filter", filter]
        process.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
        let stdout = Pipe()
        process.standardOutput = stdout
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        process.standardInput = FileHandle.nullDevice
        self.process = process
        try process.run()

        // Blocking reads on a thread of its own, not on a Swift concurrency thread.
        let reader = stdout.fileHandleForReading
        let thread = Thread { [self] in
            while true {
                let chunk = reader.availableData
                let done = self.state.withLock { state in
                    guard !chunk.isEmpty else {
                        state.finished = true
                        return true
                    }
                    for byte in chunk {
                        if byte == UInt8(ascii: "\n") {
                            let line = String(decoding: state.partial, as: UTF8.self)
                            state.lines.append(line)
                            state.partial.removeAll()
                            if let killAfter, line.hasPrefix(killAfter.prefix) { state.matching += 1 }
                        } else {
                            state.partial.append(byte)
                        }
                    }
                    if let killAfter, state.matching >= killAfter.count, !state.killed {
                        state.killed = true
                        self.kill(SIGKILL)
                    }
                    return false
                }
                if done { return }
            }
        }
        thread.start()
    }

    var lines: [String] { state.withLock { $0.lines } }
    var outputFinished: Bool { state.withLock { $0.finished } }

    /// Polls `condition` every 10 ms until it holds or `timeout` passes; returns whether it held.
    func wait(upTo timeout: Duration, until condition: (ChildProcess) -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(self) { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return condition(self)
    }

    func kill(_ signal: Int32) {
        _ = Glibc.kill(process.processIdentifier, signal)
    }
}
