import Foundation
import Testing

/// No `try!`, `fatalError` or trapping Foundation write on any path of the
/// program (issue 15: `try!` in the events writer turned a full disk into
/// SIGILL). Only the test kit may trap on its own fixtures.
@Suite("No trapping I/O")
struct NoTrapOnIOTests {
    @Test func sourcesHaveNoTrappingCalls() throws {
        let sources = DiagnosticCatalogTests.root.appendingPathComponent("Sources")
        let banned = [
            "try!", "fatalError(", ".write(Data(", "FileHandle(forWritingAtPath", "handle.write(Data",
            "handle.write(buffer",
        ]
        var files = 0
        let walker = FileManager.default.enumerator(atPath: sources.path)
        while let rel = walker?.nextObject() as? String {
            guard rel.hasSuffix(".swift"), !rel.hasPrefix("TestSupport") else { continue }
            files += 1
            let text = try String(contentsOf: sources.appendingPathComponent(rel), encoding: .utf8)
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                for b in banned where code.contains(b) {
                    Issue.record("Sources/\(rel):\(n + 1): \(b) — \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        #expect(files > 100)
    }
}
