import EventModel

extension IncidentBuilder {
    /// Builds the incident of one group of clusters; nil when it stays below `minSeverity`.
    func incident(_ members: [Int], _ clusters: [Cluster], _ reached: [[Int]], _ graph: EdgeIndex) -> Incident? {
        var fs: [Finding] = []
        var edgeIdx: Set<Int> = []
        for m in members {
            fs.append(contentsOf: clusters[m].members.map { findings[$0] })
            edgeIdx.formUnion(reached[m])
        }
        fs.sort(by: Self.before)
        let chain = edgeIdx.sorted().map { graph.edges[$0] }
        guard let top = fs.max(by: { ($0.severity, -$0.firstSeen) < ($1.severity, -$1.firstSeen) }) else { return nil }
        let severity = overall(fs, chain)
        guard severity >= configuration.minSeverity else { return nil }
        let root = rootIdentity(fs, chain)
        let identities = orderedIdentities(root, fs, chain)
        let first = min(fs.map(\.firstSeen).min()!, chain.map(\.time).min() ?? .max)
        let last = max(fs.map(\.lastSeen).max()!, chain.map(\.time).max() ?? .min)
        let (timeline, omitted) = makeTimeline(fs, chain)
        var ids: [String] = []
        var seen: Set<String> = []
        for t in timeline { for id in t.eventIds where seen.insert(id).inserted && ids.count < 50 { ids.append(id) } }
        let account = fs.first { $0.identity == root }?.account ?? top.account
        return Incident(
            id: "inc-" + Self.hex(Self.fnv(root + "|" + String(first))), severity: severity,
            title: title(root, top, fs.count, identities), root: root, identities: identities, account: account,
            firstSeen: first, lastSeen: last, findingCount: fs.count, findingIds: fs.map(\.id),
            detectors: Array(Set(fs.map(\.detector))).sorted(), mitre: Array(Set(fs.flatMap(\.mitre))).sorted(),
            chain: chain, timeline: timeline, timelineOmitted: omitted, eventIds: ids)
    }

    private func overall(_ fs: [Finding], _ chain: [ChainEdge]) -> Severity {
        let worst = fs.map(\.severity).max() ?? .info
        let identitiesWithFindings = Set(fs.filter { $0.severity >= .low }.map(\.identity)).count
        let persistence = chain.contains {
            $0.kind == .createdUser || $0.kind == .createdAccessKey || $0.kind == .createdLoginProfile
                || $0.kind == .changedTrust
        }
        if (identitiesWithFindings >= 2 && worst >= .low) || (persistence && worst >= .medium) { return worst.raised }
        return worst
    }

    /// The earliest finding's identity that no chain edge of the group leads to.
    private func rootIdentity(_ fs: [Finding], _ chain: [ChainEdge]) -> String {
        let targets = Set(chain.map(\.to))
        return fs.first { !targets.contains($0.identity) }?.identity ?? fs[0].identity
    }

    private func orderedIdentities(_ root: String, _ fs: [Finding], _ chain: [ChainEdge]) -> [String] {
        var all = Set(fs.map(\.identity))
        for e in chain {
            all.insert(e.from)
            all.insert(e.to)
        }
        all.remove(root)
        all.remove("")
        return Array(([root] + all.sorted()).prefix(configuration.maxIdentities))
    }

    private func title(_ root: String, _ top: Finding, _ count: Int, _ identities: [String]) -> String {
        var t = IdentityName.short(root) + ": " + top.title
        let others = identities.dropFirst()
        if !others.isEmpty {
            let names = others.prefix(3).map(IdentityName.short).joined(separator: ", ")
            t += " → " + names + (others.count > 3 ? " and \(others.count - 3) more" : "")
        }
        if count > 1 { t += " (\(count) findings)" }
        return t.count > 240 ? String(t.prefix(239)) + "…" : t
    }

    private func makeTimeline(_ fs: [Finding], _ chain: [ChainEdge]) -> ([IncidentEntry], Int) {
        var entries: [(priority: Int, entry: IncidentEntry)] = []
        for f in fs {
            let e = IncidentEntry(
                kind: .finding, time: f.firstSeen, identity: f.identity, severity: f.severity, what: f.detector,
                title: f.title, eventIds: f.eventIds)
            entries.append((f.severity >= configuration.minSeverity ? 0 : 1, e))
        }
        for c in chain {
            var text =
                "\(IdentityName.short(c.from)) \(c.kind.phrase) \(IdentityName.short(c.to))"
                + (c.credential.isEmpty ? "" : " (\(c.credential))")
            // A workload step starts at the client address that reached the code endpoint.
            if c.kind == .workload && !c.detail.isEmpty { text = c.detail + ": " + text }
            let e = IncidentEntry(
                kind: .chain, time: c.time, identity: c.from, severity: nil, what: c.kind.rawValue, title: text,
                eventIds: c.eventId.isEmpty ? [] : [c.eventId])
            entries.append((0, e))
        }
        let byTime: (IncidentEntry, IncidentEntry) -> Bool = {
            ($0.time, $0.kind.rawValue, $0.what, $0.identity) < ($1.time, $1.kind.rawValue, $1.what, $1.identity)
        }
        let kept = entries.sorted { ($0.priority, $0.entry.time) < ($1.priority, $1.entry.time) }
            .prefix(configuration.maxTimeline).map(\.entry)
        return (kept.sorted(by: byTime), entries.count - kept.count)
    }

    static func fnv(_ s: String) -> UInt64 {
        var h = FNV1a()
        h.add(s)
        return h.value
    }

    static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}

/// Short readable forms of identity keys.
public enum IdentityName {
    /// `role/web-app` for `arn:aws:iam::123:role/web-app`, `user/alice`, `root (123…)`; other keys unchanged.
    public static func short(_ key: String) -> String {
        guard key.hasPrefix("arn:") else { return key }
        let parts = key.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6 else { return key }
        let resource = String(parts[5])
        if resource == "root" { return "root (\(parts[4]))" }
        if resource.hasPrefix("role/") || resource.hasPrefix("user/") {
            let kind = resource.hasPrefix("role/") ? "role/" : "user/"
            return kind + (resource.split(separator: "/").last.map(String.init) ?? resource)
        }
        return resource
    }

    /// Account id inside an ARN key (empty when none).
    public static func account(_ key: String) -> String {
        let parts = key.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return parts.count == 6 ? String(parts[4]) : ""
    }
}
