import EventModel
import Investigation
import Runtime
import Testing

@Suite("Text report: incidents first, wrapped to the terminal")
struct TextReportTests {
    static let t0: Int64 = 1_750_000_000_000
    static let web = "arn:aws:iam::111122223333:role/web-app"
    static let admin = "arn:aws:iam::111122223333:role/admin"

    func finding(_ identity: String, _ detector: String, _ severity: Severity, at minutes: Int64, id: String) -> Finding
    {
        Finding(
            detector: detector, severity: severity, identity: identity, identityType: .assumedRole,
            account: "111122223333", firstSeen: Self.t0 + minutes * 60_000, lastSeen: Self.t0 + minutes * 60_000,
            eventIds: [id], title: "\(detector) by \(identity)",
            explanation: String(repeating: "explained in many words ", count: 12) + id)
    }

    /// Findings about web-app (an incident) and one lone low finding elsewhere.
    func sample() -> ([Incident], [Finding]) {
        let fs = [
            finding(Self.web, "persistence.iam_user_created", .high, at: 9, id: "e2"),
            finding(Self.web, "discovery.burst", .medium, at: 1, id: "e1"),
            finding(Self.admin, "identity.new_source", .low, at: 600, id: "e9"),
        ]
        let b = IncidentBuilder()
        for f in fs { b.add(f) }
        return (b.finish(), fs)
    }

    @Test("an incident block lists its findings in time order; the rest follow as a table")
    func incidentsFirst() throws {
        let (incidents, findings) = sample()
        #expect(incidents.count == 1)
        let text = TextReport.render(incidents: incidents, findings: findings, width: nil)
        #expect(text.hasPrefix("INCIDENTS (1)\n"))
        let burst = try #require(text.range(of: "MEDIUM   discovery.burst"))
        let user = try #require(text.range(of: "HIGH     persistence.iam_user_created"))
        let other = try #require(text.range(of: "OTHER FINDINGS (1)"))
        let lone = try #require(text.range(of: "identity.new_source"))
        #expect(burst.lowerBound < user.lowerBound, "time order inside the incident")
        #expect(user.lowerBound < other.lowerBound && other.lowerBound < lone.lowerBound)
        #expect(text.components(separatedBy: "id: \(findings[1].id)").count == 2, "each finding printed once")
    }

    @Test("with a width every line fits, and no word is lost")
    func wrapped() {
        let (incidents, findings) = sample()
        let wide = TextReport.render(incidents: incidents, findings: findings, width: nil)
        let narrow = TextReport.render(incidents: incidents, findings: findings, width: 72)
        #expect(narrow.split(separator: "\n").allSatisfy { $0.count <= 72 })
        #expect(wide.split(separator: "\n").contains { $0.count > 72 })
        let words = { (s: String) in s.split(whereSeparator: { $0 == " " || $0 == "\n" }).joined(separator: " ") }
        #expect(words(narrow) == words(wide))
    }

    @Test("a word longer than the line is split, never dropped; control characters are escaped")
    func longWord() {
        let text = TextReport.wrap("a " + String(repeating: "x", count: 150) + " \u{1b}[31mred", 60, indent: 4)
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 60 })
        #expect(text.filter { $0 == "x" }.count == 150)
        #expect(!text.contains("\u{1b}"))
    }

    @Test("no findings and no incidents say so")
    func empty() {
        #expect(TextReport.render(incidents: [], findings: [], width: 80) == "No findings.\n")
    }
}
