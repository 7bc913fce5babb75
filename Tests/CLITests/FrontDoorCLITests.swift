import Foundation
import TestSupport
import Testing

/// What a scan of each file of corpora/frontdoor/<format>/ must report (expected.json, written
/// by tools/gen_frontdoor.py; `events` is null where the count is not fixed, e.g. a cut gzip).
struct FrontDoorExpectation: Decodable {
    var events: Int?
    var codes: [String]
}

@Suite("front-door access-log corpora, end to end") struct FrontDoorCLITests {
    static let formats = ["nginx", "nginx-json", "alb", "envoy", "gcp-lb", "azure-appgw"]

    @Test(arguments: formats)
    func everyFileDecodesAsExpected(_ format: String) throws {
        let dir = CLI.corpus("frontdoor/\(format)")
        let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/expected.json"))
        let expected = try JSONDecoder().decode([String: FrontDoorExpectation].self, from: data)
        #expect(expected.count == 4)
        let tmp = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: tmp) }
        for (file, want) in expected.sorted(by: { $0.key < $1.key }) {
            let events = tmp.appendingPathComponent("\(file).events").path
            let r = try Repository.run([
                "scan", dir + "/" + file, "--detectors", "detectors", "--no-progress", "--events-out", events,
            ])
            #expect(r.status == 0, "\(format)/\(file): \(r.stderr.suffix(1000))")
            let codes = r.stderr.split(separator: "\n").compactMap { line -> String? in
                guard line.contains(": error: "), line.hasSuffix("]"), let open = line.lastIndex(of: "[") else {
                    return nil
                }
                return String(line[line.index(after: open)..<line.index(before: line.endIndex)])
            }
            #expect(codes.sorted() == want.codes, "\(format)/\(file): \(r.stderr.prefix(1500))")
            let lines = try String(contentsOfFile: events, encoding: .utf8).split(separator: "\n")
            if let n = want.events { #expect(lines.count == n, "\(format)/\(file)") } else { #expect(!lines.isEmpty) }
            for l in lines {
                let e = try #require(try JSONSerialization.jsonObject(with: Data(l.utf8)) as? [String: Any])
                #expect(e["provider"] as? String == "workflow")
                #expect((e["parameters"] as? [String: String])?["front_door"] == format, "\(format)/\(file)")
            }
        }
    }

    @Test(arguments: formats)
    func theUnauthenticatedCodeCallIsFound(_ format: String) throws {
        let r = try Repository.run([
            "scan",
            CLI.corpus("frontdoor/\(format)/minimal." + (format.contains("-") || format == "envoy" ? "json" : "log")),
            "--detectors", "detectors", "--no-progress",
        ])
        let hit = r.findings.filter { $0["detector"] as? String == "workflow.unauthenticated_execution" }
        #expect(hit.count == 1, "\(format): \(r.stdout.prefix(1500))")
        let facts = hit.first?["facts"] as? [String: Any]
        #expect(facts?["source_ip"] as? String == "203.0.113.66")
        #expect(facts?["action"] as? String == "validate_code")
        // Ordinary GETs and the other clients raise nothing: every finding is about the prober's
        // code call (the version probe then the code endpoint is also `workflow.exploit_sequence`).
        let attack = r.findings.allSatisfy { f in
            (f["event_ids"] as? [String])?.count == 1
                && (f["event_ids"] as? [String]) == (hit.first?["event_ids"] as? [String])
        }
        #expect(attack, "\(format): \(r.findings.compactMap { $0["detector"] as? String })")
        #expect(r.findings.count <= 2)
    }
}
