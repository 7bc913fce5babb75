import EventModel
import Foundation
import Ingest
import TestSupport
import Testing

@Suite struct RecordReaderTests {
    @Test func gzipRecordsFileWithSevenByteChunks() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let events = FramerTests.tricky + sampleEvents(20)
        let text = #"{"Records":["# + events.joined(separator: ",") + "]}"
        let path = try dir.write(
            "AWSLogs/1/CloudTrail/us-east-1/2024/01/02/1_CloudTrail_us-east-1_20240102T0000Z_x.json.gz",
            gzip(text))
        let c = readFile(path, options: IngestOptions(chunkSize: 7))
        #expect(c.records == events)
        #expect(c.diagnostics.isEmpty)
        #expect(c.infos.map(\.origin) == (1...events.count).map { Origin(path: path, record: $0, isLine: false) })
        #expect(c.stats.records == events.count)
        #expect(c.stats.decompressedBytes == Int64(text.utf8.count))
        #expect(c.stats.compressedBytes == Int64(try Data(contentsOf: URL(fileURLWithPath: path)).count))
    }

    @Test func recordsDocumentsOnSeveralLinesKeepCountingRecords() {
        let c = frame(
            #"{"Records":[{"a":1},{"b":2}]}"# + "\n" + #"{"Records":[]}"# + "\n" + #"{"Records":[{"c":3}]}"# + "\n",
            chunk: 4)
        #expect(c.records == [#"{"a":1}"#, #"{"b":2}"#, #"{"c":3}"#])
        #expect(c.infos.map(\.origin.record) == [1, 2, 3])
        #expect(c.infos.map(\.line) == [1, 1, 3])
        #expect(c.diagnostics.isEmpty)
    }

    @Test func readsFromAPipeDescriptor() throws {
        let pipe = Pipe()
        let events = sampleEvents(50)
        let bytes = gzip(events.joined(separator: "\n") + "\n")
        let writer = Thread {
            pipe.fileHandleForWriting.write(Data(bytes))
            try? pipe.fileHandleForWriting.close()
        }
        writer.start()
        var records: [String] = []
        var diagnostics: [Diagnostic] = []
        let reader = RecordReader(options: IngestOptions(chunkSize: 64))
        let stats = reader.read(
            fd: pipe.fileHandleForReading.fileDescriptor, path: "pipe",
            onRecord: { b, _ in records.append(String(decoding: b, as: UTF8.self)) },
            onDiagnostic: { diagnostics.append($0) })
        #expect(records == events)
        #expect(diagnostics.isEmpty)
        #expect(stats.compressedBytes == Int64(bytes.count))
        #expect(stats.wasGzip)
    }

    @Test func readerIsReusableAcrossFiles() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        // Cut inside the trailer: all data inflates, but the member is incomplete.
        let cut = try dir.write("cut.json.gz", Array(gzip(#"{"Records":[{"a":1},{"b":2}]}"#).dropLast(4)))
        let good = try dir.write("good.json", Array(#"{"c":3}"#.utf8))
        let reader = RecordReader()
        var log: [String] = []
        for path in [cut, good, cut] {
            reader.read(
                InputFile(path: path),
                onRecord: { b, i in log.append("\(i.origin.record) \(String(decoding: b, as: UTF8.self))") },
                onDiagnostic: { log.append($0.code) })
        }
        #expect(
            log == [
                #"1 {"a":1}"#, #"2 {"b":2}"#, "gzip.truncated", #"1 {"c":3}"#,
                #"1 {"a":1}"#, #"2 {"b":2}"#, "gzip.truncated",
            ])
    }
}
