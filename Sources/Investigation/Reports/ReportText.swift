import EventModel

/// Wording shared by the Markdown and HTML reports.
enum ReportText {
    /// Rows shown per table before "and N more".
    static let maxRows = 25

    /// `2025-06-10 14:22:00Z`-style short time (UTC), or "—".
    static func time(_ ms: Int64) -> String {
        guard ms != 0 else { return "—" }
        let s = Timestamp.format(ms)
        return String(s.replacingOccurrences("T", " "))
    }

    /// "from → to" of the window.
    static func window(_ w: TimeWindow) -> String {
        switch (w.from, w.to) {
        case (nil, nil): return "all events in the input"
        case (let f?, nil): return "from \(time(f))"
        case (nil, let t?): return "until \(time(t))"
        case (let f?, let t?): return "\(time(f)) → \(time(t))"
        }
    }

    /// Readable title for a resource kind.
    static func kindTitle(_ k: ResourceKind) -> String {
        switch k {
        case .secret: "Secrets"
        case .parameter: "SSM parameters"
        case .kmsKey: "KMS keys"
        case .k8sSecret: "Kubernetes secrets"
        case .instance: "Instance passwords"
        case .bucket: "Buckets"
        case .object: "Objects"
        default: k.rawValue
        }
    }

    /// "yes" / "no" / "unknown" for an optional first-time flag.
    static func firstTime(_ b: Bool?) -> String {
        switch b {
        case true?: "first time"
        case false?: "read before"
        case nil: "unknown"
        }
    }

    /// Readable identifier of an artifact: `user/x` rather than `arn:…:user/x|policy` (the JSON keeps the full id).
    static func artifactName(_ a: ArtifactReport) -> String {
        let first = a.id.split(separator: "|", maxSplits: 1).first.map(String.init) ?? a.id
        return a.kind == .keyPair
            ? (a.id.split(separator: "|").last.map(String.init) ?? a.id) : IdentityName.short(first)
    }

    /// Summary counts: label → value.
    static func counts(_ r: InvestigationReport) -> [(String, String)] {
        let secretReads = r.reads.filter {
            [.secret, .parameter, .kmsKey, .k8sSecret].contains($0.kind) && $0.count > 0 && !$0.viaService
        }
        let firstTime = secretReads.filter { $0.firstTime == true }.count
        let flagged = r.credentials.filter(\.verdict.isFlagged).count
        let active = r.persistence.filter { $0.status == "active" }.count
        let objects = r.reads.filter { $0.kind == .object && $0.count > 0 }.count
        return [
            ("Identities", "\(r.principals.count)"),
            ("Findings", "\(r.findings.count + r.findingsOmitted)"),
            ("Credentials flagged", "\(flagged) of \(r.credentials.count)"),
            ("Secrets read", "\(secretReads.count)" + (firstTime > 0 ? " (\(firstTime) first time)" : "")),
            ("Objects read", "\(objects)"),
            ("Persistence active", "\(active) of \(r.persistence.count)"),
        ]
    }

    /// Chain edges as an indented tree from the root (text lines, without markup).
    static func tree(_ r: InvestigationReport) -> [(depth: Int, text: String)] {
        var out: [(Int, String)] = []
        var seen: Set<String> = []
        let byFrom = Dictionary(grouping: r.chain, by: \.from)
        func walk(_ id: String, _ depth: Int) {
            guard depth < 8, seen.insert(id).inserted else { return }
            let list = byFrom[id] ?? []
            for (i, e) in list.enumerated() {
                var t = "\(e.kind.phrase) \(IdentityName.short(e.to)) at \(time(e.time))"
                if !e.credential.isEmpty { t += " (\(e.credential))" }
                if !e.detail.isEmpty { t += " — \(e.detail)" }
                out.append((depth, (i == list.count - 1 ? "└─ " : "├─ ") + t))
                if e.to != id { walk(e.to, depth + 1) }
            }
        }
        walk(r.rootIdentity, 0)
        for e in r.chain where !seen.contains(e.from) {
            out.append(
                (
                    0,
                    "└─ "
                        + "\(IdentityName.short(e.from)) \(e.kind.phrase) \(IdentityName.short(e.to)) at \(time(e.time))"
                ))
        }
        return out
    }
}
