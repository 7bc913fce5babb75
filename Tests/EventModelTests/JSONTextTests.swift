import EventModel
import Foundation
import Testing

/// `JSONText.quote` writes every finding and event; what it writes must read back as the same text.
@Suite struct JSONTextTests {
    static let samples = [
        "", "plain", "quote \" and backslash \\ ", "line\nfeed\r\ttab", "\u{0}\u{1}\u{1f}", "sep \u{2028} \u{2029} end",
        "é ☃ 𝄞 🙂", "\u{2027}\u{202A}", String(repeating: "ab\"", count: 200),
    ]

    @Test(arguments: samples)
    func quotedTextReadsBack(_ s: String) throws {
        let quoted = JSONText.quote(s)
        let back = try JSONSerialization.jsonObject(with: Data(("[" + quoted + "]").utf8)) as? [String]
        #expect(back == [s])
        #expect(!quoted.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{2028}" || $0 == "\u{2029}" })
    }

    /// Writers that build a line in one buffer append exactly what `quote` and `array` return.
    @Test(arguments: samples)
    func appendingWritesWhatQuoteReturns(_ s: String) {
        var out: [UInt8] = Array("x".utf8)
        JSONText.appendQuoted(s, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "x" + JSONText.quote(s))
        var list: [UInt8] = []
        JSONText.appendArray([s, "a", s], to: &list)
        #expect(
            String(decoding: list, as: UTF8.self) == "[" + [s, "a", s].map(JSONText.quote).joined(separator: ",") + "]")
    }

    @Test func escapesAreTheShortForms() {
        #expect(JSONText.quote("a\"b\\c\nd\u{1}") == #""a\"b\\c\nd\u0001""#)
        #expect(JSONText.quote("x\u{2028}") == #""x\u2028""#)
        #expect(JSONText.array(["a", "\""]) == #"["a","\""]"#)
    }
}
