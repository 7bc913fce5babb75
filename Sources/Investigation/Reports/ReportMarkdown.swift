import EventModel

/// The report as Markdown: what a responder pastes into a ticket. Log text is
/// put in code spans (attacker-controlled strings cannot inject markup).
public enum ReportMarkdown {
    /// Markdown text.
    public static func render(_ r: InvestigationReport) -> String {
        var o: [String] = []
        header(r, &o)
        remediation(r, &o)
        findings(r, &o)
        credentials(r, &o)
        reads(r, &o)
        chain(r, &o)
        persistence(r, &o)
        adjacent(r, &o)
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

    private static func more(_ n: Int, _ o: inout [String], what: String = "rows") {
        if n > 0 { o.append("\n… and \(n) more \(what) (see `--format json`).") }
    }

    private static func header(_ r: InvestigationReport, _ o: inout [String]) {
        o.append(
            "# Investigation: \(text(IdentityName.short(r.rootIdentity.isEmpty ? r.target.text : r.rootIdentity)))\n")
        o.append(
            "**Verdict: \(ReportText.verdict(r.verdict))** · window \(ReportText.window(r.window)) · identity \(code(r.rootIdentity.isEmpty ? r.target.text : r.rootIdentity))  "
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

    private static func findings(_ r: InvestigationReport, _ o: inout [String]) {
        o.append("## Findings\n")
        if r.findings.isEmpty {
            o.append("No detector findings for these identities in the window.\n")
            return
        }
        o.append("| Severity | Time (UTC) | Detector | Identity | Title |")
        o.append("|---|---|---|---|---|")
        for f in r.findings.prefix(ReportText.maxRows) {
            o.append(
                "| \(f.severity.description.uppercased()) | \(ReportText.time(f.firstSeen)) | \(code(f.detector)) | \(code(IdentityName.short(f.identity))) | \(text(f.title)) |"
            )
        }
        more(r.findings.count - ReportText.maxRows + r.findingsOmitted, &o, what: "findings")
        o.append("")
    }

    private static func credentials(_ r: InvestigationReport, _ o: inout [String]) {
        o.append("## Credentials\n")
        if r.credentials.isEmpty {
            o.append("No credential of these identities was used in the window.\n")
            return
        }
        o.append("| Credential | Identity | Kind | First use | Last use | Calls | From | Clients | Verdict |")
        o.append("|---|---|---|---|---|---|---|---|---|")
        for c in r.credentials.prefix(ReportText.maxRows) {
            let from =
                c.sources.prefix(3).map { code($0.source) + ($0.newNetwork == true ? " (new)" : "") }.joined(
                    separator: ", ")
                + (c.sources.count > 3 ? " +\(c.sources.count - 3)" : "")
            let clients = Array(Set(c.userAgents.map(\.family.rawValue))).sorted().prefix(3).joined(separator: ", ")
            o.append(
                "| \(code(c.accessKeyId.isEmpty ? "(none)" : c.accessKeyId)) | \(code(IdentityName.short(c.identity))) | \(c.keyKind.rawValue) | \(ReportText.time(c.firstSeen)) | \(ReportText.time(c.lastSeen)) | \(c.events) | \(from) | \(text(clients)) | \(ReportText.credentialVerdict(c.verdict)) |"
            )
        }
        more(r.credentials.count - ReportText.maxRows + r.credentialsOmitted, &o, what: "credentials")
        let flagged = r.credentials.filter {
            $0.verdict == "stolen" || $0.verdict == "suspicious" || $0.verdict == "created_by_chain"
        }
        if !flagged.isEmpty { o.append("") }
        for c in flagged.prefix(ReportText.maxRows) {
            o.append(
                "- \(code(c.accessKeyId)) (\(ReportText.credentialVerdict(c.verdict))): "
                    + c.reasons.map(text).joined(separator: "; "))
        }
        o.append("")
    }

    private static func reads(_ r: InvestigationReport, _ o: inout [String]) {
        o.append("## What was read\n")
        if r.reads.isEmpty {
            o.append("No secrets, parameters, keys, buckets or objects read.\n")
            return
        }
        for kind in ReadOrder.kinds {
            let list = r.reads.filter { $0.kind == kind }
            guard !list.isEmpty else { continue }
            let first = list.filter { $0.firstTime == true }.count
            o.append(
                "### \(ReportText.kindTitle(kind)) (\(list.count)\(first > 0 ? ", \(first) never read before the window" : ""))\n"
            )
            o.append("| Resource | Identity | Reads | Denied | First | Last | New? |")
            o.append("|---|---|---|---|---|---|---|")
            for x in list.prefix(ReportText.maxRows) {
                o.append(
                    "| \(code(x.resource))\(x.viaService ? " (via AWS service)" : "") | \(code(IdentityName.short(x.identity))) | \(x.count) | \(x.denied) | \(ReportText.time(x.firstSeen)) | \(ReportText.time(x.lastSeen)) | \(ReportText.firstTime(x.firstTime)) |"
                )
            }
            more(list.count - ReportText.maxRows + (r.readsOmitted[kind.rawValue] ?? 0), &o)
            o.append("")
        }
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

    private static func persistence(_ r: InvestigationReport, _ o: inout [String]) {
        o.append("## What persists\n")
        if r.persistence.isEmpty {
            o.append("Nothing created or changed that could give access later.\n")
            return
        }
        o.append("| What | Identifier | Detail | By | When | Status now |")
        o.append("|---|---|---|---|---|---|")
        for a in r.persistence.prefix(ReportText.maxRows * 2) {
            let status =
                a.status == "active"
                ? "**ACTIVE**"
                : "\(a.status) by \(code(IdentityName.short(a.changedBy))) at \(ReportText.time(a.changedAt))"
            o.append(
                "| \(a.kind.label) | \(code(ReportText.artifactName(a))) | \(text(a.detail)) | \(code(IdentityName.short(a.createdBy))) | \(ReportText.time(a.time)) | \(status) |"
            )
        }
        more(r.persistence.count - ReportText.maxRows * 2 + r.persistenceOmitted, &o, what: "artifacts")
        o.append("")
    }

    private static func adjacent(_ r: InvestigationReport, _ o: inout [String]) {
        guard !r.adjacent.isEmpty || !r.persistence.isEmpty else { return }
        o.append("## Adjacent trust\n")
        if r.adjacent.isEmpty {
            o.append("Nobody used the keys, users or roles the chain created or opened (in the logs read).\n")
            return
        }
        o.append("| Used | Relation | By | Credential | Calls | First | Last | From |")
        o.append("|---|---|---|---|---|---|---|---|")
        for a in r.adjacent.prefix(ReportText.maxRows) {
            o.append(
                "| \(code(IdentityName.short(a.artifact))) | \(a.relation.replacingOccurrences("_", " ")) | \(code(IdentityName.short(a.usedBy))) | \(code(a.credential)) | \(a.count) | \(ReportText.time(a.firstSeen)) | \(ReportText.time(a.lastSeen))\(a.afterWindow ? " (after window)" : "") | \(a.sources.map(code).joined(separator: ", ")) |"
            )
        }
        more(r.adjacent.count - ReportText.maxRows + r.adjacentOmitted, &o)
        o.append("")
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
