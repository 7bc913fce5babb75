import Foundation
import TestSupport
import Testing

/// Real Langflow logs (corpora/workflow/langflow-real/, made by tools/capture_langflow.sh) read
/// through formats/langflow-app.yaml: the server's own record of executed code, per log setting.
@Suite("Real Langflow captures") struct LangflowRealCLITests {
    /// Events written by `scan --events-out` for one input.
    func events(_ input: String, formats: String = "formats") throws -> (events: [[String: Any]], stderr: String) {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("events.jsonl")
        let r = try Repository.run(
            [
                "scan", input, "--detectors", "detectors", "--formats", formats, "--events-out", out.path,
                "--no-progress",
            ])
        #expect(r.status == 0, "\(r.stderr.suffix(1500))")
        let text = (try? String(contentsOf: out, encoding: .utf8)) ?? ""
        let list = text.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
        return (list, r.stderr)
    }

    func codeErrors(_ events: [[String: Any]]) -> [[String: String]] {
        events.filter { ($0["action"] as? [String: Any])?["operation"] as? String == "code_error" }
            .map { $0["parameters"] as? [String: String] ?? [:] }
    }

    @Test(arguments: ["container/stdout.log.gz", "file-debug/langflow.log.gz"])
    func theExploitsRecordIsReadWithTheCommandOutput(_ file: String) throws {
        let (list, stderr) = try events(CLI.corpus("workflow/langflow-real/1.2.0/" + file))
        let errors = codeErrors(list)
        // The user's failing code and the proof of concept; the payload that does not raise leaves nothing.
        #expect(errors.count == 2, "\(stderr.suffix(800))")
        #expect(errors.map { $0["tool_name"] ?? "" } == ["JSONDecodeError", "Exception"])
        #expect(errors.last?["tool_input"] == "b'uid=0(root) gid=0(root) groups=0(root)\\n'")
        #expect(errors.allSatisfy { $0["mapping"] == "langflow-app" && $0["server"] == "langflow" })
        #expect(stderr.contains("decode.mapping_skipped="))
    }

    @Test func anInfoLogFileHasNoRecordOfExecutedCode() throws {
        let (list, _) = try events(CLI.corpus("workflow/langflow-real/1.2.0/file-info/langflow.log.gz"))
        #expect(codeErrors(list).isEmpty)
    }

    @Test func theCurrentReleaseRefusesTheExploitAndLogsOnlyTheLogin() throws {
        let dir = "workflow/langflow-real/current/container/"
        let (list, _) = try events(CLI.corpus(dir + "stdout.log.gz"))
        #expect(codeErrors(list).isEmpty)
        let logins = list.filter { ($0["action"] as? [String: Any])?["operation"] as? String == "login" }
        #expect(logins.count == 1)
        let p = logins.first?["parameters"] as? [String: String] ?? [:]
        #expect(p["mapping"] == "langflow-login" && p["authenticated"] == "true" && p["source_ip"] == "127.0.0.1")
        let r = try Repository.run([
            "scan", CLI.corpus(dir + "access.json"), "--detectors", "detectors", "--no-progress",
        ])
        let attempts = r.findings.filter { $0["detector"] as? String == "workflow.unauthenticated_execution" }
        #expect(!attempts.isEmpty)
        #expect(attempts.allSatisfy { $0["severity"] as? String == "low" }, "\(attempts)")
    }
}
