import Baselines
import Detection
import EventModel

/// The open incidents of a live service (held findings and chain edges),
/// saved in its checkpoint so that an incident that spans a restart is
/// reported once, with the findings of both runs.
extension IncidentBuilder {
    /// Format version.
    static let stateVersion: UInt8 = 1

    /// Held findings, chain edges and the watermark as bytes.
    public func snapshot() -> [UInt8] {
        BinaryWriter.encoded(version: Self.stateVersion) { w in
            w.int(watermark)
            w.uint(findings.count)
            for f in findings { FindingCodec.write(f, &w) }
            w.uint(edges.count)
            for e in edges { Self.write(e, &w) }
            // Added after version 1 shipped: readers of older snapshots find nothing here.
            w.uint(reported.count)
            for (id, revision) in reported.sorted(by: { $0.key < $1.key }) {
                w.string(id)
                w.u64(revision)
            }
        }
    }

    /// Replaces the held state with what `snapshot()` wrote; returns false
    /// (and changes nothing) when the bytes cannot be read.
    @discardableResult
    public func restore(_ bytes: [UInt8]) -> Bool {
        var r = BinaryReader(bytes)
        do throws(BinaryDecodeError) {
            guard try r.u8() == Self.stateVersion else { return false }
            let mark = try r.int()
            var held: [Finding] = []
            for _ in 0..<(try r.uint(max: configuration.maxFindings)) { held.append(try FindingCodec.readFinding(&r)) }
            var chain: [ChainEdge] = []
            for _ in 0..<(try r.uint(max: configuration.maxEdges)) { chain.append(try Self.readEdge(&r)) }
            var seen: [String: UInt64] = [:]
            if r.offset < bytes.count {
                for _ in 0..<(try r.uint(max: 4 * configuration.maxFindings)) {
                    let id = try r.string(max: 64)
                    seen[id] = try r.u64()
                }
            }
            reported = seen
            watermark = mark
            findings = held
            edges = chain
            withFindings = Set(held.map(\.identity))
            replaceCursor = 0
            edgesSincePrune = 0
            return true
        } catch {
            return false
        }
    }

    /// Adds the workload edge of a finding about a request to a server with a workload identity
    /// (once per request identity, workload and window).
    func linkWorkload(_ f: Finding) {
        guard f.severity >= configuration.minSeverity, f.detector.hasPrefix("workflow."), !f.identity.isEmpty else {
            return
        }
        for w in configuration.workloads where w.server == f.account && w.identity != f.identity {
            if let edge = WorkloadEdge.make(f, w),
                !edges.contains(where: {
                    $0.kind == .workload && $0.from == edge.from && $0.to == edge.to
                        && abs($0.time - edge.time) <= configuration.window
                })
            {
                add(edge)
            }
        }
    }

    private static func write(_ e: ChainEdge, _ w: inout BinaryWriter) {
        for s in [e.kind.rawValue, e.from, e.fromCredential, e.to, e.credential, e.sessionName, e.eventId, e.account] {
            w.string(s)
        }
        w.string(e.detail)
        w.int(e.time)
    }

    private static func readEdge(_ r: inout BinaryReader) throws(BinaryDecodeError) -> ChainEdge {
        var s: [String] = []
        for _ in 0..<9 { s.append(try r.string(max: 1 << 16)) }
        let offset = r.offset
        guard let kind = ChainKind(rawValue: s[0]) else { throw BinaryDecodeError("bad chain kind", offset: offset) }
        return ChainEdge(
            kind: kind, from: s[1], fromCredential: s[2], to: s[3], credential: s[4], sessionName: s[5],
            time: try r.int(), eventId: s[6], account: s[7], detail: s[8])
    }
}
