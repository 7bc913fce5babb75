import EventModel
import Ingest
import Testing

/// Text lines (access logs) framed as records beside JSON.
@Suite struct FramerTextTests {
    static let lines = [
        #"203.0.113.7 - - [07/Dec/2026:00:01:02 +0000] "GET /api/v1/version HTTP/1.1" 200 45 "-" "curl/8""#,
        #"http 2026-12-07T00:01:03.123456Z app/lb/abc 203.0.113.7:4711 10.0.0.5:7860 0.001 0.050 0.000 200 200"#,
    ]

    @Test(arguments: [1, 3, 17, 4096])
    func textLinesAreRecordsAtEveryChunkSize(chunk: Int) {
        let text = Self.lines.joined(separator: "\r\n") + "\r\n" + #"{"a":1}"# + "\n"
        let c = frame(text, chunk: chunk)
        #expect(c.records == Self.lines + [#"{"a":1}"#])
        #expect(c.infos.map(\.isText) == [true, true, false])
        #expect(c.infos.map(\.origin.record) == [1, 2, 3])
        #expect(c.diagnostics.isEmpty)
        let bytes = Array(text.utf8)
        #expect(c.infos.map { bytes[Int($0.offset)] } == [0x32, 0x68, 0x7b])
    }

    @Test func aLastLineWithoutNewlineIsARecord() {
        let c = frame(Self.lines[0], chunk: 5)
        #expect(c.records == [Self.lines[0]])
        #expect(c.infos.first?.isText == true)
    }

    @Test func aLineCutByTheInputIsDroppedWhenTheCutWasReported() {
        let framer = Framer(path: "t.log")
        var records: [String] = []
        var diags: [Diagnostic] = []
        Array("203.0.113.7 - - [07/Dec/2026:00:0".utf8).withUnsafeBytes {
            framer.push(
                $0, onRecord: { b, _ in records.append(String(decoding: b, as: UTF8.self)) },
                onDiagnostic: { diags.append($0) })
        }
        framer.finish(
            reportTruncation: false, onRecord: { b, _ in records.append(String(decoding: b, as: UTF8.self)) },
            onDiagnostic: { diags.append($0) })
        #expect(records.isEmpty)
        #expect(diags.isEmpty)
    }

    @Test(arguments: [7, 64, 4096])
    func aTooLongTextLineIsSkippedWithoutBufferingIt(chunk: Int) {
        let long = String(repeating: "x", count: 500)
        let c = frame("short line\n" + long + "\nnext line", chunk: chunk, options: IngestOptions(maxRecordBytes: 100))
        #expect(c.records == ["short line", "next line"])
        #expect(c.codes == ["frame.too_large"])
        #expect(c.diagnostics.first?.origin == Origin(path: "t.json", record: 2))
    }

    @Test func aTooLongLastLineIsReportedAtTheEnd() {
        let c = frame(String(repeating: "y", count: 300), chunk: 50, options: IngestOptions(maxRecordBytes: 100))
        #expect(c.records.isEmpty)
        #expect(c.codes == ["frame.too_large"])
    }
}

/// ALB access logs delivered to S3 are ordered by the end time in their names, like CloudTrail's.
@Suite struct ALBDeliveryNameTests {
    @Test func albObjectNamesCarryTheirTime() {
        let name =
            "AWSLogs/111122223333/elasticloadbalancing/us-east-1/2026/12/07/"
            + "111122223333_elasticloadbalancing_us-east-1_app.ai-lb.50dc6c495c0c9188_20261207T0005Z_198.51.100.7_2soosksg.log.gz"
        #expect(CloudTrailPath.nameTime(name) == Timestamp.parse("2026-12-07T00:05:00Z"))
    }
}
