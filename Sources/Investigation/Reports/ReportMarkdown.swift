import EventModel

/// The report as Markdown: what a responder pastes into a ticket. Log text is
/// put in code spans (attacker-controlled strings cannot inject markup).
public enum ReportMarkdown {
    /// Markdown text.
    public static func render(_ r: InvestigationReport) -> String {
        var o: [String] = []
        header(r, &o)
        remediation(r, &o)
        for section in [ReportSections.findings(r), ReportSections.credentials(r), ReportSections.reads(r)] {
            render(section, &o)
        }
        chain(r, &o)
        render(ReportSections.persistence(r), &o)
        if let adjacent = ReportSections.adjacent(r) { render(adjacent, &o) }
        activity(r, &o)
        if !r.notes.isEmpty {
            o.append("## Notes\n")
            for n in r.notes { o.append("- " + text(n)) }
            o.append("")
        }
        return o.joined(separator: "\n")
    }

    /// `s` as a code span (backticks replaced, newlines removed, cut to 200 characters).
    static func code(_ s: String) -> String {
        let clean = Clip.text(s, 200).replacingOccurrences("`", "ˋ").replacingOccurrences("\n", " ")
            .replacingOccurrences("|", "¦")
        return clean.isEmpty ? "—" : "`" + clean + "`"
    }

    /// Plain text safe in a table cell.
    static func text(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "|": out += "\\|"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\n", "\r": out += " "
            case "*", "_", "[", "]", "`", "\\": out += "\\" + String(c)
            default: out.append(c)
            }
        }
        return out
    }

    private static func header(_ r: InvestigationReport, _ o: inout [String]) {
        o.append(
            "# Investigation: \(text(IdentityName.short(r.rootIdentity.isEmpty ? r.target.text : r.rootIdentity)))\n")
        o.append(
            "**Verdict: \(r.verdict.label)** · window \(ReportText.window(r.window)) · identity \(code(r.rootIdentity.isEmpty ? r.target.text : r.rootIdentity))  "
        )
        o.append(
            "\(r.input.events) events read, \(r.input.matched) attributed to \(r.principals.count) identit\(r.principals.count == 1 ? "y" : "ies"), \(r.input.before) before the window (baseline).\n"
        )
        for reason in r.reasons { o.append("- " + text(reason)) }
        o.append("")
        let counts = ReportText.counts(r)
        o.append("| " + counts.map(\.0).joined(separator: " | ") + " |")
        o.append("|" + String(repeating: "---|", count: counts.count))
        o.append("| " + counts.map(\.1).joined(separator: " | ") + " |\n")
    }

    private static func remediation(_ r: InvestigationReport, _ o: inout [String]) {
        o.append("## What to do\n")
        if r.remediation.isEmpty {
            o.append("No action needed: nothing here points to a compromise.\n")
            return
        }
        o.append("Ordered by risk. trailhound never runs these commands; review each before running it.\n")
        for a in r.remediation {
            o.append("\(a.order). **[\(a.risk.description.uppercased())] \(text(a.action))** — \(text(a.reason))")
            if !a.commands.isEmpty {
                o.append("   ```sh")
                for c in a.commands { o.append("   " + c.replacingOccurrences("\n", " ")) }
                o.append("   ```")
            }
        }
        o.append("")
    }

    private static func chain(_ r: InvestigationReport, _ o: inout [String]) {
        o.append("## Where it went\n")
        let tree = ReportText.tree(r)
        if tree.isEmpty {
            o.append("No role assumed, no user, key or password created, no trust changed.\n")
        } else {
            o.append("```text")
            o.append(IdentityName.short(r.rootIdentity))
            for (d, t) in tree { o.append(String(repeating: "   ", count: d) + t.replacingOccurrences("`", "'")) }
            o.append("```\n")
        }
        for p in r.principals {
            let scope =
                p.scopeCredentials.isEmpty
                ? "" : " — only " + p.scopeCredentials.prefix(3).map(code).joined(separator: ", ")
            o.append("### \(text(IdentityName.short(p.identity))) (depth \(p.depth))\(scope)\n")
            if let via = p.via {
                o.append(
                    "Reached at \(ReportText.time(via.time)): \(code(IdentityName.short(via.from))) called \(ReportSVG.verb(via.kind.rawValue))\(via.credential.isEmpty ? "" : " (" + code(via.credential) + ")").  "
                )
            }
            o.append(
                "\(p.events) calls (\(p.errors) failed, \(p.denied) denied) from \(ReportText.time(p.firstSeen)) to \(ReportText.time(p.lastSeen))"
                    + (p.baselineDays.map { "; baseline of \($0) day(s) before the window." }
                        ?? "; no baseline before the window."))
            if !p.apis.isEmpty {
                let shown = p.apis.prefix(15).map {
                    code($0.api) + " ×\($0.count)" + ($0.firstTime == true ? " **new**" : "")
                        + ($0.errors > 0 ? " (\($0.errors) failed)" : "")
                }
                o.append(
                    "\nAPIs: " + shown.joined(separator: ", ")
                        + (p.apis.count > 15 ? ", and \(p.apis.count - 15 + p.apisOmitted) more" : ""))
            }
            o.append("")
        }
    }

    /// A section: its heading, then each table (with its sub-heading, "and N more" line and a
    /// blank line), then the footnotes; or its empty text.
    private static func render(_ s: ReportSection, _ o: inout [String]) {
        o.append("## \(s.title)\n")
        guard !s.tables.isEmpty else {
            o.append(s.empty + "\n")
            return
        }
        for t in s.tables {
            if let h = t.heading { o.append("### \(h.title) (\(h.note))\n") }
            o.append("| " + t.columns.map(\.name).joined(separator: " | ") + " |")
            o.append("|" + String(repeating: "---|", count: t.columns.count))
            for row in t.rows { o.append("| " + row.map { inline($0.inline) }.joined(separator: " | ") + " |") }
            if t.omitted > 0 { o.append("\n… and \(t.omitted) more \(t.noun) (see `--format json`).") }
            o.append("")
        }
        guard !s.footnotes.isEmpty else { return }
        for note in s.footnotes { o.append("- " + inline(note)) }
        o.append("")
    }

    /// Cell content as Markdown (detail lines are left out: a table row is one line).
    static func inline(_ parts: [ReportInline]) -> String {
        var out = ""
        for (i, part) in parts.enumerated() {
            switch part {
            case .text(let s), .headline(let s), .warning(let s), .settled(let s): out += text(s)
            case .term(let s): out += s
            case .code(let s): out += code(s)
            case .severity(let v): out += v.description.uppercased()
            case .flag(let s), .aside(let s): out += i == 0 ? text(s) : " (\(text(s)))"
            case .abbreviation(let s, _): out += text(s)
            case .verdict(let v): out += v.label
            case .alarm(let s): out += "**\(text(s))**"
            case .separator: out += ", "
            }
        }
        return out
    }

    private static func activity(_ r: InvestigationReport, _ o: inout [String]) {
        let a = r.activity
        guard !a.buckets.isEmpty, r.verdict != .quiet else { return }
        o.append("## Activity (\(a.bucketHours)-hour buckets)\n")
        let busy = a.buckets.filter { $0.counts.reduce(0, +) > 0 }
        let peak = max(1, busy.map { $0.counts.reduce(0, +) }.max() ?? 1)
        o.append("```text")
        o.append("bucket start (UTC)   data discov change auth denied")
        for b in busy.prefix(48) {
            let total = b.counts.reduce(0, +)
            let bar = String(repeating: "█", count: max(1, total * 30 / peak))
            let marks = a.markers.filter { $0.time >= b.start && $0.time < b.start + Int64(a.bucketHours) * 3_600_000 }
            let flag = marks.isEmpty ? "" : " ◀ \(marks.count) finding(s), worst \(marks.map(\.severity).max()!)"
            let cols = b.counts.map { String($0).leftPad(6) }.joined()
            o.append(String(ReportText.time(b.start).prefix(16)) + "   " + cols + "  " + bar + flag)
        }
        if busy.count > 48 { o.append("… \(busy.count - 48) more buckets") }
        o.append("```\n")
    }
}

extension String {
    /// Right-aligned in `n` columns.
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
