import Foundation
import TestSupport
import Testing

/// Issue 11's acceptance check: ten classic CloudTrail attack events (root console login without
/// MFA, EBS snapshot shared, public bucket policy, public access block removed, SSH opened to the
/// world, KMS key deletion scheduled, console sign-in token from a federation session, key pair
/// imported, administrator inline policy, log group deleted), each alone in
/// `corpora/cloudtrail/classic-attacks.json`, must each be the evidence of at least one finding of
/// a default `scan` (built-in detectors plus the bundled rule pack).
@Suite("the ten classic attack events, end to end") struct ClassicAttacksCLITests {
    /// The corpus's event ids and names, read from the file itself.
    static func events(_ rel: String) throws -> [(id: String, name: String)] {
        let data = try Data(contentsOf: URL(fileURLWithPath: CLI.corpus(rel)))
        let top = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let records = try #require(top["Records"] as? [[String: Any]])
        return records.map { ($0["eventID"] as? String ?? "", $0["eventName"] as? String ?? "") }
    }

    @Test(arguments: ["cloudtrail/classic-attacks.json", "cloudtrail/classic-attacks.json.gz"])
    func everyClassicEventIsEvidenceOfAFinding(_ rel: String) throws {
        let events = try Self.events("cloudtrail/classic-attacks.json")
        #expect(events.count == 10)
        #expect(Set(events.map(\.id)).count == 10, "event ids must be distinct")
        let r = try Repository.run(["scan", CLI.corpus(rel), "--no-progress"])
        #expect(r.status == 0, "\(r.stderr.suffix(2000))")
        #expect(r.stderr.contains("10 events"), "\(r.stderr.suffix(500))")
        var evidence: [String: Set<String>] = [:]
        for f in r.findings {
            for id in f["event_ids"] as? [String] ?? [] {
                evidence[id, default: []].insert(f["detector"] as? String ?? "")
            }
        }
        for e in events {
            #expect(!(evidence[e.id] ?? []).isEmpty, "\(e.name) (\(e.id)) gave no finding")
        }
    }
}
