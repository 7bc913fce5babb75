import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The Python fixtures end when the process that started them is gone. When the test runner
/// crashed, a receiver it had started kept the runner's stderr open and `swift test` waited for
/// it until CI's time ran out; `orphan_guard.py` is what prevents that.
@Suite("Test fixtures do not outlive their test process")
struct FixtureOrphanTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    @Test(arguments: ["receiver.py", "proxy.py"])
    func aFixtureWhoseParentDiesEnds(fixture: String) throws {
        let dir = try Repository.temporaryDirectory("th-orphan")
        defer { try? FileManager.default.removeItem(at: dir) }
        let script = dir.appendingPathComponent("script.json")
        try Data("{}".utf8).write(to: script)
        let log = dir.appendingPathComponent("log").path
        let args = fixture == "proxy.py" ? [log] : [script.path, log]
        // A shell starts the fixture in the background, waits for its "PORT n" line (the guard is
        // imported before that), prints its PID and exits: the fixture is then an orphan, as it
        // is when a crashed runner leaves it behind.
        let quoted = ([Self.fixtures.appendingPathComponent(fixture).path] + args).map { "'\($0)'" }
        let port = dir.appendingPathComponent("port").path
        let sh = Process()
        sh.executableURL = URL(fileURLWithPath: "/bin/sh")
        sh.arguments = [
            "-c",
            "python3 \(quoted.joined(separator: " ")) >'\(port)' 2>/dev/null </dev/null & "
                + "n=0; until [ -s '\(port)' ] || [ $n -ge 300 ]; do sleep 0.1; n=$((n+1)); done; echo $!",
        ]
        let out = Pipe()
        sh.standardOutput = out
        let exit = try sh.start()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(try exit.wait(timeout: 30) == 0)
        let pid = try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        defer { kill(pid, SIGKILL) }
        #expect(try String(contentsOfFile: port, encoding: .utf8).hasPrefix("PORT "), "\(fixture) never listened")
        let deadline = Date().addingTimeInterval(15)
        while Self.runs(pid) && Date() < deadline { usleep(100_000) }
        #expect(!Self.runs(pid), "\(fixture) (PID \(pid)) still runs after its parent exited")
    }

    /// True while `pid` exists and is not a zombie (an orphan's exit is reaped by whoever adopted
    /// it, which need not be prompt in a container).
    static func runs(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.range(of: ") ", options: .backwards)
        else { return false }
        return stat[close.upperBound...].first != "Z"
    }
}
