import EventModel

/// Groups findings into incidents: findings about the same identity close in
/// time (gaps of at most `window`), joined with the findings of the
/// identities it chained into (roles it assumed, users and keys it created,
/// roles whose trust it rewrote) shortly after. No I/O; event time only.
///
/// Feed it with `observe(_:)` (every event, or only those whose operation is
/// in `ChainEdges.operations`) and `add(_:)` (every finding), then call
/// `finish()` (a scan), or `close(before:)` repeatedly (a live service). Rules:
/// - A chain is followed only from a cluster whose worst finding is at least
///   `minSeverity` (a legitimate admin with a stray low finding who assumes
///   the same role as an attacker is not pulled into the attacker's incident),
///   through identities without findings, up to `maxDepth` steps, each step
///   within `window` of the previous one.
/// - Severity is the worst finding's, raised one step (capped at critical)
///   when findings of two or more identities are joined, or when the chain
///   planted persistence (user, access key, console password, trust change)
///   and the worst finding is at least medium.
/// - Incidents below `minSeverity` are not reported (their findings still are).
/// Bounded: at most `maxFindings` findings (lower-severity ones are replaced
/// first) and `maxEdges` chain edges (old edges of identities without
/// findings are pruned as the watermark advances).
public final class IncidentBuilder {
    /// Settings.
    public struct Configuration: Sendable {
        /// Gap between findings of one identity, and reach of a chain step (ms).
        public var window: Int64 = 7_200_000
        /// Least severity of a reported incident, and of a cluster whose chain is followed.
        public var minSeverity: Severity = .medium
        /// Findings kept.
        public var maxFindings = 20_000
        /// Chain edges kept.
        public var maxEdges = 20_000
        /// Timeline entries per incident.
        public var maxTimeline = 100
        /// Identities listed per incident.
        public var maxIdentities = 32
        /// Chain steps followed from a cluster.
        public var maxDepth = 4
        /// Tolerated disorder of event times (ms).
        public var skew: Int64 = 300_000
        /// AI-workflow servers and their workload identities: a finding of a `workflow.*`
        /// detector at `minSeverity` or above about a request to such a server becomes a chain
        /// edge (`ChainKind.workload`) to the identity, so the identity's findings within
        /// `window` join the same incident.
        public var workloads: [Workload] = []

        /// Defaults.
        public init() {}
    }

    /// Effective settings.
    public let configuration: Configuration
    var findings: [Finding] = []
    var replaceCursor = 0
    var edges: [ChainEdge] = []
    var withFindings: Set<String> = []
    var watermark: Int64 = .min
    var edgesSincePrune = 0
    /// Open incidents already reported by `update(watermark:)`, with what they looked like
    /// then (`Incident.revision`), so a change is reported once as `updated`.
    var reported: [String: UInt64] = [:]
    /// Findings not kept because the store was full.
    public private(set) var droppedFindings = 0
    /// Chain edges dropped by the cap.
    public private(set) var droppedEdges = 0

    /// Creates a builder.
    public init(configuration: Configuration = Configuration()) { self.configuration = configuration }

    /// Records the chain edges of an event.
    public func observe(_ event: Event) {
        if event.time > watermark { watermark = event.time }
        guard ChainEdges.operations.contains(event.action.operation) else { return }
        for e in ChainEdges.of(event) { add(e) }
    }

    /// Records one chain edge.
    public func add(_ edge: ChainEdge) {
        edges.append(edge)
        edgesSincePrune += 1
        if edgesSincePrune >= 4096 || edges.count > configuration.maxEdges { prune() }
    }

    /// Records one finding.
    public func add(_ finding: Finding) {
        if !configuration.workloads.isEmpty { linkWorkload(finding) }
        if withFindings.count < 4 * configuration.maxFindings { withFindings.insert(finding.identity) }
        if findings.count < configuration.maxFindings {
            findings.append(finding)
            return
        }
        guard finding.severity >= configuration.minSeverity else {
            droppedFindings += 1
            return
        }
        while replaceCursor < findings.count && findings[replaceCursor].severity >= configuration.minSeverity {
            replaceCursor += 1
        }
        if replaceCursor < findings.count {
            findings[replaceCursor] = finding
            replaceCursor += 1
        }
        droppedFindings += 1
    }

    func prune() {
        edgesSincePrune = 0
        let horizon = watermark == .min ? Int64.min : watermark - 3 * configuration.window
        edges.removeAll { $0.time < horizon && !withFindings.contains($0.from) && !withFindings.contains($0.to) }
        if edges.count > configuration.maxEdges {
            let drop = edges.count - configuration.maxEdges
            edges.removeFirst(drop)
            droppedEdges += drop
        }
    }

    /// Groups everything recorded so far into incidents, most severe first.
    public func finish() -> [Incident] {
        let g = grouped()
        var out: [Incident] = []
        for members in g.groups {
            if let inc = incident(members, g.clusters, g.reached, g.graph) { out.append(inc) }
        }
        return Self.ordered(out)
    }

    /// Incremental use (a live service): returns the incidents whose last
    /// activity (finding or chain step) is older than `watermark - window`
    /// (event time), most severe first, and forgets their findings and chain
    /// edges, so memory stays bounded. Groups below `minSeverity` that are
    /// that old are forgotten without being reported. Groups still open stay.
    /// `update(watermark:)` also reports the open ones.
    public func close(before watermark: Int64) -> [Incident] {
        advance(to: watermark, reportOpen: false)
    }

    /// Findings currently held (open incidents), for metrics and tests.
    public var heldFindings: Int { findings.count }

    private static func ordered(_ list: [Incident]) -> [Incident] {
        list.sorted { ($0.severity, -$0.firstSeen, $0.id) > ($1.severity, -$1.firstSeen, $1.id) }
    }

    /// Clusters, the chain edges each reached, and the groups of clusters (sorted member lists).
    func grouped() -> (clusters: [Cluster], reached: [[Int]], graph: EdgeIndex, groups: [[Int]]) {
        let order = findings.indices.sorted { Self.before(findings[$0], findings[$1]) }
        let clusters = makeClusters(order)
        var uf = UnionFind(clusters.count)
        var reached = [[Int]](repeating: [], count: clusters.count)
        let graph = EdgeIndex(edges)
        var byIdentity: [String: [Int]] = [:]
        for (i, c) in clusters.enumerated() { byIdentity[c.identity, default: []].append(i) }
        for (i, c) in clusters.enumerated() where c.worst >= configuration.minSeverity && !c.identity.isEmpty {
            var visited: Set<Int> = []
            follow(
                c.identity, lo: c.first - configuration.window, hi: c.last + configuration.window, depth: 0,
                from: i, graph, byIdentity, clusters, &uf, &reached[i], &visited)
        }
        var groups: [Int: [Int]] = [:]
        for i in clusters.indices { groups[uf.find(i), default: []].append(i) }
        return (clusters, reached, graph, groups.values.map { $0.sorted() })
    }

    static func before(_ a: Finding, _ b: Finding) -> Bool {
        (a.firstSeen, a.identity, a.detector, a.key, a.lastSeen) < (
            b.firstSeen, b.identity, b.detector, b.key, b.lastSeen
        )
    }

    struct Cluster {
        var identity: String
        var first: Int64
        var last: Int64
        var worst: Severity
        var members: [Int]
    }

    private func makeClusters(_ order: [Int]) -> [Cluster] {
        var out: [Cluster] = []
        var open: [String: Int] = [:]
        for i in order {
            let f = findings[i]
            if !f.identity.isEmpty, let c = open[f.identity], f.firstSeen <= out[c].last + configuration.window {
                out[c].last = max(out[c].last, f.lastSeen)
                out[c].worst = max(out[c].worst, f.severity)
                out[c].members.append(i)
                continue
            }
            out.append(
                Cluster(identity: f.identity, first: f.firstSeen, last: f.lastSeen, worst: f.severity, members: [i]))
            if !f.identity.isEmpty { open[f.identity] = out.count - 1 }
        }
        return out
    }

    private func follow(
        _ identity: String, lo: Int64, hi: Int64, depth: Int, from origin: Int, _ graph: EdgeIndex,
        _ byIdentity: [String: [Int]], _ clusters: [Cluster], _ uf: inout UnionFind, _ reached: inout [Int],
        _ visited: inout Set<Int>
    ) {
        guard depth < configuration.maxDepth else { return }
        for ei in graph.from[identity] ?? [] {
            let e = graph.edges[ei]
            guard e.time >= lo, e.time <= hi, !visited.contains(ei) else { continue }
            visited.insert(ei)
            reached.append(ei)
            var until = e.time + configuration.window
            for ci in byIdentity[e.to] ?? [] {
                let d = clusters[ci]
                guard d.last >= e.time - configuration.skew, d.first <= e.time + configuration.window else { continue }
                uf.union(origin, ci)
                until = max(until, d.last + configuration.window)
            }
            follow(
                e.to, lo: e.time - configuration.skew, hi: until, depth: depth + 1, from: origin, graph, byIdentity,
                clusters, &uf, &reached, &visited)
        }
    }
}

/// Edges sorted by time and indexed by caller.
struct EdgeIndex {
    let edges: [ChainEdge]
    var from: [String: [Int]] = [:]

    init(_ list: [ChainEdge]) {
        edges = list.sorted { ($0.time, $0.from, $0.to, $0.kind) < ($1.time, $1.from, $1.to, $1.kind) }
        for (i, e) in edges.enumerated() { from[e.from, default: []].append(i) }
    }
}

/// Disjoint sets over 0..<n with path halving.
struct UnionFind {
    private var parent: [Int]

    init(_ n: Int) { parent = Array(0..<n) }

    mutating func find(_ x: Int) -> Int {
        var x = x
        while parent[x] != x {
            parent[x] = parent[parent[x]]
            x = parent[x]
        }
        return x
    }

    mutating func union(_ a: Int, _ b: Int) {
        let ra = find(a)
        let rb = find(b)
        if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
    }
}
