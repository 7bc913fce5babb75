import Baselines
import EventModel

/// Binary form of a finding, for state that holds findings (the engine's open
/// dedup groups, a live service's open incidents). Every count read back is
/// bounded; a bad value throws `BinaryDecodeError`.
public enum FindingCodec {
    /// Format version of the engine entry (2: folded keys, correlation evidence and open first-time-API
    /// bursts; version 1 is still read, without them).
    static let version: UInt8 = 2
    /// Longest string accepted back (titles and explanations are built by detectors, bounded).
    static let maxText = 1 << 16

    /// Appends `f`.
    public static func write(_ f: Finding, _ w: inout BinaryWriter) {
        for s in [f.detector, f.identity, f.identityType.rawValue, f.account, f.title, f.explanation, f.key] {
            w.string(s)
        }
        w.u8(UInt8(f.severity.rawValue))
        w.int(f.firstSeen)
        w.int(f.lastSeen)
        w.uint(f.count)
        w.strings(f.eventIds)
        w.strings(f.mitre)
        w.uint(f.facts.count)
        for fact in f.facts {
            w.string(fact.name)
            w.string(fact.value)
        }
        w.string(f.origin.path)
        w.uint(f.origin.record)
        w.bool(f.origin.isLine)
    }

    /// Reads a finding written by `write`.
    public static func readFinding(_ r: inout BinaryReader) throws(BinaryDecodeError) -> Finding {
        var s: [String] = []
        for _ in 0..<7 { s.append(try r.string(max: maxText)) }
        let offset = r.offset
        guard let severity = Severity(rawValue: Int(try r.u8())) else {
            throw BinaryDecodeError("bad severity", offset: offset)
        }
        let first = try r.int()
        let last = try r.int()
        let count = try r.uint()
        let ids = try r.strings(max: Finding.maxEvidence, maxLength: maxText)
        let mitre = try r.strings(max: 64, maxLength: maxText)
        var facts: [Fact] = []
        for _ in 0..<(try r.uint(max: 256)) {
            facts.append(Fact(try r.string(max: maxText), try r.string(max: maxText)))
        }
        let origin = Origin(path: try r.string(max: 4096), record: try r.uint(), isLine: try r.bool())
        return Finding(
            detector: s[0], severity: severity, identity: s[1], identityType: IdentityType(rawValue: s[2]) ?? .unknown,
            account: s[3], firstSeen: first, lastSeen: last, eventIds: ids, count: count, title: s[4],
            explanation: s[5], facts: facts, mitre: mitre, key: s[6], origin: origin)
    }
}

// The engine's own memory (recent event ids, open dedup groups, the
// correlation windows, the watermark) is saved in the state file beside the
// detectors' states, so that a run resumed from a checkpoint folds and drops
// exactly what an uninterrupted run would have. Undecodable bytes leave the
// engine as it was.

extension RecentIDs {
    /// Appends the ring, oldest id first.
    func write(_ w: inout BinaryWriter) {
        let ids = ordered
        w.uint(ids.count)
        w.u64s(ids)
    }

    /// Reads a ring written by `write`; keeps the newest `capacity` ids.
    static func read(_ r: inout BinaryReader, capacity: Int) throws(BinaryDecodeError) -> RecentIDs {
        var ids = RecentIDs(capacity: capacity)
        let n = try r.uint(max: 1 << 24)
        let hashes = try r.u64s(count: n)
        for h in hashes.suffix(capacity) where h != 0 { _ = ids.insert(hash: h) }
        return ids
    }
}

extension DetectionEngine {
    /// Key of the engine's own entry in the detector-state map (detector ids never contain `#`).
    public static let stateKey = "#engine"
}

extension FindingThrottle {
    /// Appends the open groups (sorted by key, so equal state gives equal bytes) and waiting follow-ups.
    func write(_ w: inout BinaryWriter) {
        w.uint(groups.count)
        for (k, g) in groups.map({ ($0.key.text, $0.value) }).sorted(by: { $0.0 < $1.0 }) {
            w.string(k)
            FindingCodec.write(g.first, &w)
            w.uint(g.absorbed)
            w.int(g.lastSeen)
            w.int(g.foldedFirst)
            w.int(g.closesAt)
            w.strings(g.eventIds)
            w.strings(g.otherKeys)
        }
        w.uint(expired.count)
        for f in expired { FindingCodec.write(f, &w) }
    }

    /// Replaces the groups with those written by `write` (at most `capacity`, plus the waiting follow-ups).
    mutating func read(_ r: inout BinaryReader, version: UInt8) throws(BinaryDecodeError) {
        var restored: [GroupKey: Group] = [:]
        for _ in 0..<(try r.uint(max: capacity)) {
            let k = try r.string(max: FindingCodec.maxText)
            let first = try FindingCodec.readFinding(&r)
            let absorbed = try r.uint()
            let lastSeen = try r.int()
            let foldedFirst = try r.int()
            let closesAt = try r.int()
            let ids = try r.strings(max: Finding.maxEvidence, maxLength: FindingCodec.maxText)
            let other = version >= 2 ? try r.strings(max: 20, maxLength: FindingCodec.maxText) : []
            restored[GroupKey(text: k)] = Group(
                first: first, absorbed: absorbed, lastSeen: lastSeen, foldedFirst: foldedFirst, eventIds: ids,
                closesAt: closesAt, otherKeys: other)
        }
        var waiting: [Finding] = []
        for _ in 0..<(try r.uint(max: capacity)) { waiting.append(try FindingCodec.readFinding(&r)) }
        groups = restored
        expired = waiting
    }
}

extension RiskCorrelator {
    /// Appends every tracked identity's window (sorted by identity hash).
    func write(_ w: inout BinaryWriter) {
        w.uint(tracks.count)
        for (h, t) in tracks.sorted(by: { $0.key < $1.key }) {
            w.u64(h)
            w.int(t.used)
            w.uint(t.entries.count)
            for e in t.entries {
                w.string(e.detector)
                w.string(e.key)
                w.u8(UInt8(e.severity.rawValue))
                w.int(e.time)
                w.strings(e.evidence.sorted())
            }
        }
    }

    /// Replaces the windows with those written by `write` (bounded by the configuration).
    func read(_ r: inout BinaryReader, version: UInt8) throws(BinaryDecodeError) {
        var restored: [UInt64: Track] = [:]
        for _ in 0..<(try r.uint(max: configuration.maxIdentities)) {
            let t = Track()
            let h = try r.u64()
            t.used = try r.int()
            for _ in 0..<(try r.uint(max: configuration.maxSignalsPerIdentity)) {
                let detector = try r.string(max: 256)
                let key = try r.string(max: FindingCodec.maxText)
                let offset = r.offset
                guard let severity = Severity(rawValue: Int(try r.u8())) else {
                    throw BinaryDecodeError("bad severity", offset: offset)
                }
                let time = try r.int()
                let evidence =
                    version >= 2 ? try r.strings(max: Finding.maxEvidence * 4, maxLength: FindingCodec.maxText) : []
                t.entries.append(
                    Entry(
                        detector: detector, key: key, severity: severity, time: time,
                        evidence: evidence))
            }
            restored[h] = t
        }
        tracks = restored
    }
}

extension DetectionEngine {
    /// The engine's own memory as bytes: watermark, window-close cadence,
    /// recent event ids, open dedup groups and (when attached) the correlator.
    public func snapshotState() -> [UInt8] {
        BinaryWriter.encoded(version: FindingCodec.version) { w in
            w.int(watermark)
            w.uint(ticks)
            recent.write(&w)
            throttle.write(&w)
            w.bool(riskCorrelator != nil)
            riskCorrelator?.write(&w)
            bursts.write(&w)
        }
    }

    /// Restores what `snapshotState()` wrote. Returns false (and changes
    /// nothing) when the bytes are not a state this version can read.
    @discardableResult
    public func restoreState(_ bytes: [UInt8]) -> Bool {
        var r = BinaryReader(bytes)
        do throws(BinaryDecodeError) {
            let version = try r.u8()
            guard version == 1 || version == FindingCodec.version else { return false }
            let mark = try r.int()
            let t = try r.uint()
            let ids = try RecentIDs.read(&r, capacity: recentCapacity)
            var th = FindingThrottle()
            try th.read(&r, version: version)
            // Read (and drop, when the engine has no correlator stage) the windows: the bursts come after them.
            if try r.bool() { try (riskCorrelator ?? RiskCorrelator()).read(&r, version: version) }
            var b = FirstTimeAPIBursts(gap: bursts.gap, maxOpen: bursts.maxOpen)
            if version >= 2 { try b.read(&r) }
            restore(watermark: mark, ticks: t, recent: ids, throttle: th)
            bursts = b
            return true
        } catch {
            return false
        }
    }
}

extension FirstTimeAPIBursts {
    /// Appends the open bursts (sorted by identity, so equal state gives equal bytes).
    func write(_ w: inout BinaryWriter) {
        w.uint(open.count)
        for (k, b) in open.sorted(by: { $0.key < $1.key }) {
            w.string(k)
            FindingCodec.write(b.finding, &w)
            w.strings(b.apis)
            w.int(b.last)
        }
    }

    /// Replaces the open bursts with those written by `write` (at most `maxOpen`).
    mutating func read(_ r: inout BinaryReader) throws(BinaryDecodeError) {
        var restored: [String: Burst] = [:]
        for _ in 0..<(try r.uint(max: maxOpen)) {
            let k = try r.string(max: FindingCodec.maxText)
            let f = try FindingCodec.readFinding(&r)
            let apis = try r.strings(max: 1 << 16, maxLength: FindingCodec.maxText)
            restored[k] = Burst(finding: f, apis: apis, last: try r.int())
        }
        open = restored
        nextClose = restored.values.map { $0.last + gap }.min() ?? .max
    }
}
