import EventModel
import Ingest
import TestSupport
import Testing

@Suite struct FramerPropertyTests {
    static let corpus: [String] = [
        #"{"Records":["# + sampleEvents(4).joined(separator: ",") + "]}",
        sampleEvents(5).joined(separator: "\n") + "\n",
        "[" + sampleEvents(3).joined(separator: ", ") + "]",
        "{\n  \"a\": [1, {\"b\": \"}\\\\\"\"}],\n  \"c\": null\n}\n",
        #"{"x":1,"Records":[{"a":"\\"},{"b":[[[]]]}],"y":{"Records":[1]}}"# + "\n" + #"{"z":2}"#,
        "junk\n{\"a\":1}\n\n  {\"b\":2}  \n]\n",
    ]

    /// What a framing run produced, minus messages (whose wording may depend
    /// on where a chunk ended, e.g. an exact size vs "longer than").
    static func outcome(_ bytes: [UInt8], chunk: Int, options: IngestOptions) -> [String] {
        let c = frame(bytes, chunk: chunk, options: options)
        var events = zip(c.records, c.infos).map { "R \($0.1.origin) @\($0.1.offset) L\($0.1.line) \($0.0)" }
        events += c.diagnostics.map { "D \($0.code) \($0.origin)" }
        return events
    }

    @Test func chunkingNeverChangesTheOutcome() {
        var rng = SplitMix64(seed: 0x9E37_79B9_7F4A_7C15)
        let options = IngestOptions(maxRecordBytes: 120, maxDepth: 6)
        let structural = Array("{}[]\",\\\n :x".utf8)
        var cases = 0
        for text in Self.corpus {
            let base = Array(text.utf8)
            for round in 0..<100 {
                var bytes = base
                if round > 0 {
                    for _ in 0..<Int.random(in: 1...4, using: &rng) {
                        bytes[Int.random(in: 0..<bytes.count, using: &rng)] = structural.randomElement(using: &rng)!
                    }
                }
                if round % 3 == 2 { bytes = Array(bytes[..<Int.random(in: 0...bytes.count, using: &rng)]) }
                let expected = Self.outcome(bytes, chunk: max(1, bytes.count), options: options)
                for chunk in [1, 2, 3, 5, 8, 13, 64] {
                    let got = Self.outcome(bytes, chunk: chunk, options: options)
                    #expect(got == expected, "chunk \(chunk): \(String(decoding: bytes, as: UTF8.self))")
                    if got != expected { return }
                }
                cases += 1
            }
        }
        #expect(cases == Self.corpus.count * 100)
    }

    @Test func everyRecordOfValidInputIsFoundAndNothingElse() {
        // Unmutated corpus entries: records are exactly what a reader expects.
        let c = frame(Self.corpus[0], chunk: 5)
        #expect(c.records == sampleEvents(4))
        let jsonl = frame(Self.corpus[1], chunk: 5)
        #expect(jsonl.records == sampleEvents(5))
        #expect(jsonl.infos.map(\.origin.record) == [1, 2, 3, 4, 5])
        let mixed = frame(Self.corpus[4], chunk: 5)
        #expect(mixed.records == [#"{"a":"\\"}"#, #"{"b":[[[]]]}"#, #"{"z":2}"#])
        #expect(mixed.diagnostics.isEmpty)
    }
}
