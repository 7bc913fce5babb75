import Foundation
import TestSupport
import Testing

/// `--help` of every command, compared exactly with the committed text in
/// `Tests/CLITests/Snapshots/help-<command>.txt` (as swift-argument-parser's own example
/// tests do). `COLUMNS` is fixed so the wrapping does not depend on the terminal.
/// The list of commands comes from the binary (`--experimental-dump-help`), so a new
/// subcommand without a snapshot fails here. Re-record after a deliberate change with
/// `TRAILHOUND_RECORD_SNAPSHOTS=1 swift test --skip-build --filter HelpSnapshotTests`
/// and review the diff.
@Suite("help texts, exact snapshots") struct HelpSnapshotTests {
    static let columns = "100"
    static let snapshots = CLI.root.appendingPathComponent("Tests/CLITests/Snapshots")
    static let recording = ProcessInfo.processInfo.environment["TRAILHOUND_RECORD_SNAPSHOTS"] != nil

    /// Every command path of the binary: `[]`, `["scan"]`, `["detectors", "list"]`, …
    static func commands() throws -> [[String]] {
        let r = try Repository.run(["--experimental-dump-help"], env: ["COLUMNS": columns])
        let dump = try #require(
            try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "\(r.stderr)")
        var out: [[String]] = []
        func walk(_ command: [String: Any], _ path: [String]) {
            out.append(path)
            for sub in command["subcommands"] as? [[String: Any]] ?? [] {
                guard let name = sub["commandName"] as? String, name != "help" else { continue }
                walk(sub, path + [name])
            }
        }
        walk(try #require(dump["command"] as? [String: Any]), [])
        return out
    }

    static func file(_ command: [String]) -> URL {
        snapshots.appendingPathComponent(
            "help-" + (command.isEmpty ? "trailhound" : command.joined(separator: "-")) + ".txt")
    }

    @Test func everyCommandsHelpMatchesItsSnapshot() throws {
        let commands = try Self.commands()
        #expect(commands.count >= 12, "\(commands)")
        for command in commands {
            let r = try Repository.run(command + ["--help"], env: ["COLUMNS": Self.columns])
            #expect(r.status == 0, "\(command) --help: \(r.stderr)")
            let url = Self.file(command)
            if Self.recording {
                try r.stdout.write(to: url, atomically: true, encoding: .utf8)
                continue
            }
            guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
                Issue.record("no snapshot \(url.lastPathComponent); record it with TRAILHOUND_RECORD_SNAPSHOTS=1")
                continue
            }
            if r.stdout != expected {
                Issue.record(
                    "trailhound \(command.joined(separator: " ")) --help differs from \(url.lastPathComponent) (re-record with TRAILHOUND_RECORD_SNAPSHOTS=1 and review the diff):\n\(Self.diff(expected, r.stdout))"
                )
            }
        }
        if Self.recording {
            Issue.record("recorded \(commands.count) help snapshots; run again without TRAILHOUND_RECORD_SNAPSHOTS")
        }
        let known = Set(commands.map { Self.file($0).lastPathComponent })
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.snapshots.path).filter {
            $0.hasPrefix("help-")
        }
        #expect(Set(files).subtracting(known).isEmpty, "snapshots of commands that no longer exist")
    }

    @Test func helpNamesTheFiveSourcesAndTheBatchFlag() throws {
        let top = try Repository.run(["--help"], env: ["COLUMNS": Self.columns]).stdout
        let scan = try Repository.run(["scan", "--help"], env: ["COLUMNS": Self.columns]).stdout
        for text in [top, scan] {
            for source in ["CloudTrail", "Kubernetes", "GCP", "Azure", "AI-workflow"] {
                #expect(text.contains(source), "\(source) missing from:\n\(text)")
            }
        }
        #expect(try Repository.run(["watch", "--help"]).stdout.contains("--exit-when-idle"))
    }

    /// The lines that differ, with their numbers (enough to see what changed).
    static func diff(_ a: String, _ b: String) -> String {
        let x = a.split(separator: "\n", omittingEmptySubsequences: false)
        let y = b.split(separator: "\n", omittingEmptySubsequences: false)
        var out: [String] = []
        for i in 0..<max(x.count, y.count) where (i < x.count ? x[i] : nil) != (i < y.count ? y[i] : nil) {
            if i < x.count { out.append("\(i + 1)- \(x[i])") }
            if i < y.count { out.append("\(i + 1)+ \(y[i])") }
            if out.count > 40 { break }
        }
        return out.joined(separator: "\n")
    }
}
