import EventModel

/// The table sections of an investigation report, built once from it for every renderer.
enum ReportSections {
    /// "Findings": the detectors' findings, most severe first.
    static func findings(_ r: InvestigationReport) -> ReportSection {
        var s = ReportSection(title: "Findings", empty: "No detector findings for these identities in the window.")
        guard !r.findings.isEmpty else { return s }
        let rows = r.findings.prefix(ReportText.maxRows).map { f -> [ReportCell] in
            [
                ReportCell([.severity(f.severity)]), .time(f.firstSeen), .code(f.detector),
                .code(IdentityName.short(f.identity)),
                ReportCell([.headline(f.title)], detail: [.text(Clip.text(f.explanation, 300))]),
            ]
        }
        s.tables = [
            ReportTable(
                columns: columns(("Severity", 9), ("Time (UTC)", 11), ("Detector", 20), ("Identity", 16), ("What", 44)),
                rows: Array(rows), omitted: r.findings.count - ReportText.maxRows + r.findingsOmitted, noun: "findings")
        ]
        return s
    }

    /// "Credentials": every key and session used, where from, with what, and whether it looks stolen.
    static func credentials(_ r: InvestigationReport) -> ReportSection {
        var s = ReportSection(
            title: "Credentials", empty: "No credential of these identities was used in the window.")
        guard !r.credentials.isEmpty else { return s }
        let rows = r.credentials.prefix(ReportText.maxRows).map { c -> [ReportCell] in
            [
                ReportCell(
                    [.code(c.accessKeyId.isEmpty ? "(none)" : c.accessKeyId)],
                    detail: c.instanceId.isEmpty ? [] : [.text("instance \(c.instanceId)")]),
                .code(IdentityName.short(c.identity)), .term(c.keyKind.rawValue),
                ReportCell([.term(ReportText.time(c.firstSeen)), .separator, .term(ReportText.time(c.lastSeen))]),
                .number(c.events), from(c), clients(c),
                ReportCell([.verdict(c.verdict)], detail: list(c.reasons.prefix(3).map { [.text($0)] })),
            ]
        }
        s.tables = [
            ReportTable(
                columns: columns(
                    ("Credential", 15), ("Identity", 15), ("Kind", 7), ("First / last use", 13), ("Calls", 5),
                    ("From", 18), ("Clients", 11), ("Verdict", 16)),
                rows: Array(rows), omitted: r.credentials.count - ReportText.maxRows + r.credentialsOmitted,
                noun: "credentials")
        ]
        s.footnotes = r.credentials.filter(\.verdict.isNotable).prefix(ReportText.maxRows).map { c in
            [.code(c.accessKeyId), .text(" (\(c.verdict.label)): " + c.reasons.joined(separator: "; "))]
        }
        return s
    }

    /// Up to four source addresses, new networks flagged, and how many more.
    private static func from(_ c: CredentialReport) -> ReportCell {
        var out = list(
            c.sources.prefix(4).map { s -> [ReportInline] in
                [.code(s.source)] + (s.newNetwork == true ? [.flag("new network")] : [])
            })
        if c.sources.count > 4 { out.append(.term(" +\(c.sources.count - 4)")) }
        return ReportCell(out)
    }

    /// Up to three client families in order of use (the full user agent as the hover title), new ones flagged.
    private static func clients(_ c: CredentialReport) -> ReportCell {
        var families: Set<UserAgentFamily> = []
        let agents = c.userAgents.filter { families.insert($0.family).inserted }.prefix(3)
        return ReportCell(
            list(
                agents.map { a -> [ReportInline] in
                    [.abbreviation(a.family.rawValue, full: a.userAgent)] + (a.newFamily == true ? [.flag("new")] : [])
                }))
    }

    /// "What was read": one table per resource kind, in `ReadOrder`.
    static func reads(_ r: InvestigationReport) -> ReportSection {
        var s = ReportSection(title: "What was read", empty: "No secrets, parameters, keys, buckets or objects read.")
        for kind in ReadOrder.kinds {
            let list = r.reads.filter { $0.kind == kind }
            guard !list.isEmpty else { continue }
            let first = list.filter { $0.firstTime == true }.count
            let rows = list.prefix(ReportText.maxRows).map { x -> [ReportCell] in
                [
                    ReportCell([.code(x.resource)] + (x.viaService ? [.aside("via AWS service")] : [])),
                    .code(IdentityName.short(x.identity)), .number(x.count),
                    x.denied > 0 ? ReportCell([.warning("\(x.denied)")]) : .number(0),
                    .time(x.firstSeen), .time(x.lastSeen),
                    x.firstTime == true ? ReportCell([.flag("first time")]) : .term(ReportText.firstTime(x.firstTime)),
                ]
            }
            s.tables.append(
                ReportTable(
                    heading: (
                        ReportText.kindTitle(kind),
                        "\(list.count)" + (first > 0 ? ", \(first) never read before the window" : "")
                    ),
                    columns: columns(
                        ("Resource", 36), ("Identity", 17), ("Reads", 6), ("Denied", 6), ("First", 12), ("Last", 12),
                        ("New?", 11)),
                    rows: Array(rows), omitted: list.count - ReportText.maxRows + (r.readsOmitted[kind.rawValue] ?? 0),
                    noun: "rows"))
        }
        return s
    }

    /// "What persists": users, keys, policies, trust changes the identities made, and their state now.
    static func persistence(_ r: InvestigationReport) -> ReportSection {
        var s = ReportSection(
            title: "What persists", empty: "Nothing created or changed that could give access later.")
        guard !r.persistence.isEmpty else { return s }
        let rows = r.persistence.prefix(ReportText.maxRows * 2).map { a -> [ReportCell] in
            let status: [ReportInline] =
                a.status == "active"
                ? [.alarm("ACTIVE")]
                : [
                    .settled(a.status), .term(" by "), .code(IdentityName.short(a.changedBy)),
                    .term(" at \(ReportText.time(a.changedAt))"),
                ]
            return [
                .term(a.kind.label), .code(ReportText.artifactName(a)), .text(a.detail),
                ReportCell([.code(IdentityName.short(a.createdBy))], detail: [.text(a.api)]), .time(a.time),
                ReportCell(status),
            ]
        }
        s.tables = [
            ReportTable(
                columns: columns(
                    ("What", 12), ("Identifier", 26), ("Detail", 22), ("By", 15), ("When", 12), ("Status now", 13)),
                rows: Array(rows), omitted: r.persistence.count - ReportText.maxRows * 2 + r.persistenceOmitted,
                noun: "artifacts")
        ]
        return s
    }

    /// "Adjacent trust": others who used what the chain created or opened; nil when the chain
    /// created nothing and nobody used anything (the section is left out).
    static func adjacent(_ r: InvestigationReport) -> ReportSection? {
        guard !r.adjacent.isEmpty || !r.persistence.isEmpty else { return nil }
        var s = ReportSection(
            title: "Adjacent trust",
            empty: "Nobody used the keys, users or roles the chain created or opened (in the logs read).")
        guard !r.adjacent.isEmpty else { return s }
        let rows = r.adjacent.prefix(ReportText.maxRows).map { a -> [ReportCell] in
            [
                .code(IdentityName.short(a.artifact)), .term(a.relation.replacingOccurrences("_", " ")),
                .code(IdentityName.short(a.usedBy)), .code(a.credential), .number(a.count), .time(a.firstSeen),
                ReportCell([.term(ReportText.time(a.lastSeen))] + (a.afterWindow ? [.flag("after window")] : [])),
                ReportCell(list(a.sources.map { [.code($0)] })),
            ]
        }
        s.tables = [
            ReportTable(
                columns: columns(
                    ("Used", 14), ("Relation", 11), ("By", 14), ("Credential", 15), ("Calls", 6), ("First", 12),
                    ("Last", 12), ("From", 16)),
                rows: Array(rows), omitted: r.adjacent.count - ReportText.maxRows + r.adjacentOmitted, noun: "rows")
        ]
        return s
    }

    private static func columns(_ c: (String, Int)...) -> [ReportColumn] {
        c.map { ReportColumn(name: $0.0, width: $0.1) }
    }

    /// Items joined by separators.
    private static func list(_ items: [[ReportInline]]) -> [ReportInline] {
        var out: [ReportInline] = []
        for (i, item) in items.enumerated() {
            if i > 0 { out.append(.separator) }
            out += item
        }
        return out
    }
}
