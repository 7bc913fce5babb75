import Foundation
import TestSupport
import Testing

/// Issue 10 part 3 on the demo archive: one incident and at most 5 high or critical
/// findings per attack, every expected detector still at medium or above, and stable
/// finding ids that incidents refer to.
@Suite("one attack, one story (demo archive)") struct OneStoryCLITests {
    func labels() throws -> ScenarioLabels {
        let data = try Data(contentsOf: URL(fileURLWithPath: CLI.corpus("cloudtrail/demo/labels.json")))
        return try JSONDecoder().decode(ScenarioLabels.self, from: data)
    }

    func scan(_ extra: [String] = []) throws -> CLIResult {
        try Repository.run(
            ["scan", CLI.corpus("cloudtrail/demo/AWSLogs"), "--detectors", "detectors", "--no-progress", "--quiet"]
                + extra)
    }

    @Test func eachAttackIsOneIncidentWithFewLoudFindings() throws {
        let r = try scan(["--incidents"])
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.findings
        let findings = lines.filter { $0["type"] == nil }
        let incidents = lines.filter { ($0["type"] as? String) == "incident" }
        for attack in try labels().attacks {
            let keys = Set(attack.identity_keys)
            let ids = Set(attack.event_ids)
            func about(_ o: [String: Any], _ identities: [String]) -> Bool {
                !keys.isDisjoint(with: identities) || !ids.isDisjoint(with: o["event_ids"] as? [String] ?? [])
            }
            let mine = findings.filter { about($0, [$0["identity"] as? String ?? ""]) }
            let loud = mine.filter { severityOrder.firstIndex(of: $0["severity"] as? String ?? "")! >= 3 }
            let medium = Set(
                mine.filter { severityOrder.firstIndex(of: $0["severity"] as? String ?? "")! >= 2 }
                    .compactMap { $0["detector"] as? String })
            let mineIncidents = incidents.filter { about($0, $0["identities"] as? [String] ?? []) }
            #expect(mineIncidents.count == 1, "\(attack.identity_keys)")
            #expect(loud.count <= 5, "\(attack.identity_keys): \(loud.map { $0["detector"] ?? "" })")
            #expect(medium.isSuperset(of: attack.expected_detectors), "\(attack.identity_keys): \(medium)")
        }
        // Every finding has an id; incidents name their findings by it.
        let findingIds = findings.compactMap { $0["id"] as? String }
        #expect(findingIds.count == findings.count)
        #expect(findingIds.allSatisfy { $0.hasPrefix("f-") && $0.count == 18 })
        #expect(Set(findingIds).count == findingIds.count, "ids are unique")
        let named = incidents.flatMap { $0["finding_ids"] as? [String] ?? [] }
        #expect(!named.isEmpty && Set(named).isSubset(of: Set(findingIds)))
    }

    @Test func findingIdsAreStableAcrossRunsAndNamedInText() throws {
        let a = try scan().findings.compactMap { $0["id"] as? String }
        let b = try scan(["--jobs", "1"]).findings.compactMap { $0["id"] as? String }
        #expect(!a.isEmpty && Set(a) == Set(b))
        let text = try scan(["--incidents", "--format", "text"]).stdout
        #expect(text.contains("incident: inc-"))
        #expect(a.allSatisfy { text.contains($0) })
    }
}
