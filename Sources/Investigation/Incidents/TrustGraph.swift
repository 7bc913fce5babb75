import EventModel

/// The trust chain as a graph: identities (and outside principals let in by a
/// rewritten trust policy) connected by what one did to reach the other.
public struct TrustGraph: Sendable, Hashable {
    /// One identity.
    public struct Node: Sendable, Hashable {
        /// Identity key (or principal as written in a trust policy).
        public var id: String
        /// Short label.
        public var label: String
        /// `target`, `role`, `user`, `federated`, `external`, `other`.
        public var kind: String
        /// Steps from the target (layout column).
        public var depth: Int
        /// True when its calls were investigated.
        public var investigated: Bool
    }

    /// One connection (all the chain steps between the same two nodes).
    public struct Edge: Sendable, Hashable {
        /// Caller.
        public var from: String
        /// Target.
        public var to: String
        /// Chain kinds, sorted (`assumed_role`, `created_user`, …; `trusts` for a trust-policy principal,
        /// `used` for a later use by another identity). `from == to` for a change an identity made to
        /// itself (a role rewriting its own trust policy).
        public var kinds: [String]
        /// Earliest step (ms).
        public var firstTime: Int64
        /// Credentials handed out (session keys, access keys), sorted, at most 4.
        public var credentials: [String]
    }

    /// Nodes by depth, then id.
    public var nodes: [Node]
    /// Edges by time, then endpoints.
    public var edges: [Edge]

    /// Builds the graph of a report.
    public init(_ r: InvestigationReport) {
        var nodes: [String: Node] = [:]
        var edges: [String: Edge] = [:]
        let investigated = Set(r.principals.map(\.identity))
        func node(_ id: String, _ kind: String? = nil) {
            guard nodes[id] == nil else { return }
            nodes[id] = Node(
                id: id, label: TrustGraph.label(id),
                kind: kind ?? (id == r.rootIdentity ? "target" : TrustGraph.kind(id)),
                depth: 0, investigated: investigated.contains(id))
        }
        func edge(_ from: String, _ to: String, _ kind: String, _ time: Int64, _ credential: String) {
            let k = from + "\u{1}" + to
            var e = edges[k] ?? Edge(from: from, to: to, kinds: [], firstTime: time, credentials: [])
            if !e.kinds.contains(kind) { e.kinds = (e.kinds + [kind]).sorted() }
            e.firstTime = min(e.firstTime, time)
            if !credential.isEmpty, !e.credentials.contains(credential), e.credentials.count < 4 {
                e.credentials = (e.credentials + [credential]).sorted()
            }
            edges[k] = e
        }
        if !r.rootIdentity.isEmpty { node(r.rootIdentity, "target") }
        for p in r.principals { node(p.identity) }
        for c in r.chain {
            node(c.from)
            node(c.to)
            edge(c.from, c.to, c.kind.rawValue, c.time, c.credential)
            guard c.kind == .changedTrust, !c.detail.isEmpty else { continue }
            let home = IdentityName.account(c.to)
            for p in c.detail.split(separator: ",").map({ $0.trimmingSpaces }) where IdentityName.account(p) != home {
                node(p, "external")
                edge(p, c.to, "trusts", c.time, "")
            }
        }
        for a in r.adjacent where a.relation == "changed_trust" {
            node(a.usedBy, investigated.contains(a.usedBy) ? nil : "external")
            node(a.artifact)
            edge(a.usedBy, a.artifact, "used", a.firstSeen, a.credential)
        }
        self.nodes = TrustGraph.layer(nodes, Array(edges.values), root: r.rootIdentity)
        self.edges = edges.values.sorted { ($0.firstTime, $0.from, $0.to) < ($1.firstTime, $1.from, $1.to) }
    }

    /// Depth by breadth-first search from the root (unreached nodes go one column past their callers).
    private static func layer(_ nodes: [String: Node], _ edges: [Edge], root: String) -> [Node] {
        var depth: [String: Int] = [root: 0]
        var queue = [root]
        let out = Dictionary(grouping: edges, by: \.from)
        while !queue.isEmpty {
            let n = queue.removeFirst()
            for e in out[n] ?? [] where depth[e.to] == nil {
                depth[e.to] = depth[n]! + 1
                queue.append(e.to)
            }
        }
        var changed = true
        var rounds = 0
        while changed && rounds < 8 {
            changed = false
            rounds += 1
            for e in edges where depth[e.from] == nil {
                if let d = depth[e.to] {
                    depth[e.from] = max(0, d - 1)
                    changed = true
                }
            }
        }
        return nodes.values.map { n in
            var n = n
            n.depth = depth[n.id] ?? 0
            return n
        }.sorted { ($0.depth, $0.id) < ($1.depth, $1.id) }
    }

    static func label(_ id: String) -> String { Clip.text(IdentityName.short(id), 48) }

    static func kind(_ id: String) -> String {
        if id.contains(":role/") { return "role" }
        if id.contains(":user/") { return "user" }
        if id.contains(":federated-user/") { return "federated" }
        if id.hasSuffix(":root") || id.count == 12 { return "external" }
        return "other"
    }
}

extension Substring {
    /// Without leading and trailing spaces.
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
