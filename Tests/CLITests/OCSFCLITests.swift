import Foundation
import TestSupport
import Testing

/// `scan --format ocsf`: the same findings as the JSON lines, each an OCSF Detection Finding
/// whose `finding_info.uid` is the finding's id.
@Suite("scan --format ocsf")
struct OCSFCLITests {
    @Test func ocsfOutputCarriesEveryFindingAsADetectionFinding() throws {
        let corpus = CLI.corpus("cloudtrail/formats/cloudtrail-lines-multimember.jsonl.gz")
        let native = try Repository.run(["scan", corpus, "--no-progress"])
        let ocsf = try Repository.run(["scan", corpus, "--no-progress", "--format", "ocsf"])
        #expect(ocsf.status == native.status)
        #expect(!native.findings.isEmpty, "the corpus gives findings")
        #expect(ocsf.findings.count == native.findings.count)
        #expect(ocsf.findings.allSatisfy { $0["class_uid"] as? Int == 2004 && $0["type_uid"] as? Int == 200401 })
        let uids = ocsf.findings.compactMap { ($0["finding_info"] as? [String: Any])?["uid"] as? String }
        #expect(uids == native.findings.compactMap { $0["id"] as? String })
    }
}
