import EventModel
import TestSupport
import Testing

@Suite("Hostile text and impossible times")
struct HostileTextTests {
    @Test(
        "impossible calendar dates are not times",
        arguments: [
            "2025-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "0000-01-01T00:00:00Z",
            "2025-04-31T00:00:00Z", "2025-06-31", "2025-00-10T00:00:00Z",
        ])
    func impossibleDates(text: String) {
        #expect(Timestamp.parse(text) == nil, "\(text)")
    }

    @Test(
        "real edge dates still parse",
        arguments: ["2024-02-29T23:59:59Z", "2000-02-29T00:00:00Z", "0001-01-01T00:00:00Z", "2025-12-31T00:00:00Z"])
    func edgeDates(text: String) {
        #expect(Timestamp.parse(text) != nil, "\(text)")
    }

    /// Regression for the first FuzzDecode crash: a time cut after the hour read one
    /// byte past its end and trapped (Benchmarks/out/fuzz/FuzzDecode, 2026-12-06).
    @Test(
        "times cut short are not times, and do not trap",
        arguments: [
            "2026-03-01T00", "2026-03-01T0", "2026-03-01T00:", "2026-03-01T00:0", "2026-03-01 00", "2026-03-01T",
        ])
    func truncatedTimes(text: String) {
        #expect(Timestamp.parse(text) == nil, "\(text)")
    }

    @Test func diagnosticsEscapeTerminalControls() {
        let d = Diagnostic(
            origin: Origin(path: "logs/\u{1B}[2Jx.json", record: 3), code: "decode.bad_time",
            message: "eventTime \"\u{1B}]0;title\u{07}\r\nforged: error\u{202E}\" is not a time")
        let text = d.description
        #expect(!text.unicodeScalars.contains { TerminalText.needsEscape($0) }, "\(text)")
        #expect(text.contains("\\u{1B}]0;title\\u{7}\\u{D}\\u{A}forged"))
        #expect(text.hasPrefix("logs/\\u{1B}[2Jx.json:3: error:"))
        #expect(TerminalText.escape("plain ünïcode ✓") == "plain ünïcode ✓")
    }

    /// `escape` checks printable ASCII on the bytes first; on random text it must give what the
    /// scalar-by-scalar rule gives, whichever path it takes.
    @Test func escapeMatchesTheScalarRuleOnRandomText() {
        func reference(_ text: String) -> String {
            var out = ""
            for u in text.unicodeScalars {
                out += TerminalText.needsEscape(u) ? "\\u{\(String(u.value, radix: 16, uppercase: true))}" : String(u)
            }
            return out
        }
        let alphabet: [Unicode.Scalar] = [
            "a", "Z", " ", "~", "{", "\u{0}", "\u{7}", "\u{1B}", "\n", "\r", "\u{7F}", "\u{80}", "\u{9F}", "\u{A0}",
            "é", "✓", "\u{200E}", "\u{202E}", "\u{2028}", "\u{2066}", "\u{061C}", "😀",
        ]
        var rng = SplitMix64(seed: 11)
        var escaped = 0
        for _ in 0..<2_000 {
            let n = Int(rng.next() % 12)
            var text = ""
            for _ in 0..<n {
                // Mostly printable ASCII, as messages are, so both paths are taken often.
                let pick = rng.next() % 3 == 0 ? Int(rng.next() % UInt64(alphabet.count)) : Int(rng.next() % 4)
                text.unicodeScalars.append(alphabet[pick])
            }
            let got = TerminalText.escape(text)
            #expect(got == reference(text), "\(Array(text.unicodeScalars))")
            if got != text { escaped += 1 }
        }
        #expect(escaped > 200 && escaped < 1_800, "both paths taken: \(escaped) of 2,000 escaped")
    }

    @Test func longMessagesAreBoundedByCharactersNotBytes() {
        let origin = Origin(path: "f", record: 1)
        let wide = String(repeating: "é", count: 250)  // 500 bytes, 250 characters: kept whole
        #expect(Diagnostic(origin: origin, code: "c", message: wide).message == wide)
        let long = String(repeating: "é", count: 301)
        let bounded = Diagnostic(origin: origin, code: "c", message: long).message
        #expect(bounded == String(repeating: "é", count: 300) + "…")
    }
}
