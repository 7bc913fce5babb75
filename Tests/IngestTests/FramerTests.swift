import EventModel
import Ingest
import Testing

@Suite struct FramerTests {
    static let tricky = [
        #"{"a":"}{][,","b":"quote \" inside","c":"back\\slash\\","d":"\\\"","e":[{"f":"\\\\\""}]}"#,
        #"{"eventName":"Run","s":"\u007b not a brace","x":[1,2,3]}"#,
        #"{"k":"ends with backslash \\"}"#,
    ]

    @Test func recordsArrayIsSplitAcrossEveryChunkSize() {
        let events = FramerTests.tricky + sampleEvents(3)
        let text = "{\"Records\": [\n  " + events.joined(separator: ",\n  ") + "\n]}\n"
        for chunk in 1...40 {
            let c = frame(text, chunk: chunk)
            #expect(c.records == events, "chunk \(chunk)")
            #expect(c.diagnostics.isEmpty, "chunk \(chunk)")
            #expect(c.infos.map(\.origin.record) == Array(1...events.count), "chunk \(chunk)")
            #expect(c.infos.allSatisfy { !$0.origin.isLine })
            #expect(c.infos.map(\.line) == Array(2...(events.count + 1)))
        }
    }

    @Test func otherKeysOfTheRecordsObjectAreSkipped() {
        let text = #"{"Meta":{"Records":[{"no":1}]},"Other":"Records","Records":[{"a":1},{"b":[2]}],"Tail":[{"c":3}]}"#
        for chunk in [1, 5, 7, 1000] {
            let c = frame(text, chunk: chunk)
            #expect(c.records == [#"{"a":1}"#, #"{"b":[2]}"#], "chunk \(chunk)")
            #expect(c.diagnostics.isEmpty)
        }
    }

    @Test func recordOffsetsPointIntoTheStream() {
        let text = #"{"Records":[ {"a":1} , {"b":2}]}"#
        let c = frame(text, chunk: 3)
        let bytes = Array(text.utf8)
        for (record, info) in zip(c.records, c.infos) {
            let start = Int(info.offset)
            #expect(String(decoding: bytes[start..<(start + record.utf8.count)], as: UTF8.self) == record)
        }
        #expect(c.records.count == 2)
    }

    @Test func jsonLinesWithANonJSONLineHandTheLineOnAsTextAndContinue() {
        let lines = [#"{"a":1}"#, #"{"b":2}"#, "this is not json {", "", #"  {"c":3}"#, #"[1,2]"#]
        for chunk in [1, 4, 64] {
            let c = frame(lines.joined(separator: "\n") + "\n", chunk: chunk)
            #expect(
                c.records == [#"{"a":1}"#, #"{"b":2}"#, "this is not json {", #"{"c":3}"#, "1", "2"], "chunk \(chunk)")
            // The line is the decoder's to judge (text formats, else `frame.not_json` there).
            #expect(c.codes.isEmpty)
            #expect(c.infos.map(\.isText) == [false, false, true, false, false, false])
            #expect(c.infos.prefix(4).map(\.origin.record) == [1, 2, 3, 5])
            #expect(c.infos.prefix(4).allSatisfy { $0.origin.isLine })
        }
    }

    @Test func tooDeepRecordIsSkippedAndTheNextOneRead() {
        let deep = String(repeating: "[", count: 70) + String(repeating: "]", count: 70)
        let options = IngestOptions(maxDepth: 64)
        let records = frame(#"{"Records":[{"d":\#(deep)},{"ok":true}]}"#, chunk: 9, options: options)
        #expect(records.records == [#"{"ok":true}"#])
        #expect(records.codes == ["frame.too_deep"])
        #expect(records.diagnostics.first?.origin == Origin(path: "t.json", record: 1, isLine: false))

        let lines = frame(
            #"{"ok":1}"# + "\n" + #"{"d":\#(deep)}"# + "\n" + #"{"ok":2}"# + "\n", chunk: 9, options: options)
        #expect(lines.records == [#"{"ok":1}"#, #"{"ok":2}"#])
        #expect(lines.codes == ["frame.too_deep"])
        #expect(lines.diagnostics.first?.origin == Origin(path: "t.json", record: 2))

        let allowed = String(repeating: "[", count: 63) + String(repeating: "]", count: 63)
        #expect(frame(#"{"d":\#(allowed)}"#, options: options).codes.isEmpty)
    }

    @Test func tooLargeRecordIsSkippedWithoutBufferingAndTheNextOneRead() {
        let big = #"{"big":"\#(String(repeating: "x", count: 500))","s":"}\"{"}"#
        let options = IngestOptions(maxRecordBytes: 100)
        for chunk in [7, 64, 4096] {
            let inRecords = frame(#"{"Records":[{"a":1},\#(big),{"b":2}]}"#, chunk: chunk, options: options)
            #expect(inRecords.records == [#"{"a":1}"#, #"{"b":2}"#], "chunk \(chunk)")
            #expect(inRecords.codes == ["frame.too_large"])
            #expect(inRecords.diagnostics.first?.origin == Origin(path: "t.json", record: 2, isLine: false))

            let lines = frame(#"{"a":1}"# + "\n" + big + "\n" + #"{"b":2}"# + "\n", chunk: chunk, options: options)
            #expect(lines.records == [#"{"a":1}"#, #"{"b":2}"#], "chunk \(chunk)")
            #expect(lines.codes == ["frame.too_large"])
            #expect(lines.diagnostics.first?.origin == Origin(path: "t.json", record: 2))
        }
    }

    @Test func largeRecordsObjectIsNotTooLarge() {
        // The Records document itself is far above the limit; only its elements count.
        let events = sampleEvents(50)
        let c = frame(
            #"{"Records":["# + events.joined(separator: ",") + "]}", chunk: 50,
            options: IngestOptions(maxRecordBytes: 200))
        #expect(c.records == events)
        #expect(c.diagnostics.isEmpty)
    }

    @Test func topLevelArrayElementsAreRecords() {
        let text = "[\n " + #"{"a":[1,{"b":"]"}]}"# + ",\n " + #"{"c":2}"# + " , \"s\", 12 ]"
        for chunk in [1, 3, 100] {
            let c = frame(text, chunk: chunk)
            #expect(c.records == [#"{"a":[1,{"b":"]"}]}"#, #"{"c":2}"#, #""s""#, "12"], "chunk \(chunk)")
            #expect(c.infos.map(\.origin) == (1...4).map { Origin(path: "t.json", record: $0, isLine: false) })
            #expect(c.diagnostics.isEmpty)
        }
    }

    @Test func singlePrettyPrintedObjectIsOneRecord() {
        let text = """

            {
              "digestStartTime": "2024-01-02T00:00:00Z",
              "logFiles": [
                {"s3Object": "a/b.json.gz", "hashValue": "ab}c"},
                {"s3Object": "c/d.json.gz"}
              ],
              "nested": { "x": [ ] }
            }

            """
        for chunk in [1, 8, 1000] {
            let c = frame(text, chunk: chunk)
            #expect(c.records == [text.trimmingCharacters(in: .whitespacesAndNewlines)], "chunk \(chunk)")
            #expect(c.infos.first?.origin == Origin(path: "t.json", record: 2))
            #expect(c.diagnostics.isEmpty)
        }
    }

    @Test func prettyPrintedObjectsInSequenceAreSeparateRecords() {
        let c = frame("{\n \"a\": 1\n}\n{\n \"b\": 2\n}\n", chunk: 2)
        #expect(c.records == ["{\n \"a\": 1\n}", "{\n \"b\": 2\n}"])
        #expect(c.infos.map(\.origin.record) == [1, 4])
        #expect(c.diagnostics.isEmpty)
    }

    @Test func inputEndingMidRecordIsTruncated() {
        let lines = frame(#"{"a":1}"# + "\n" + #"{"b":[2,"#, chunk: 3)
        #expect(lines.records == [#"{"a":1}"#])
        #expect(lines.codes == ["frame.truncated"])
        #expect(lines.diagnostics.first?.origin == Origin(path: "t.json", record: 2))

        let records = frame(#"{"Records":[{"a":1},{"b":"#)
        #expect(records.records == [#"{"a":1}"#])
        #expect(records.codes == ["frame.truncated"])
        #expect(records.diagnostics.first?.origin == Origin(path: "t.json", record: 2, isLine: false))
    }

    @Test func brokenLineDoesNotSwallowTheNextLines() {
        let text = [#"{"a":1}"#, #"{"b":"unterminated"#, #"{"c":3}"#, #"{"d":[1,"#, #"{"e":5}"#].joined(separator: "\n")
        for chunk in [1, 5, 100] {
            let c = frame(text + "\n", chunk: chunk)
            #expect(c.records == [#"{"a":1}"#, #"{"c":3}"#, #"{"e":5}"#], "chunk \(chunk)")
            #expect(c.codes == ["frame.truncated", "frame.truncated"])
            #expect(c.diagnostics.map(\.origin.record) == [2, 4])
        }
    }

    @Test func rawNewlineInsideAStringBreaksEvenTheFirstLine() {
        let c = frame("{\"a\":\"x\n{\"b\":2}\n")
        #expect(c.records == [#"{"b":2}"#])
        #expect(c.codes == ["frame.truncated"])
    }

    @Test func invalidUTF8AndCRLFPassThrough() {
        var bytes = Array(#"{"a":""#.utf8) + [0xff, 0xc3] + Array(#""}"#.utf8) + [0x0d, 0x0a]
        bytes += Array(#"{"b":2}"#.utf8) + [0x0d, 0x0a]
        let c = frame(bytes, chunk: 2)
        #expect(c.records.count == 2)
        #expect(c.records[1] == #"{"b":2}"#)
        #expect(c.infos.map(\.origin.record) == [1, 2])
        #expect(c.diagnostics.isEmpty)
    }

    @Test func byteOrderMarkIsSkipped() {
        let c = frame([0xef, 0xbb, 0xbf] + Array(#"{"a":1}"#.utf8))
        #expect(c.records == [#"{"a":1}"#])
        #expect(c.diagnostics.isEmpty)
    }

    @Test func diagnosticsPerFileAreCapped() {
        // JSON lines whose strings break at the newline: one `frame.truncated` each.
        let text = #"{"ok":0}"# + "\n" + String(repeating: #"{"a":"x"# + "\n", count: 50) + #"{"a":1}"#
        let framer = Framer(options: IngestOptions(maxDiagnosticsPerFile: 10))
        var diags = 0
        var records = 0
        Array(text.utf8).withUnsafeBytes {
            framer.push($0, onRecord: { _, _ in records += 1 }, onDiagnostic: { _ in diags += 1 })
        }
        framer.finish(onRecord: { _, _ in records += 1 }, onDiagnostic: { _ in diags += 1 })
        #expect(diags == 10)
        #expect(framer.suppressedDiagnostics == 40)
        #expect(records == 2)
    }

    @Test func resetStartsAFreshStream() {
        let framer = Framer(path: "a")
        var seen: [String] = []
        var diags: [Diagnostic] = []
        Array(#"{"Records":[{"x":"#.utf8).withUnsafeBytes {
            framer.push($0, onRecord: { _, _ in }, onDiagnostic: { diags.append($0) })
        }
        framer.reset(path: "b")
        Array(#"{"y":1}"#.utf8).withUnsafeBytes {
            framer.push(
                $0, onRecord: { b, i in seen.append("\(i.origin) \(String(decoding: b, as: UTF8.self))") },
                onDiagnostic: { diags.append($0) })
        }
        framer.finish(onRecord: { _, _ in }, onDiagnostic: { diags.append($0) })
        #expect(seen == [#"b:1 {"y":1}"#])
        #expect(diags.isEmpty)
    }
}
