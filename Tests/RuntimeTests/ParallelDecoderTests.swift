import EventModel
import Foundation
import Ingest
import Runtime
import Testing
import TestSupport

@Suite struct ParallelDecoderTests {
    /// Writes `count` files of `perFile` records each; returns them in order with the ids written.
    func makeFiles(count: Int, perFile: Int, plainEvery: Int = 3) throws -> ([InputFile], [String]) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var files: [InputFile] = []
        var ids: [String] = []
        let template = EventBuilder.cloudTrailRecord("s3:ListBuckets", eventId: "EVENT-ID")
        for f in 0..<count {
            var records: [String] = []
            for r in 0..<perFile {
                let id = "f\(f)-r\(r)"
                ids.append(id)
                records.append(template.replacingOccurrences(of: "EVENT-ID", with: id))
            }
            // Every third file is not JSON at one line: the diagnostic must stay in order too.
            let body = records.joined(separator: "\n") + (f % plainEvery == 0 ? "\nnot json\n" : "\n")
            let url = dir.appendingPathComponent(String(format: "%03d.json", f))
            try Data(body.utf8).write(to: url)
            files.append(InputFile(path: url.path))
        }
        return (files, ids)
    }

    func collect(_ files: [InputFile], workers: Int) -> ([String], [String], Int) {
        var ids: [String] = []
        var diags: [String] = []
        var records = 0
        ParallelDecoder(files: files, options: IngestOptions(), workers: workers).run(
            consume: { _, batch in
                for item in batch.items {
                    switch item {
                    case .event(let e): ids.append(e.eventId)
                    case .diagnostic(let d): diags.append(d.origin.description + " " + d.code)
                    }
                }
            },
            fileDone: { _, stats in records += stats.records })
        return (ids, diags, records)
    }

    @Test(arguments: [1, 2, 3, 5])
    func parallelDecodingKeepsFileAndRecordOrder(workers: Int) throws {
        let (files, written) = try makeFiles(count: 8, perFile: 600)
        let (ids, diags, records) = collect(files, workers: workers)
        #expect(ids == written)
        // The three `not json` lines are framed as text records; no text format claims them.
        #expect(records == 8 * 600 + 3)
        #expect(diags.count == 3)
        #expect(diags.allSatisfy { $0.hasSuffix("frame.not_json") })
        #expect(diags.first?.contains("000.json:601") == true)
    }

    @Test func emptyFileListReturnsAtOnce() {
        let (ids, diags, records) = collect([], workers: 2)
        #expect(ids.isEmpty && diags.isEmpty && records == 0)
    }
}
