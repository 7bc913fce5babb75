import EventModel

/// Combined identity risk: weak signals that coincide for the same identity
/// are worth more than each alone (a new user agent, a new API and secret
/// reads from the same identity within minutes is an intrusion; any one of
/// them is Tuesday). Keeps, per identity, a sliding window (event time,
/// default 30 min) of the distinct (detector, key) signals seen, with their
/// evidence. When a finding arrives and at least `minDetectors` distinct
/// detectors (this one included) fired for its identity in the window *on
/// different evidence* (no event id in common with this finding; info
/// findings are context and do not count), the finding is raised one step,
/// never above `maxRaised` (default medium: coincidence lifts weak signals into
/// view, but high and critical are claims a detector makes about the evidence
/// itself; see docs/severity.md). Correlated findings get the facts
/// `risk_score` (sum of severity weights info 1, low 2, medium 4, high 8,
/// critical 16 over the distinct signals) and `correlated_detectors`.
/// Bounded: at most `maxIdentities` identities (least recently active
/// dropped first) and `maxSignalsPerIdentity` signals each.
public final class RiskCorrelator {
    /// Settings.
    public struct Configuration: Sendable {
        /// Window of coinciding signals (ms of event time).
        public var window: Int64 = 1_800_000
        /// Distinct detectors (this finding's included) needed to raise one step.
        public var minDetectors = 2
        /// Highest severity a raise may reach (a finding already at or above it is never raised).
        public var maxRaised: Severity = .medium
        /// Identities tracked.
        public var maxIdentities = 50_000
        /// Distinct signals kept per identity.
        public var maxSignalsPerIdentity = 32

        /// Defaults.
        public init() {}
    }

    struct Entry {
        var detector: String
        var key: String
        /// `FNV1a.hash(key)`: a repeat finds its entry by comparing hashes, and compares the key's
        /// text only on a match (two decoder threads intern the same operation name apart, so
        /// comparing texts meant a byte comparison per entry per repeat).
        var keyHash: UInt64
        var severity: Severity
        var time: Int64
        /// Evidence event ids of the signal (at most `Finding.maxEvidence` are added to), distinct,
        /// in arrival order: a short list, checked by hash first (a hashed set grew and rehashed on
        /// every new signal, and comparing each id's text cost as much).
        private(set) var evidence: [String] = []
        /// `RecentIDs.fnv1a` of each of `evidence`, same order.
        private var hashes: [UInt64] = []

        init(
            detector: String, key: String, keyHash: UInt64? = nil, severity: Severity, time: Int64,
            evidence: some Collection<String> = []
        ) {
            (self.detector, self.key, self.severity, self.time) = (detector, key, severity, time)
            self.keyHash = keyHash ?? FNV1a.hash(key)
            add(evidence)
        }

        /// Adds the ids not yet present.
        mutating func add(_ ids: some Collection<String>) {
            for id in ids {
                let h = RecentIDs.fnv1a(id)
                if hashes.indices.contains(where: { hashes[$0] == h && evidence[$0] == id }) { continue }
                evidence.append(id)
                hashes.append(h)
            }
        }
    }

    /// One identity's window. Its state (and `tracks`) skip dynamic exclusivity checks: the
    /// correlator is a stage of one engine, on one thread, and each access was a runtime call.
    final class Track {
        @exclusivity(unchecked) var entries: [Entry] = []
        @exclusivity(unchecked) var used: Int64 = .min
    }

    /// Effective settings.
    public let configuration: Configuration
    @exclusivity(unchecked) var tracks: [UInt64: Track] = [:]
    /// Findings raised so far.
    public private(set) var raised = 0

    /// Creates a correlator.
    public init(configuration: Configuration = Configuration()) { self.configuration = configuration }

    /// Number of identities tracked.
    public var identityCount: Int { tracks.count }

    /// Records the finding's signal and raises it when other detectors fired
    /// for the same identity within the window.
    public func correlate(_ f: inout Finding) {
        guard !f.identity.isEmpty else { return }
        let independent = note(
            identityHash: Identity.hash(f.identity), detector: f.detector, key: f.key, severity: f.severity,
            time: f.lastSeen, eventIds: f.eventIds)
        guard Set(independent.map(\.detector)).count + 1 >= configuration.minDetectors else { return }
        let t = track(Identity.hash(f.identity), f.lastSeen)
        let before = f.severity
        if before < configuration.maxRaised { f.severity = before.raised(by: 1) }
        let score = t.entries.reduce(0) { $0 + (1 << $1.severity.rawValue) }
        f.facts.append(Fact("risk_score", String(score)))
        f.facts.append(Fact("correlated_detectors", Self.summarize(independent, limit: 32)))
        if f.severity != before {
            raised += 1
            f.explanation +=
                " Correlated with \(Self.summarize(independent, limit: 4)) for the same identity within "
                + "\(configuration.window / 60_000) min (risk score \(score)): severity raised from \(before) to \(f.severity)."
        }
    }

    /// Records a signal of `identity` without a finding in hand (the engine's fold path) and
    /// tells whether `correlate` would change a finding with these fields. Recording is
    /// idempotent: `correlate` on the same finding afterwards records nothing new.
    public func wouldCorrelate(
        identity: String, identityHash: UInt64? = nil, detector: String, key: String, severity: Severity, time: Int64,
        eventIds: some Collection<String>
    ) -> Bool {
        guard !identity.isEmpty else { return false }
        let independent = note(
            identityHash: identityHash ?? Identity.hash(identity), detector: detector, key: key, severity: severity,
            time: time, eventIds: eventIds)
        if independent.isEmpty { return configuration.minDetectors <= 1 }
        return Set(independent.map(\.detector)).count + 1 >= configuration.minDetectors
    }

    /// Updates the identity's window with the signal and returns the other detectors' signals in
    /// it that are independent of this one (above info, on evidence this one does not cover).
    /// Allocates nothing when there are none (the common case: one detector repeating).
    private func note(
        identityHash: UInt64, detector: String, key: String, severity: Severity, time now: Int64,
        eventIds: some Collection<String>
    ) -> [Entry] {
        let t = track(identityHash, now)
        let cutoff = now - configuration.window
        if t.entries.contains(where: { $0.time < cutoff }) { t.entries.removeAll { $0.time < cutoff } }
        let keyHash = FNV1a.hash(key)
        if let i = t.entries.firstIndex(where: { $0.keyHash == keyHash && $0.detector == detector && $0.key == key }) {
            t.entries[i].time = max(t.entries[i].time, now)
            t.entries[i].severity = max(t.entries[i].severity, severity)
            if t.entries[i].evidence.count < Finding.maxEvidence {
                t.entries[i].add(eventIds)
            }
        } else {
            if t.entries.count >= configuration.maxSignalsPerIdentity { t.entries.removeFirst() }
            t.entries.append(
                Entry(detector: detector, key: key, keyHash: keyHash, severity: severity, time: now, evidence: eventIds)
            )
        }
        // Info findings are context, not signals; a detector that reported only the same events is not a second
        // opinion. One that also fired on other events is (a new client seen first on an earlier call stays
        // independent when, unlearned under quarantine, it is reported again on this call).
        var independent: [Entry] = []
        var evidence: Set<String>?
        // By index: an entry is copied (its strings retained) only when it is kept.
        for i in t.entries.indices where t.entries[i].severity > .info && t.entries[i].detector != detector {
            if !t.entries[i].evidence.isEmpty {
                let own = evidence ?? Set(eventIds)
                evidence = own
                if t.entries[i].evidence.allSatisfy(own.contains) { continue }
            }
            independent.append(t.entries[i])
        }
        return independent
    }

    private func track(_ h: UInt64, _ now: Int64) -> Track {
        if let t = tracks[h] {
            t.used = max(t.used, now)
            return t
        }
        if tracks.count >= configuration.maxIdentities {
            let n = max(1, configuration.maxIdentities / 16)
            for (k, _) in tracks.sorted(by: { $0.value.used < $1.value.used }).prefix(n) { tracks[k] = nil }
        }
        let t = Track()
        t.used = now
        tracks[h] = t
        return t
    }

    /// "identity.new_api ×5 (sts:GetCallerIdentity, ssm:GetParameter, …), secrets.enumeration (burst)":
    /// signals grouped by detector in first-seen order, at most `limit` keys per detector.
    static func summarize(_ entries: [Entry], limit: Int) -> String {
        var order: [String] = []
        var keys: [String: [String]] = [:]
        for e in entries {
            if keys[e.detector] == nil { order.append(e.detector) }
            if !e.key.isEmpty {
                keys[e.detector, default: []].append(clip(e.key))
            } else {
                keys[e.detector, default: []] += []
            }
        }
        return order.map { d in
            let k = keys[d] ?? []
            let count = k.count > 1 ? " ×\(k.count)" : ""
            guard !k.isEmpty else { return d }
            let shown = k.prefix(limit).joined(separator: ", ") + (k.count > limit ? ", …" : "")
            return "\(d)\(count) (\(shown))"
        }.joined(separator: "; ")
    }

    private static func clip(_ s: String) -> String {
        s.utf8.count <= 80 ? s : String(decoding: s.utf8.prefix(80), as: UTF8.self) + "…"
    }
}

extension Severity {
    /// Raised `n` steps, saturating at critical.
    fileprivate func raised(by n: Int) -> Severity { Severity(rawValue: min(4, rawValue + max(0, n)))! }
}
