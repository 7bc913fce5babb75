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
        // A small buffer, so that the writes also cross its growth.
        var out = ByteWriter(capacity: 1)
        out.append("x")
        JSONText.appendQuoted(s, to: &out)
        let written = out.text
        #expect(written == "x" + JSONText.quote(s))
        var list = ByteWriter(capacity: 1)
        JSONText.appendArray([s, "a", s], to: &list)
        let listed = list.text
        #expect(listed == "[" + [s, "a", s].map(JSONText.quote).joined(separator: ",") + "]")
    }

    /// The eight-bytes-at-a-time path: every byte that needs an escape, at every offset within
    /// a word and next to every kind of plain byte, escapes as the byte-by-byte reference does.
    @Test func wordAtATimeEscapesEveryByteAsTheReferenceDoes() {
        let specials: [[UInt8]] = [[0x00], [0x1F], [0x0A], [0x22], [0x5C], [0xE2, 0x80, 0xA8], [0xE2, 0x80, 0xA9]]
        let fillers: [UInt8] = [0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7F, 0x80, 0xE1, 0xE3]
        var cases = 0
        for special in specials {
            for filler in fillers {
                for offset in 0..<17 {
                    var bytes = [UInt8](repeating: filler, count: 24)
                    bytes.replaceSubrange(offset..<offset + special.count, with: special)
                    let text = String(decoding: bytes, as: UTF8.self)
                    #expect(JSONText.quote(text) == Self.reference(text), "\(special) at \(offset) among \(filler)")
                    cases += 1
                }
            }
        }
        #expect(cases == specials.count * fillers.count * 17)
        // Long plain runs (whole words skipped) around an escape and multi-byte text.
        let long = String(repeating: "abcdefgh", count: 40) + "\"" + String(repeating: "é", count: 30)
        #expect(JSONText.quote(long) == Self.reference(long))
    }

    /// Byte-by-byte escaping as specified (the reference the fast path must equal).
    static func reference(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if u.value < 0x20 {
                    out += "\\u00" + String(format: "%02x", u.value)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }

    @Test func escapesAreTheShortForms() {
        #expect(JSONText.quote("a\"b\\c\nd\u{1}") == #""a\"b\\c\nd\u0001""#)
        #expect(JSONText.quote("x\u{2028}") == #""x\u2028""#)
        #expect(JSONText.array(["a", "\""]) == #"["a","\""]"#)
    }

    /// An origin is written into a finding line without making its description first; the bytes
    /// are those of quoting the description.
    @Test func originIsQuotedLikeItsDescription() {
        for path in Self.samples + ["-", "/logs/a.json.gz"] {
            for (record, isLine) in [(0, true), (1, true), (42, false), (Int.max, true), (-7, true)] {
                let o = Origin(path: path, record: record, isLine: isLine)
                var out = ByteWriter(capacity: 1)
                out.append(0x2C)
                o.appendQuoted(to: &out)
                let written = out.text
                #expect(written == "," + JSONText.quote(o.description))
            }
        }
    }
}
