import EventModel
import Foundation
import Sigma
import TestSupport
import Testing

/// The project's rule pack (`detectors/rules/`): every rule loads cleanly, every rule with a
/// `name:` has a case file (`Cases/<detector id>.jsonl`) with at least one matching and one
/// non-matching raw record, and each case gives (or does not give) a finding of that detector
/// when decoded by the real decoder and run through the real engine.
@Suite("Rule pack")
struct RulePackTests {
    static let rulesDirectory = Repository.root.appendingPathComponent("detectors/rules").path
    static let casesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Cases").path

    /// One line of a case file.
    struct Case: CustomTestStringConvertible {
        var detector: String
        var line: Int
        var expect: Bool
        var why: String
        var record: String
        var testDescription: String { "\(detector):\(line) (\(expect ? "match" : "no match")): \(why)" }
    }

    static let pack = SigmaLoader.load(directories: [rulesDirectory])

    /// Every case of every case file, in file order.
    static func cases() throws -> [Case] {
        let names = try FileManager.default.contentsOfDirectory(atPath: casesDirectory).filter {
            $0.hasSuffix(".jsonl")
        }
        var out: [Case] = []
        for name in names.sorted() {
            let text = try String(contentsOfFile: casesDirectory + "/" + name, encoding: .utf8)
            let detector = String(name.dropLast(".jsonl".count))
            for (i, line) in text.split(separator: "\n").enumerated() where !line.allSatisfy(\.isWhitespace) {
                let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
                let record = try JSONSerialization.data(withJSONObject: object?["record"] ?? NSNull())
                out.append(
                    Case(
                        detector: detector, line: i + 1, expect: object?["expect"] as? Bool ?? false,
                        why: object?["why"] as? String ?? "", record: String(decoding: record, as: UTF8.self)))
            }
        }
        return out
    }

    @Test func everyRuleLoadsWithoutProblems() {
        #expect(Self.pack.skipped == 0, "\(Self.pack.issues.map(\.description))")
        #expect(Self.pack.issues.isEmpty, "\(Self.pack.issues.map(\.description))")
        #expect(Self.pack.configIssues.isEmpty, "\(Self.pack.configIssues.map(\.description))")
        #expect(Self.pack.rules.count >= 2)
    }

    @Test func everyNamedRuleHasMatchingAndNonMatchingCases() throws {
        let all = try Self.cases()
        for loaded in Self.pack.rules where loaded.rule.name != nil {
            let mine = all.filter { $0.detector == loaded.id }
            #expect(mine.contains { $0.expect }, "\(loaded.id) (\(loaded.rule.file)) has no case with expect: true")
            #expect(mine.contains { !$0.expect }, "\(loaded.id) (\(loaded.rule.file)) has no case with expect: false")
        }
    }

    @Test func everyCaseFileNamesALoadedRule() throws {
        let ids = Set(Self.pack.rules.map(\.id))
        for c in try Self.cases() { #expect(ids.contains(c.detector), "Cases/\(c.detector).jsonl names no rule") }
    }

    @Test(arguments: try cases())
    func caseGivesTheExpectedFinding(_ c: Case) {
        let outcome = Harness.record(c.record, rules: Self.pack)
        #expect(!outcome.events.isEmpty, "the record did not decode: \(outcome.diagnostics.map(\.description))")
        let onRecord = Harness.record(c.record, rules: Self.pack, prematched: false)
        #expect(
            onRecord.findings.map(\.comparable) == outcome.findings.map(\.comparable),
            "decoder and record verdicts differ")
        let fired = outcome.findings.filter { $0.detector == c.detector }
        #expect(fired.isEmpty != c.expect, "\(c.testDescription): findings \(outcome.findings.map(\.detector))")
        for f in fired {
            #expect(f.facts.contains { $0.name == "rule_file" && $0.value.hasSuffix(".yml") })
            #expect(f.facts.contains { $0.name == "rule_id" && !$0.value.isEmpty })
            #expect(!f.mitre.isEmpty)
        }
    }
}
