import EventModel
import Foundation
import Sigma
import TestSupport
import Testing

/// Every SigmaHQ rule of `../shared/sigma/rules` (unmodified third-party rules): each either
/// loads, or is skipped with its specific reason; each loaded rule gives a finding on a raw
/// record generated from its own selections and none on one generated to falsify its condition,
/// both decoded by the real decoder and run through the real engine.
@Suite("SigmaHQ rules")
struct SigmaHQCorpusTests {
    static let directory = Repository.root.deletingLastPathComponent()
        .appendingPathComponent("shared/sigma/rules").path

    static var present: Bool { FileManager.default.fileExists(atPath: directory) }

    /// Rule files, sorted, relative to `directory` (empty when the material is absent).
    static func files() -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
        var out: [String] = []
        while let rel = walker.nextObject() as? String {
            if rel.hasSuffix(".yml") { out.append(rel) }
        }
        return out.sorted()
    }

    /// Rules skipped on purpose, with the reason's code: the fields they name are not in the
    /// records Kubernetes audit or CloudTrail write (`hostPath` and `capabilities` sit under
    /// `requestObject.spec`, `apiGroup` under `objectRef`, CloudTrail has no `status`).
    static let expectedSkips: [String: String] = [
        "application/kubernetes/audit/kubernetes_audit_hostpath_mount.yml": "rule.unknown_field",
        "application/kubernetes/audit/kubernetes_audit_privileged_pod_creation.yml": "rule.unknown_field",
        "application/kubernetes/audit/kubernetes_audit_rbac_permisions_listing.yml": "rule.unknown_field",
        "application/kubernetes/audit/kubernetes_audit_sidecar_injection.yml": "rule.unknown_field",
        "cloud/aws/cloudtrail/aws_delete_saml_provider.yml": "rule.unknown_field",
    ]

    static func load(_ rel: String) throws -> SigmaRuleSet {
        let path = directory + "/" + rel
        return SigmaLoader.load(texts: [(path, try String(contentsOfFile: path, encoding: .utf8))])
    }

    /// Without `../shared` (a user's clone) this test and the generated ones are reported as skipped, with why.
    @Test(.enabled(if: present, "../shared/sigma/rules is absent: the SigmaHQ tests are skipped"))
    func materialIsPresentOrSkippedVisibly() throws {
        #expect(Self.files().count >= 120)
    }

    @Test(.enabled(if: present), arguments: files())
    func ruleLoadsOrIsSkippedForItsReason(_ rel: String) throws {
        let set = try Self.load(rel)
        if let code = Self.expectedSkips[rel] {
            #expect(set.rules.isEmpty, "\(rel) was expected to be skipped")
            #expect(set.issues.contains { $0.code == code && $0.level == .warning }, "\(set.issues)")
            #expect(set.issues.allSatisfy { $0.origin.record > 0 && $0.column > 0 }, "positions: \(set.issues)")
            return
        }
        #expect(set.rules.count == 1, "\(rel): \(set.issues.map(\.description))")
        #expect(set.issues.allSatisfy { $0.code == "rule.partial" }, "\(rel): \(set.issues.map(\.description))")
    }

    @Test(.enabled(if: present), arguments: files().filter { expectedSkips[$0] == nil })
    func generatedRecordsMatchAndMiss(_ rel: String) throws {
        let set = try Self.load(rel)
        let loaded = try #require(set.rules.first)
        let generator = RecordGenerator(rule: loaded.rule)
        let generated = (generator.positive(), generator.negative())
        let positive = try #require(generated.0, "no matching record could be generated for \(rel)")
        let hit = Harness.record(positive, rules: set)
        #expect(hit.events.count == 1, "positive did not decode: \(hit.diagnostics.map(\.description)) \(positive)")
        #expect(hit.findings.contains { $0.detector == loaded.id }, "no finding for \(positive)")
        let negative = try #require(generated.1, "no non-matching record could be generated for \(rel)")
        let miss = Harness.record(negative, rules: set)
        #expect(miss.events.count == 1, "negative did not decode: \(miss.diagnostics.map(\.description)) \(negative)")
        #expect(!miss.findings.contains { $0.detector == loaded.id }, "finding for \(negative)")
        // The decoder's verdicts (how scan runs rules) equal the rule's own on the kept record.
        #expect(hit.events.allSatisfy { $0.ruleHits != nil && $0.raw == nil })
        let kept = Harness.record(positive, rules: set, prematched: false)
        #expect(kept.events.allSatisfy { $0.ruleHits == nil && $0.raw != nil })
        for (json, outcome) in [(positive, hit), (negative, miss)] {
            let onRecord = json == positive ? kept : Harness.record(json, rules: set, prematched: false)
            #expect(
                onRecord.findings.map(\.comparable) == outcome.findings.map(\.comparable),
                "decoder and record verdicts differ on \(json)")
        }
    }
}
