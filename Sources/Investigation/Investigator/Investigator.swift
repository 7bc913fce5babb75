import Baselines
import EventModel

/// Builds an investigation report for one identity from a stream of events
/// and findings; no I/O, event time only. Feed every event of the input (in
/// roughly time order, duplicates removed) to `observe(_:)` and every finding
/// the detectors emit to `add(_:)`; then `finish(before:)`.
///
/// The identity set grows while reading: when an investigated identity, inside
/// the window, assumes a role, creates a user or an access key, or sets a
/// console password, the target is investigated too (up to `maxDepth` steps).
/// A role reached through AssumeRole is followed only through the session it
/// got (its session key, else its session name): other people's sessions of the
/// same role are not attributed. Events before the window are not kept (the
/// caller builds the "before" baseline from them); events after the window
/// are read only for removals of persistence and for later use of what the
/// chain created. Memory is bounded: per-identity summaries with caps, never
/// the events themselves.
public final class Investigator {
    /// Limits.
    public struct Configuration: Sendable {
        /// Chain steps followed from the target.
        public var maxDepth = 3
        /// Identities investigated.
        public var maxPrincipals = 32
        /// Credentials tracked.
        public var maxCredentials = 500
        /// Source addresses kept per credential.
        public var maxSourcesPerCredential = 16
        /// User agents kept per credential.
        public var maxAgentsPerCredential = 8
        /// APIs kept per identity.
        public var maxAPIsPerPrincipal = 300
        /// Distinct resources read kept.
        public var maxReads = 5000
        /// Persistence artifacts kept.
        public var maxArtifacts = 1000
        /// Adjacent uses kept.
        public var maxAdjacent = 500
        /// Findings kept.
        public var maxFindings = 5000
        /// Event ids remembered per partially scoped identity (to match findings).
        public var maxEventIdsPerPrincipal = 200_000
        /// Distinct hours of activity kept.
        public var maxActivityHours = 100_000
        /// Bars on the activity chart.
        public var maxBuckets = 96
        /// Recent unattributed events kept so that a chained session whose first calls were read
        /// before the call that opened it is still complete (files of several regions interleave).
        public var maxHeldEvents = 4096
        /// AI-workflow servers and their workload identities: a `workflow.*` finding of medium or
        /// above about an investigated identity's request to such a server is followed to the
        /// workload identity (`ChainKind.workload`), whose calls from then on are investigated too.
        public var workloads: [Workload] = []

        /// Defaults.
        public init() {}
    }

    /// The identity as asked.
    public let target: InvestigationTarget
    /// The window investigated.
    public let window: TimeWindow
    /// Limits.
    public let configuration: Configuration

    var principals: [PrincipalState] = []
    var byKey: [String: PrincipalState] = [:]
    var byCredential: [String: PrincipalState] = [:]
    var edges: [ChainEdge] = []
    var edgesNotFollowed = 0
    var credentials: [String: CredentialState] = [:]
    var credentialsOmitted = 0
    var reads: [String: ReadState] = [:]
    var readsOmitted: [String: Int] = [:]
    var artifacts: [String: ArtifactReport] = [:]
    var artifactsByOwner: [String: [String]] = [:]
    var artifactsOmitted = 0
    var createdKeys: [String: Int64] = [:]
    var createdUsers: [String: Int64] = [:]
    var doors: [String: (time: Int64, depth: Int)] = [:]
    var adjacent: [String: AdjacentReport] = [:]
    var adjacentOmitted = 0
    var hours: [Int64: [Int]] = [:]
    var hoursOmitted = 0
    var findings: [Finding] = []
    var findingsDropped = 0
    var held: [Event] = []
    var workloadEdges: [ChainEdge] = []
    var counts = InputCounts()
    var nameMatches: Set<String> = []
    var history = ResourceHistory()

    /// Creates an investigator.
    public init(
        target: InvestigationTarget, window: TimeWindow = TimeWindow(), configuration: Configuration = Configuration()
    ) {
        self.target = target
        self.window = window
        self.configuration = configuration
        if target.kind == .identity { _ = addRoot(key: target.text) }
    }

    /// Canonical key of the target once resolved (empty before).
    public var rootIdentity: String { principals.first?.key ?? "" }

    /// Identity keys investigated so far (the set grows as chains are found).
    public var identityKeys: [String] { principals.map(\.key) }

    /// For a short-name target: every identity key in the input (before, in or after the
    /// window) that the name matches, sorted; at most 16. More than one means the name is
    /// ambiguous and the report is about the first one met (the caller refuses it).
    public var nameCandidates: [String] { nameMatches.sorted() }

    /// Folds one event in.
    public func observe(_ e: Event) {
        counts.events += 1
        // After the event is attributed: a trust change recorded as persistence keeps the policy before it.
        defer { history.observe(e) }
        if target.kind == .name, nameMatches.count < 16, target.query.names(key: e.identity.key) {
            nameMatches.insert(e.identity.key)
        }
        if window.isBefore(e.time) {
            counts.before += 1
            return
        }
        let after = window.isAfter(e.time)
        if after { counts.after += 1 }
        if !artifacts.isEmpty && e.outcome.isSuccess && PersistenceRules.mayRemove(e.action.operation) {
            applyRemovals(e)
        }
        if !createdKeys.isEmpty || !createdUsers.isEmpty || !doors.isEmpty { adjacentUse(e, after: after) }
        guard !after else { return }
        guard let p = principal(for: e) else {
            hold(e)
            return
        }
        counts.matched += 1
        attribute(e, to: p)
    }

    /// Keeps a recent unattributed event: files of several regions are read in delivery order,
    /// so a chained session's first calls can arrive just before the AssumeRole that opens it.
    private func hold(_ e: Event) {
        guard configuration.maxHeldEvents > 0, !e.identity.accessKeyId.isEmpty || !e.identity.key.isEmpty else {
            return
        }
        if held.count >= configuration.maxHeldEvents { held.removeFirst(held.count / 4) }
        held.append(e)
    }

    /// Attributes held events that the principal's widened scope now covers.
    func replayHeld(for p: PrincipalState) {
        guard !held.isEmpty else { return }
        var matched: [Event] = []
        held.removeAll { e in
            guard p.key == e.identity.key || p.credentials.contains(e.identity.accessKeyId), p.matches(e) else {
                return false
            }
            matched.append(e)
            return true
        }
        for e in matched.sorted(by: { $0.time < $1.time }) {
            counts.matched += 1
            attribute(e, to: p)
        }
    }

    /// Records a finding (kept when it overlaps the window; matched to the identities at the end).
    public func add(_ f: Finding) {
        guard window.overlaps(f.firstSeen, f.lastSeen) else { return }
        if findings.count < configuration.maxFindings {
            findings.append(f)
        } else if f.severity > .low, let i = findings.firstIndex(where: { $0.severity <= .low }) {
            findings[i] = f
            findingsDropped += 1
        } else {
            findingsDropped += 1
        }
        if !configuration.workloads.isEmpty { linkWorkload(f) }
    }

    private func principal(for e: Event) -> PrincipalState? {
        if let p = byKey[e.identity.key], p.matches(e) { return p }
        if !e.identity.accessKeyId.isEmpty, let p = byCredential[e.identity.accessKeyId], e.time >= p.since { return p }
        if principals.isEmpty, target.matches(e) { return addRoot(event: e) }
        return nil
    }

    private func addRoot(key: String) -> PrincipalState {
        let p = PrincipalState(key: key, depth: 0, via: nil, whole: true, since: .min)
        principals.append(p)
        byKey[key] = p
        return p
    }

    private func addRoot(event e: Event) -> PrincipalState {
        let key = e.identity.key.isEmpty ? target.text : e.identity.key
        let p = PrincipalState(key: key, depth: 0, via: nil, whole: target.kind == .name, since: .min)
        switch target.kind {
        case .accessKey:
            p.credentials.insert(target.text)
            byCredential[target.text] = p
        case .session:
            p.sessions.insert(e.identity.sessionName)
        case .identity, .name:
            break
        }
        principals.append(p)
        byKey[key] = p
        return p
    }

    private func attribute(_ e: Event, to p: PrincipalState) {
        p.events += 1
        if e.identity.type != .unknown { p.type = e.identity.type }
        p.first = min(p.first, e.time)
        p.last = max(p.last, e.time)
        if !e.outcome.isSuccess {
            p.errors += 1
            if e.outcome.isAccessDenied { p.denied += 1 }
        }
        if !p.whole, !p.eventIdsFull, !e.eventId.isEmpty {
            p.eventIds.insert(Clip.hash(e.eventId))
            if p.eventIds.count >= configuration.maxEventIdsPerPrincipal { p.eventIdsFull = true }
        }
        recordAPI(e, p)
        if !e.region.isEmpty, p.regions[e.region] != nil || p.regions.count < 64 {
            p.regions[e.region, default: 0] += 1
        }
        recordCredential(e, p)
        recordActivity(e)
        recordReads(e, p)
        guard e.outcome.isSuccess else { return }
        for a in PersistenceRules.created(by: e) { recordArtifact(a, e) }
        for edge in ChainEdges.of(e) { follow(edge, from: p) }
        if !workloadEdges.isEmpty { followWorkloads(from: p) }
    }

    private func recordAPI(_ e: Event, _ p: PrincipalState) {
        let key = e.action.key
        if p.apis[key] == nil {
            guard p.apis.count < configuration.maxAPIsPerPrincipal else {
                p.apisOmitted += 1
                return
            }
            p.apis[key] = APIState(first: e.time, service: e.action.service, operation: e.action.operation)
        }
        p.apis[key]!.count += 1
        if !e.outcome.isSuccess { p.apis[key]!.errors += 1 }
        p.apis[key]!.first = min(p.apis[key]!.first, e.time)
    }

    private func recordCredential(_ e: Event, _ p: PrincipalState) {
        let id = e.identity.accessKeyId
        let key = p.key + "|" + id
        let c: CredentialState
        if let found = credentials[key] {
            c = found
        } else {
            guard credentials.count < configuration.maxCredentials else {
                credentialsOmitted += 1
                return
            }
            c = CredentialState(accessKeyId: id, identity: p.key, keyKind: e.identity.keyKind, time: e.time)
            credentials[key] = c
        }
        c.events += 1
        c.first = min(c.first, e.time)
        c.last = max(c.last, e.time)
        let session = e.identity.sessionName
        if !session.isEmpty, c.sessionNames.count < 4, !c.sessionNames.contains(session) {
            c.sessionNames.append(Clip.text(session, 128))
        }
        if !e.identity.instanceId.isEmpty { c.instanceId = e.identity.instanceId }
        recordSource(e, c)
        let ua = Clip.text(e.userAgent.raw, 160)
        if c.agents[ua] != nil || c.agents.count < configuration.maxAgentsPerCredential {
            c.agents[ua, default: AgentState(family: e.userAgent.family)].count += 1
        } else {
            c.agentsOmitted += 1
        }
    }

    private func recordSource(_ e: Event, _ c: CredentialState) {
        let source: String
        var net: UInt64? = nil
        switch e.source.kind {
        case .ip:
            source = e.source.ips.first ?? Clip.text(e.source.raw, 64)
            net = NetworkKey.of(ip: source)
        case .awsService: source = Clip.text(e.source.raw, 64)
        case .unknown: source = "unknown"
        }
        if c.sources[source] == nil {
            guard c.sources.count < configuration.maxSourcesPerCredential else {
                c.sourcesOmitted += 1
                return
            }
            c.sources[source] = SourceState(
                network: net, service: e.source.kind == .awsService, first: e.time, last: e.time)
        }
        c.sources[source]!.count += 1
        c.sources[source]!.first = min(c.sources[source]!.first, e.time)
        c.sources[source]!.last = max(c.sources[source]!.last, e.time)
    }

    private func recordActivity(_ e: Event) {
        let hour = e.time >= 0 ? e.time / 3_600_000 : (e.time - 3_599_999) / 3_600_000
        if hours[hour] == nil {
            guard hours.count < configuration.maxActivityHours else {
                hoursOmitted += 1
                return
            }
            hours[hour] = [Int](repeating: 0, count: ActivityReport.categories.count)
        }
        hours[hour]![Self.category(e)] += 1
    }

    /// Index into `ActivityReport.categories`.
    static func category(_ e: Event) -> Int {
        if !e.outcome.isSuccess { return 4 }
        if ReadRules.isDataRead(e) { return 0 }
        if e.action.service == "sts" || e.action.operation == "ConsoleLogin" { return 3 }
        return e.action.isReadOnly ? 1 : 2
    }

    private func recordReads(_ e: Event, _ p: PrincipalState) {
        ReadRules.reads(e) { kind, id, raw, api in
            let key = p.key + "|" + kind.rawValue + "|" + id
            if reads[key] == nil {
                guard reads.count < configuration.maxReads else {
                    readsOmitted[kind.rawValue, default: 0] += 1
                    return
                }
                reads[key] = ReadState(
                    kind: kind, resource: Clip.text(id, 512), identity: p.key, first: e.time, last: e.time)
            }
            if e.outcome.isSuccess { reads[key]!.count += 1 } else { reads[key]!.denied += 1 }
            reads[key]!.first = min(reads[key]!.first, e.time)
            reads[key]!.last = max(reads[key]!.last, e.time)
            if reads[key]!.apis.count < 6 { reads[key]!.apis.insert(api) }
            if e.source.kind == .awsService { reads[key]!.viaService = true }
            if reads[key]!.aliases.count < 3, !reads[key]!.aliases.contains(raw) { reads[key]!.aliases.append(raw) }
        }
    }
}
