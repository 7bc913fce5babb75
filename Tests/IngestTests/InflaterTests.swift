import EventModel
import Foundation
import Ingest
import TestSupport
import Testing

@Suite struct InflaterTests {
    @Test func multiMemberGzipWithZeroPaddingIsReadWhole() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let events = sampleEvents(6)
        let first = gzip(events[0..<3].joined(separator: "\n") + "\n")
        let second = gzip(events[3..<6].joined(separator: "\n") + "\n")
        let path = try dir.write("multi.json.gz", first + second + [UInt8](repeating: 0, count: 512))
        let c = readFile(path, options: IngestOptions(chunkSize: 100))
        #expect(c.records == events)
        #expect(c.diagnostics.isEmpty)
        #expect(c.stats.wasGzip)
    }

    @Test func truncatedGzipKeepsRecordsBeforeTheCut() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let events = sampleEvents(400)
        let whole = gzip(Array((events.joined(separator: "\n") + "\n").utf8), level: 1)
        let path = try dir.write("cut.json.gz", Array(whole[..<(whole.count / 2)]))
        let c = readFile(path, options: IngestOptions(chunkSize: 1000))
        #expect(c.codes == ["gzip.truncated"])
        #expect(c.records.count > 10 && c.records.count < 400)
        #expect(c.records == Array(events[..<c.records.count]))
    }

    @Test func corruptMemberIsReportedWithOffsetAndEarlierRecordsKept() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let events = sampleEvents(200)
        let first = gzip(events[..<100].joined(separator: "\n") + "\n")
        var second = gzip(events[100...].joined(separator: "\n") + "\n")
        second[2] = 9  // compression method 9 does not exist: zlib rejects the header at once
        let path = try dir.write("bad.json.gz", first + second)
        let c = readFile(path, options: IngestOptions(chunkSize: 333))
        #expect(c.codes == ["gzip.corrupt"])
        let message = c.diagnostics.first?.message ?? ""
        let offset = message.split(separator: " ").compactMap { Int($0) }.first ?? -1
        #expect((first.count...(first.count + 10)).contains(offset), "\(message)")
        #expect(c.records.count == 100)
        #expect(c.records == Array(events[..<100]))
    }

    @Test func checksumMismatchIsCorrupt() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        var bytes = gzip(sampleEvents(3).joined(separator: "\n"))
        bytes[bytes.count - 8] ^= 0xff  // first byte of the CRC32 trailer
        let c = readFile(try dir.write("crc.json.gz", bytes))
        #expect(c.codes == ["gzip.corrupt"])
        #expect(c.records.count == 3)  // inflated data is handed out before the trailer is checked
    }

    @Test func corruptDeflateDataNeverCrashesAndIsReported() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let events = sampleEvents(2000)
        var bytes = gzip(Array((events.joined(separator: "\n") + "\n").utf8), level: 1)
        let at = bytes.count * 3 / 4
        for k in at..<(at + 64) { bytes[k] = 0xff }
        let c = readFile(try dir.write("bad.json.gz", bytes), options: IngestOptions(chunkSize: 4096))
        #expect(c.codes.last == "gzip.corrupt")
        // Deflate has no per-block check: garbage may come out before zlib notices, so
        // only the records before the damaged area are guaranteed.
        let intact = zip(c.records, events).prefix { $0 == $1 }.count
        #expect(intact > 1000)
    }

    @Test func garbageAfterAMemberIsCorrupt() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let path = try dir.write("tail.json.gz", gzip(#"{"a":1}"# + "\n") + Array("not gzip".utf8))
        let c = readFile(path)
        #expect(c.records == [#"{"a":1}"#])
        #expect(c.codes == ["gzip.corrupt"])
    }

    @Test func plainInputPassesThroughUnchanged() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let text = #"{"Records":[{"a":1},{"b":2}]}"#
        let path = try dir.write("plain.json", Array(text.utf8))
        let c = readFile(path, options: IngestOptions(chunkSize: 1))
        #expect(c.records == [#"{"a":1}"#, #"{"b":2}"#])
        #expect(!c.stats.wasGzip)
        #expect(c.stats.decompressedBytes == Int64(text.utf8.count))
        #expect(c.diagnostics.isEmpty)
    }

    @Test func decompressionCapStopsTheFile() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let events = sampleEvents(1000)
        let path = try dir.write("bomb.json.gz", gzip(events.joined(separator: "\n") + "\n"))
        let c = readFile(path, options: IngestOptions(maxDecompressedBytes: 10_000, chunkSize: 2048))
        #expect(c.codes == ["gzip.too_large"])
        #expect(c.stats.decompressedBytes == 10_000)
        #expect(c.records.count > 0 && c.records == Array(events[..<c.records.count]))
    }

    @Test func emptyInputsProduceNothing() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        for (name, bytes) in [
            ("empty.json", [UInt8]()), ("empty.json.gz", gzip([])), ("blank.json", Array(" \n\n".utf8)),
        ] {
            let c = readFile(try dir.write(name, bytes))
            #expect(c.records.isEmpty, "\(name)")
            #expect(c.diagnostics.isEmpty, "\(name)")
        }
    }

    @Test func inflaterHandlesOneByteChunks() {
        let text = #"{"x":"1234567890"}"#
        let compressed = gzip(text + "\n" + text)
        let inflater = Inflater(options: IngestOptions(chunkSize: 3))
        var out: [UInt8] = []
        var diags: [Diagnostic] = []
        for b in compressed {
            _ = withUnsafeBytes(of: b) {
                inflater.push($0, onOutput: { out += $0 }, onDiagnostic: { diags.append($0) })
            }
        }
        inflater.finish(onOutput: { out += $0 }, onDiagnostic: { diags.append($0) })
        #expect(String(decoding: out, as: UTF8.self) == text + "\n" + text)
        #expect(diags.isEmpty)
        #expect(inflater.format == .gzip)
        #expect(inflater.consumedBytes == Int64(compressed.count))
    }

    @Test func missingFileIsNotFound() {
        let c = readFile("/nonexistent/\(UUID().uuidString).json.gz")
        #expect(c.codes == ["input.not_found"])
        #expect(c.stats.diagnostics == 1)
    }

    @Test func progressReportsCompressedBytes() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let bytes = gzip(sampleEvents(300).joined(separator: "\n"))
        let path = try dir.write("p.json.gz", bytes)
        var seen: [Int64] = []
        let reader = RecordReader(options: IngestOptions(chunkSize: 1024))
        _ = reader.read(
            InputFile(path: path), onProgress: { seen.append($0) }, onRecord: { _, _ in },
            onDiagnostic: { _ in })
        #expect(seen.count >= bytes.count / 1024)
        #expect(seen == seen.sorted())
        #expect(seen.last == Int64(bytes.count))
    }
}
