import EventModel

/// Folds the first-time-API findings of one identity within one burst into a
/// single finding that lists the APIs: an intruder's reconnaissance calls a
/// dozen APIs new to the identity in a few minutes, and that is one thing that
/// happened, not twelve. A burst lasts while each new API follows the previous
/// one within `gap` (event time); it is reported when the next new API comes
/// after the gap, when the watermark passes its end, or at the end of input.
/// Bounded: at most `maxOpen` open bursts (the oldest are reported early) and
/// `Finding.maxEvidence` evidence ids each.
public struct FirstTimeAPIBursts {
    struct Burst {
        var finding: Finding
        var apis: [String]
        var last: Int64
    }

    /// APIs listed per burst (operation names can be attacker-chosen in some sources); the count goes on.
    static let maxAPIs = 100
    /// Gap between two first-time APIs of one burst (ms of event time).
    public var gap: Int64
    /// Open bursts kept.
    public let maxOpen: Int
    var open: [String: Burst] = [:]
    var nextClose: Int64 = .max

    /// Creates the stage.
    public init(gap: Int64 = 900_000, maxOpen: Int = 10_000) {
        self.gap = gap
        self.maxOpen = maxOpen
    }

    /// Number of open bursts.
    public var openCount: Int { open.count }

    /// Adds one first-time-API finding (its `key` is the API); returns the
    /// bursts this closes (the identity's previous burst, when past the gap).
    public mutating func add(_ f: Finding) -> [Finding] {
        var out: [Finding] = []
        if var b = open[f.identity] {
            if f.firstSeen <= b.last + gap {
                merge(&b, f)
                open[f.identity] = b
                nextClose = min(nextClose, b.last + gap)
                return []
            }
            out.append(report(b))
        } else if open.count >= maxOpen, let oldest = open.min(by: { $0.value.last < $1.value.last }) {
            out.append(report(oldest.value))
            open[oldest.key] = nil
        }
        open[f.identity] = Burst(finding: f, apis: [f.key], last: f.lastSeen)
        nextClose = min(nextClose, f.lastSeen + gap)
        return out
    }

    /// Reports the bursts whose gap ended before `watermark` (all when nil), in time order.
    public mutating func close(before watermark: Int64?) -> [Finding] {
        if let w = watermark, w <= nextClose { return [] }
        var out: [Burst] = []
        nextClose = .max
        for (k, b) in open {
            if let w = watermark, b.last + gap >= w {
                nextClose = min(nextClose, b.last + gap)
                continue
            }
            out.append(b)
            open[k] = nil
        }
        return out.sorted { ($0.finding.firstSeen, $0.finding.identity) < ($1.finding.firstSeen, $1.finding.identity) }
            .map(report)
    }

    private func merge(_ b: inout Burst, _ f: Finding) {
        b.last = max(b.last, f.lastSeen)
        if b.apis.count < Self.maxAPIs && !b.apis.contains(f.key) { b.apis.append(f.key) }
        var g = b.finding
        g.severity = max(g.severity, f.severity)
        g.firstSeen = min(g.firstSeen, f.firstSeen)
        g.lastSeen = max(g.lastSeen, f.lastSeen)
        g.count += f.count
        for id in f.eventIds where g.eventIds.count < Finding.maxEvidence && !g.eventIds.contains(id) {
            g.eventIds.append(id)
        }
        for m in f.mitre where !g.mitre.contains(m) { g.mitre.append(m) }
        b.finding = g
    }

    private func report(_ b: Burst) -> Finding {
        var f = b.finding
        guard b.apis.count > 1 else { return f }
        let shown = b.apis.prefix(12).joined(separator: ", ") + (b.apis.count > 12 ? ", …" : "")
        let suffix = " for the first time"
        let head = f.title.hasSuffix(suffix) ? String(f.title.dropLast(suffix.count)) : f.title
        f.title = "\(head) and \(b.apis.count - 1) other API(s)\(suffix)"
        f.explanation +=
            " In the same burst (new APIs at most \(gap / 60_000) min apart, until "
            + "\(Timestamp.format(f.lastSeen))) it called \(b.apis.count) APIs for the first time: \(shown)."
        f.facts.append(Fact("apis", b.apis.joined(separator: ",")))
        f.facts.append(Fact("api_count", String(b.apis.count)))
        return f
    }
}
