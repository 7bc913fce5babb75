import EventModel

/// The life of incidents in a live service: reported when they open, again when they change,
/// and when they close, always under the same id (`Incident.status`).
extension IncidentBuilder {
    /// Incremental use with statuses: the incidents that opened (first reached `minSeverity`)
    /// or changed since the last call (`open`, `updated`), and those whose last activity is
    /// older than `watermark - window` (`closed`; their findings and chain edges are then
    /// forgotten, as `close(before:)` does). Most severe first.
    public func update(watermark: Int64) -> [Incident] {
        advance(to: watermark, reportOpen: true)
    }

    /// One grouping pass shared by `update(watermark:)` and `close(before:)`.
    func advance(to watermark: Int64, reportOpen: Bool) -> [Incident] {
        if watermark > self.watermark { self.watermark = watermark }
        let horizon = watermark - configuration.window
        let g = grouped()
        var out: [Incident] = []
        var dropFindings: Set<Int> = []
        var dropEdges: Set<ChainEdge> = []
        for members in g.groups {
            var last = Int64.min
            for m in members {
                last = max(last, g.clusters[m].last)
                for ei in g.reached[m] { last = max(last, g.graph.edges[ei].time) }
            }
            let closing = last < horizon
            guard closing || reportOpen, var inc = incident(members, g.clusters, g.reached, g.graph) else {
                if closing { drop(members, g, &dropFindings, &dropEdges) }
                continue
            }
            if closing {
                inc.status = .closed
                reported[inc.id] = nil
                out.append(inc)
                drop(members, g, &dropFindings, &dropEdges)
            } else if reported[inc.id] != inc.revision {
                inc.status = reported[inc.id] == nil ? .open : .updated
                if reported.count < 4 * configuration.maxFindings { reported[inc.id] = inc.revision }
                out.append(inc)
            }
        }
        forget(dropFindings, dropEdges)
        return out.sorted { ($0.severity, -$0.firstSeen, $0.id) > ($1.severity, -$1.firstSeen, $1.id) }
    }

    private func drop(
        _ members: [Int], _ g: (clusters: [Cluster], reached: [[Int]], graph: EdgeIndex, groups: [[Int]]),
        _ findings: inout Set<Int>, _ edges: inout Set<ChainEdge>
    ) {
        for m in members {
            findings.formUnion(g.clusters[m].members)
            for ei in g.reached[m] { edges.insert(g.graph.edges[ei]) }
        }
    }

    private func forget(_ dropFindings: Set<Int>, _ dropEdges: Set<ChainEdge>) {
        guard !dropFindings.isEmpty else { return }
        findings = findings.indices.filter { !dropFindings.contains($0) }.map { findings[$0] }
        replaceCursor = 0
        if !dropEdges.isEmpty { edges.removeAll { dropEdges.contains($0) } }
        withFindings = Set(findings.map(\.identity))
        prune()
    }
}
