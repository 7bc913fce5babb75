import Foundation
import TestSupport
import Testing

@Suite("every detector over every corpus") struct ComplianceCLITests {
    @Test func everyFindingIsFullyFilledIn() throws {
        let r = try Repository.run(["scan", CLI.corpus(""), "--detectors", "detectors", "--no-progress"])
        #expect(r.status == 0, "\(r.stderr.suffix(2000))")
        #expect(r.findings.count > 50)
        var detectors = try FileManager.default.contentsOfDirectory(
            atPath: CLI.root.appendingPathComponent("detectors").path
        )
        .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }
        // The MITRE column of docs/detectors.md (registry and bundled rules) names every technique a finding carries.
        var declared: [String: Set<String>] = [:]
        let table = try Repository.run(["detectors", "list", "--format", "markdown"]).stdout
        let header =
            table.split(separator: "\n").first.map {
                $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            } ?? []
        let mitreColumn = try #require(header.firstIndex(of: "MITRE ATT&CK"))
        let kindColumn = try #require(header.firstIndex(of: "kind"))
        for row in table.split(separator: "\n").dropFirst(2) {
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == header.count else { continue }
            let id = cells[0].replacingOccurrences(of: "`", with: "")
            if cells[kindColumn] == "rule" { detectors.append(id) }
            declared[id] = Set(
                cells[mitreColumn].split(separator: ",").map {
                    $0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "`", with: "")
                })
        }
        #expect(declared.count >= 28)
        for f in r.findings {
            let id = f["detector"] as? String ?? ""
            #expect(detectors.contains(id), "unknown detector \(id)")
            #expect(["info", "low", "medium", "high", "critical"].contains(f["severity"] as? String ?? ""))
            for key in ["identity", "title", "explanation", "first_seen", "last_seen", "origin"] {
                #expect(!(f[key] as? String ?? "").isEmpty, "\(id): empty \(key)")
            }
            #expect(!(f["event_ids"] as? [String] ?? []).isEmpty, "\(id): no evidence")
            #expect((f["event_ids"] as? [String] ?? []).count <= 20)
            #expect((f["count"] as? Int ?? 0) >= 1)
            // Whole seconds print without `.000`, so compare with the milliseconds spelled out.
            func ms(_ t: String) -> String { t.contains(".") ? t : t.replacingOccurrences(of: "Z", with: ".000Z") }
            #expect(
                ms(f["first_seen"] as? String ?? "") <= ms(f["last_seen"] as? String ?? ""), "\(id): first after last")
            #expect(!(f["mitre"] as? [String] ?? []).isEmpty, "\(id): no MITRE id")
            let undeclared = Set(f["mitre"] as? [String] ?? []).subtracting(declared[id] ?? [])
            #expect(undeclared.isEmpty, "\(id): MITRE \(undeclared.sorted()) not in its registry entry")
            #expect(!((f["title"] as? String ?? "").contains("\n")), "\(id): title must be one line")
        }
    }
}
