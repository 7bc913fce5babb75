import Foundation
import TestSupport
import Testing

/// `--jobs N` changes how many threads read the input, never what is found: the findings and
/// incidents (bytes and order) of every corpus are those of the one-thread scan.
@Suite("--jobs gives the one-thread output") struct JobsCLITests {
    /// Every corpus folder under corpora/ (each source, its malformed cases included).
    static let corpora = ["azure", "cloudtrail", "frontdoor", "gcp", "kubernetes", "workflow"]

    @Test("scan --jobs 2 and --jobs 4 print the bytes of --jobs 1", arguments: corpora)
    func sameOutput(_ corpus: String) throws {
        let path = CLI.corpus(corpus)
        try #require(FileManager.default.fileExists(atPath: path), "corpora/\(corpus) is missing")
        func scan(_ jobs: Int) throws -> CLIResult {
            try Repository.run(["scan", path, "--jobs", String(jobs), "--incidents", "--no-progress"])
        }
        let one = try scan(1)
        #expect(one.status == 0 || one.status == 3, "\(one.stderr.suffix(400))")
        #expect(!one.stdout.isEmpty, "corpora/\(corpus) gives findings")
        for jobs in [2, 4] {
            let many = try scan(jobs)
            #expect(many.status == one.status)
            #expect(many.stdout == one.stdout, "--jobs \(jobs) on corpora/\(corpus)")
        }
    }
}
