import EventModel
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
}
