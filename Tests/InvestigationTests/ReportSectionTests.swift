import EventModel
import Foundation
import Testing

@testable import Investigation

/// The Markdown and HTML reports render one section model: the same tables with the same
/// columns, the same "and N more" lines, and credential verdicts in the same words.
@Suite struct ReportSectionTests {
    let r = Story.report()

    /// Column names of every table in a Markdown report (the line above each `|---|` line).
    static func markdownColumns(_ md: String) -> [[String]] {
        let lines = md.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return zip(lines, lines.dropFirst()).filter { $0.1.hasPrefix("|---|") }.map { header, _ in
            header.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
    }

    /// Column names of every table in an HTML report (the `<th>` cells of each `<thead>`).
    static func htmlColumns(_ html: String) -> [[String]] {
        html.components(separatedBy: "<thead><tr>").dropFirst().map { rest in
            let head = rest.components(separatedBy: "</tr></thead>")[0]
            return head.components(separatedBy: "<th>").dropFirst().map { $0.components(separatedBy: "</th>")[0] }
        }
    }

    @Test func bothFormatsShowTheSameTablesWithTheSameColumns() {
        let md = Self.markdownColumns(ReportMarkdown.render(r))
        let html = Self.htmlColumns(ReportHTML.render(r))
        let sections =
            [
                ReportSections.findings(r), ReportSections.credentials(r), ReportSections.reads(r),
                ReportSections.persistence(r),
            ] + [ReportSections.adjacent(r)].compactMap { $0 }
        let model = sections.flatMap(\.tables).map { $0.columns.map(\.name) }
        #expect(model.count >= 5, "the story fills findings, credentials, reads, persistence and adjacent trust")
        #expect(md.first == ReportText.counts(r).map(\.0), "Markdown opens with the counts (HTML shows them as cards)")
        #expect(Array(md.dropFirst()) == model)
        #expect(html == model)
    }

    @Test func leftOutRowsAreCountedInTheSameWordsInBothFormats() throws {
        var big = r
        let f = try #require(r.findings.first)
        big.findings = Array(repeating: f, count: ReportText.maxRows + 3)
        big.findingsOmitted = 4
        let md = ReportMarkdown.render(big)
        let html = ReportHTML.render(big)
        #expect(md.contains("\n… and 7 more findings (see `--format json`)."))
        #expect(html.contains("<p class=\"more\">… and 7 more findings (see <code>--format json</code>).</p>"))
        #expect(md.components(separatedBy: "| CRITICAL |").count - 1 == ReportText.maxRows)
    }

    @Test func credentialVerdictsAreTypedAndWordedOnce() throws {
        let stolen = try #require(r.credentials.first { $0.verdict == .stolen })
        let json = ReportJSON.render(r)
        #expect(json.contains("\"verdict\": \"stolen\""))
        #expect(ReportMarkdown.render(r).contains("| \(CredentialVerdict.stolen.label) |"))
        #expect(ReportHTML.render(r).contains("<span class=\"bad\">LOOKS STOLEN</span>"))
        #expect(ReportMarkdown.render(r).contains("- `\(stolen.accessKeyId)` (LOOKS STOLEN): "))
        #expect(
            CredentialVerdict.allCases.map(\.label) == [
                "normal", "suspicious", "LOOKS STOLEN", "created by the chain", "no baseline",
            ])
    }

    @Test func aRemovedArtifactSaysByWhomAndWhenInBothFormats() throws {
        let removed = try #require(r.persistence.first { $0.status != "active" })
        let who = IdentityName.short(removed.changedBy)
        #expect(ReportMarkdown.render(r).contains("\(removed.status) by `\(who)` at "))
        #expect(
            ReportHTML.render(r).contains("<span class=\"okv\">\(removed.status)</span> by <code>\(who)</code> at "))
    }
}
