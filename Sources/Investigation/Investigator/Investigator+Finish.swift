import Baselines
import EventModel

extension Investigator {
    /// Builds the report. `before` is the baseline as it was when the window
    /// started (events before `--from`, plus a saved state); nil when none.
    public func finish(before: BaselineStore?) -> InvestigationReport {
        var input = counts
        input.baselineIdentities = before?.identityCount ?? 0
        let profiles = Dictionary(
            uniqueKeysWithValues: principals.map { p in
                (p.key, Baseline(profile: before?.profile(p.key), now: window.from ?? (p.first == .max ? 0 : p.first)))
            })
        let principalReports = principals.sorted { ($0.depth, $0.key) < ($1.depth, $1.key) }
            .map { principalReport($0, profiles[$0.key]!) }
        let (creds, credsOmitted) = credentialReports(profiles)
        let readReports = readReportsSorted(profiles)
        let (fs, fsOmitted) = matchedFindings()
        let persistence = artifacts.values.sorted { ($0.time, $0.kind, $0.id) < ($1.time, $1.kind, $1.id) }
        let adj = adjacent.values.sorted {
            ($0.firstSeen, $0.artifact, $0.usedBy) < ($1.firstSeen, $1.artifact, $1.usedBy)
        }
        let chain = edges.sorted { ($0.time, $0.from, $0.to, $0.kind) < ($1.time, $1.from, $1.to, $1.kind) }
        var report = InvestigationReport(
            target: target, rootIdentity: rootIdentity, window: window, verdict: .quiet, reasons: [], input: input,
            principals: principalReports, credentials: creds, credentialsOmitted: credsOmitted, reads: readReports,
            readsOmitted: readsOmitted, chain: chain, persistence: persistence, persistenceOmitted: artifactsOmitted,
            adjacent: adj, adjacentOmitted: adjacentOmitted, remediation: [], activity: activity(fs),
            findings: Array(fs.prefix(500)), findingsOmitted: fsOmitted + max(0, fs.count - 500), notes: [])
        (report.verdict, report.reasons) = Verdicts.assess(report)
        report.remediation = Remediation.plan(report)
        report.notes = notes(profiles)
        return report
    }

    /// The "before" baseline of one identity.
    struct Baseline {
        let profile: IdentityProfile?
        let now: Int64

        init(profile: IdentityProfile?, now: Int64) {
            self.profile = (profile?.events ?? 0) > 0 ? profile : nil
            self.now = now
        }

        var exists: Bool { profile != nil }

        func isNew(_ body: (IdentityProfile) -> Bool) -> Bool? { profile.map { !body($0) } }
    }

    private func principalReport(_ p: PrincipalState, _ b: Baseline) -> PrincipalReport {
        let apis = p.apis.map { key, a in
            APIUse(
                api: key, count: a.count, errors: a.errors, firstSeen: a.first,
                firstTime: b.isNew { $0.api(Hash64.api(service: a.service, operation: a.operation), now: b.now) != nil }
            )
        }.sorted { ($0.count, $1.api) > ($1.count, $0.api) }
        let regions = p.regions.map { NameCount(name: $0.key, count: $0.value) }.sorted {
            ($0.count, $1.name) > ($1.count, $0.name)
        }
        return PrincipalReport(
            identity: p.key, type: p.type, depth: p.depth, via: p.via,
            scopeCredentials: p.whole ? [] : (p.credentials.sorted() + p.sessions.sorted().map { "session:" + $0 }),
            events: p.events, errors: p.errors, denied: p.denied, firstSeen: p.events > 0 ? p.first : 0,
            lastSeen: p.events > 0 ? p.last : 0,
            baselineDays: b.profile.map { Int($0.baselineDays(now: b.now).rounded(.down)) },
            apis: Array(apis.prefix(configuration.maxAPIsPerPrincipal)), apisOmitted: p.apisOmitted, regions: regions)
    }

    private func credentialReports(_ profiles: [String: Baseline]) -> ([CredentialReport], Int) {
        let list = credentials.values.map { c -> CredentialReport in
            let b = profiles[c.identity]!
            let sources = c.sources.map { src, s in
                SourceUse(
                    source: src,
                    network: s.service ? "via AWS service" : s.network.map(NetworkKey.describe) ?? "unknown",
                    count: s.count, firstSeen: s.first, lastSeen: s.last,
                    newNetwork: s.network == nil
                        ? (s.service ? false : nil) : b.isNew { $0.network(s.network!, now: b.now) != nil })
            }.sorted { ($0.count, $1.source) > ($1.count, $0.source) }
            let agents = c.agents.map { ua, a in
                AgentUse(
                    userAgent: ua, family: a.family, count: a.count,
                    newFamily: a.family.isNonClient ? false : b.isNew { $0.userAgent(a.family, now: b.now) != nil })
            }.sorted { ($0.count, $1.userAgent) > ($1.count, $0.userAgent) }
            var r = CredentialReport(
                accessKeyId: c.accessKeyId, keyKind: c.keyKind, identity: c.identity,
                sessionNames: c.sessionNames.sorted(),
                instanceId: c.instanceId, firstSeen: c.first, lastSeen: c.last, events: c.events, sources: sources,
                sourcesOmitted: c.sourcesOmitted, userAgents: agents, userAgentsOmitted: c.agentsOmitted,
                verdict: .normal,
                reasons: [])
            (r.verdict, r.reasons) = Verdicts.credential(
                r, hasBaseline: b.exists, createdByChain: createdKeys[c.accessKeyId] != nil)
            return r
        }
        let sorted = list.sorted {
            ($0.identity, $0.firstSeen, $0.accessKeyId) < ($1.identity, $1.firstSeen, $1.accessKeyId)
        }
        let order = Dictionary(uniqueKeysWithValues: principals.enumerated().map { ($1.key, $0) })
        let byPrincipal = sorted.sorted { (order[$0.identity] ?? 0) < (order[$1.identity] ?? 0) }
        return (byPrincipal, credentialsOmitted)
    }

    private func readReportsSorted(_ profiles: [String: Baseline]) -> [ReadReport] {
        reads.values.map { r in
            let b = profiles[r.identity]!
            let firstTime: Bool?
            switch r.kind {
            case .object:
                let bucket = String(r.resource.split(separator: "/", maxSplits: 1).first ?? "")
                firstTime = b.isNew { p in
                    [bucket, "arn:aws:s3:::" + bucket].contains { p.resource(.bucket, $0, now: b.now) != nil }
                }
            case .secret, .parameter, .kmsKey, .bucket, .instance:
                firstTime = b.isNew { p in
                    ([r.resource] + r.aliases).contains { p.resource(r.kind, $0, now: b.now) != nil }
                }
            default:
                firstTime = nil
            }
            let parameter = r.kind == .parameter ? history.parameters[r.resource] : nil
            return ReadReport(
                kind: r.kind, resource: r.resource, identity: r.identity, count: r.count, denied: r.denied,
                firstSeen: r.first, lastSeen: r.last, apis: r.apis.sorted(), firstTime: firstTime,
                viaService: r.viaService, parameterType: parameter?.type ?? "", parameterKeyId: parameter?.keyId ?? "")
        }.sorted {
            (ReadOrder.rank($0.kind), $0.firstSeen, $0.resource, $0.identity) < (
                ReadOrder.rank($1.kind), $1.firstSeen, $1.resource, $1.identity
            )
        }
    }

    /// Findings about the investigated identities: all of a fully investigated identity's
    /// (from when it was reached), and those whose evidence is one of a session's calls.
    private func matchedFindings() -> ([FindingSummary], Int) {
        var out: [FindingSummary] = []
        for f in findings {
            guard let p = byKey[f.identity], f.lastSeen >= p.since else { continue }
            if !p.whole && !p.eventIdsFull && !f.eventIds.contains(where: { p.eventIds.contains(Clip.hash($0)) }) {
                continue
            }
            out.append(
                FindingSummary(
                    detector: f.detector, severity: f.severity, identity: f.identity, firstSeen: f.firstSeen,
                    lastSeen: f.lastSeen, count: f.count, title: f.title, explanation: f.explanation, mitre: f.mitre,
                    eventIds: f.eventIds))
        }
        out.sort {
            ($1.severity, $0.firstSeen, $0.detector, $0.identity) < (
                $0.severity, $1.firstSeen, $1.detector, $1.identity
            )
        }
        return (out, findingsDropped)
    }

    private func activity(_ fs: [FindingSummary]) -> ActivityReport {
        guard let lo = hours.keys.min(), let hi = hours.keys.max() else {
            return ActivityReport(bucketHours: 1, buckets: [], markers: [])
        }
        let span = hi - lo + 1
        let steps: [Int64] = [1, 2, 3, 4, 6, 12, 24, 48, 72, 168, 336, 720]
        let step =
            steps.first { (span + $0 - 1) / $0 <= Int64(configuration.maxBuckets) }
            ?? (span + Int64(configuration.maxBuckets) - 1) / Int64(configuration.maxBuckets)
        let base = lo - ((lo % step) + step) % step
        let n = Int((hi - base) / step) + 1
        var buckets = (0..<n).map {
            ActivityBucket(
                start: (base + Int64($0) * step) * 3_600_000,
                counts: [Int](repeating: 0, count: ActivityReport.categories.count))
        }
        for (h, c) in hours {
            let i = Int((h - base) / step)
            for k in c.indices { buckets[i].counts[k] += c[k] }
        }
        let markers = fs.map { ActivityMarker(time: $0.firstSeen, severity: $0.severity, detector: $0.detector) }
            .sorted { ($0.time, $0.detector) < ($1.time, $1.detector) }
        return ActivityReport(bucketHours: Int(step), buckets: buckets, markers: Array(markers.prefix(200)))
    }

    private func notes(_ profiles: [String: Baseline]) -> [String] {
        var out: [String] = []
        if principals.isEmpty || counts.matched == 0 {
            out.append(
                "No event in the window matched \(target.text); check the identity key (see `trailhound baseline list`) and the window."
            )
        }
        let without = principals.filter { profiles[$0.key]?.exists != true }.map { IdentityName.short($0.key) }
        if !without.isEmpty {
            out.append(
                "No baseline before the window for \(Lists.join(without, max: 6)): \"first time\" judgements are not available for them (give --from with earlier logs in PATH, or --state)."
            )
        }
        if edgesNotFollowed > 0 {
            out.append("\(edgesNotFollowed) chain step(s) not followed (depth or identity limit).")
        }
        if credentialsOmitted > 0 {
            out.append("\(credentialsOmitted) call(s) of further credentials not summarized (credential limit).")
        }
        let readsCut = readsOmitted.values.reduce(0, +)
        if readsCut > 0 { out.append("\(readsCut) read(s) of further resources not listed (resource limit).") }
        if findingsDropped > 0 { out.append("\(findingsDropped) finding(s) dropped by the finding limit.") }
        if hoursOmitted > 0 { out.append("\(hoursOmitted) event(s) left off the activity chart (hour limit).") }
        return out
    }
}

/// Display order of resource kinds in the reads section.
enum ReadOrder {
    static let kinds: [ResourceKind] = [.secret, .parameter, .kmsKey, .k8sSecret, .instance, .bucket, .object]

    static func rank(_ k: ResourceKind) -> Int { kinds.firstIndex(of: k) ?? kinds.count }
}

/// "a, b, c and 4 more".
enum Lists {
    static func join(_ items: [String], max: Int) -> String {
        if items.count <= max { return items.joined(separator: ", ") }
        return items.prefix(max).joined(separator: ", ") + " and \(items.count - max) more"
    }
}
