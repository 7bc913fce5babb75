import EventModel

/// Folds repeated findings of one detector about one identity inside the
/// detector's dedup window into one, whatever their key (two flow logs deleted
/// a second apart are one story): the first is emitted at once (low latency in
/// the live service), later ones are counted, and when the window closes a
/// follow-up finding carries the count, the other keys and the extra evidence.
/// A repeat more severe than the first is emitted at once and starts a new
/// group. Bounded: when more than `capacity` groups are open the oldest are
/// closed early.
public struct FindingThrottle {
    struct Group {
        var first: Finding
        var absorbed: Int
        var lastSeen: Int64
        /// Earliest first-seen among the folded findings (records arrive slightly out of order).
        var foldedFirst: Int64
        var eventIds: [String]
        var closesAt: Int64
        /// Keys of folded findings that differ from the first's (not saved with the state: a follow-up
        /// written after a restart lists only the keys folded since).
        var otherKeys: [String] = []

        /// Absorbs a repeat that fits the group (a repeat more severe than the first finding is
        /// news: it is emitted and starts a new group); false, and nothing changed, when it does not.
        mutating func absorb(
            severity: Severity, firstSeen: Int64, lastSeen: Int64, count: Int, key: String,
            eventIds ids: some Collection<String>
        ) -> Bool {
            guard firstSeen <= closesAt, severity <= first.severity else { return false }
            absorbed += count
            self.lastSeen = max(self.lastSeen, lastSeen)
            foldedFirst = min(foldedFirst, firstSeen)
            if key != first.key && otherKeys.count < 20 && !otherKeys.contains(key) { otherKeys.append(key) }
            for id in ids where eventIds.count < Finding.maxEvidence { eventIds.append(id) }
            return true
        }
    }

    /// A dedup group's key: one detector's findings about one identity. Two strings rather than
    /// their concatenation, so that the fold path builds no string per repeat.
    struct GroupKey: Hashable {
        let detector: String
        let identity: String
        /// `Identity.hash(identity)`: hashed instead of the text. The fold path takes it from the
        /// event's identity (`keyHash`), computed by the decoder; hashing the text cost more.
        let identityHash: UInt64

        /// The key as saved in state files (detector ids never contain U+0001).
        var text: String { detector + "\u{1}" + identity }

        init(_ detector: String, _ identity: String, identityHash: UInt64? = nil) {
            self.detector = detector
            self.identity = identity
            self.identityHash = identityHash ?? Identity.hash(identity)
        }

        /// The identity's hash and the detector id's length (equality compares both texts).
        func hash(into h: inout Hasher) {
            h.combine(identityHash)
            h.combine(detector.utf8.count)
        }

        static func == (a: GroupKey, b: GroupKey) -> Bool {
            a.identityHash == b.identityHash && a.detector == b.detector && a.identity == b.identity
        }

        /// Reads a saved key back.
        init(text: String) {
            guard let i = text.firstIndex(of: "\u{1}") else {
                self.init(text, "")
                return
            }
            self.init(String(text[..<i]), String(text[text.index(after: i)...]))
        }
    }

    var groups: [GroupKey: Group] = [:]
    /// Follow-ups of groups replaced by a later occurrence before `close` ran.
    var expired: [Finding] = []
    let capacity: Int
    /// Findings folded into an earlier one so far.
    public private(set) var folded = 0

    /// Creates a throttle with at most `capacity` open groups.
    public init(capacity: Int = 50_000) { self.capacity = capacity }

    /// Offers a finding: returns it when it should be emitted now, nil when folded.
    public mutating func offer(_ f: Finding, window: Int64) -> Finding? {
        let k = GroupKey(f.detector, f.identity)
        if fold(
            k, severity: f.severity, firstSeen: f.firstSeen, lastSeen: f.lastSeen, count: f.count,
            key: f.key, eventIds: f.eventIds)
        {
            return nil
        }
        if window <= 0 { return f }
        if let old = groups[k], old.absorbed > 0 { expired.append(followUp(old)) }
        groups[k] = Group(
            first: f, absorbed: 0, lastSeen: f.lastSeen, foldedFirst: .max, eventIds: [], closesAt: f.firstSeen + window
        )
        return f
    }

    /// Closes groups whose window ended before `now` (or all, when `now` is nil,
    /// or the oldest when over capacity) and returns their follow-up findings.
    public mutating func close(before now: Int64?) -> [Finding] {
        var out: [Finding] = expired
        expired.removeAll()
        var toClose = groups.filter { now == nil || $0.value.closesAt < now! }.map(\.key)
        if now != nil && groups.count - toClose.count > capacity {
            let open = groups.filter { $0.value.closesAt >= now! }.sorted { $0.value.closesAt < $1.value.closesAt }
            toClose += open.prefix(groups.count - toClose.count - capacity).map(\.key)
        }
        for k in toClose {
            guard let g = groups.removeValue(forKey: k) else { continue }
            if g.absorbed > 0 { out.append(followUp(g)) }
        }
        return out.sorted { ($0.lastSeen, $0.detector, $0.identity) < ($1.lastSeen, $1.detector, $1.identity) }
    }

    /// End of a batch: returns the follow-ups of every group that folded
    /// something, but keeps the groups open (emptied) until their window ends,
    /// so a repeat read by the next run of the same state file still folds.
    public mutating func flush() -> [Finding] {
        var out: [Finding] = expired
        expired.removeAll()
        for (k, g) in groups where g.absorbed > 0 {
            out.append(followUp(g))
            groups[k] = Group(
                first: g.first, absorbed: 0, lastSeen: g.lastSeen, foldedFirst: .max, eventIds: [],
                closesAt: g.closesAt)
        }
        return out.sorted { ($0.lastSeen, $0.detector, $0.identity) < ($1.lastSeen, $1.detector, $1.identity) }
    }

    /// Folds a repeat into the open group `k` when it has one that the repeat fits (inside its
    /// window, no more severe than its first finding); false, and nothing changed, otherwise. The
    /// group is checked and changed in place, so neither it nor its evidence list is copied.
    mutating func fold(
        _ k: GroupKey, severity: Severity, firstSeen: Int64, lastSeen: Int64, count: Int, key: String,
        eventIds: some Collection<String>
    ) -> Bool {
        guard let i = groups.index(forKey: k),
            groups.values[i].absorb(
                severity: severity, firstSeen: firstSeen, lastSeen: lastSeen, count: count, key: key,
                eventIds: eventIds)
        else { return false }
        folded += 1
        return true
    }

    /// Follow-ups waiting to be emitted (a group was replaced after its window).
    public var hasPending: Bool { !expired.isEmpty }

    /// Takes the waiting follow-ups.
    public mutating func drainPending() -> [Finding] {
        defer { expired.removeAll() }
        return expired
    }

    /// Number of open groups.
    public var openGroups: Int { groups.count }

    /// The follow-up of a group: an update to a finding already reported at its severity, so it is
    /// reported at most `low` and names the original (`follows`); it never starts before the original.
    private func followUp(_ g: Group) -> Finding {
        var f = g.first
        f.severity = min(g.first.severity, .low)
        f.firstSeen = max(g.foldedFirst, g.first.firstSeen)
        f.lastSeen = max(g.lastSeen, f.firstSeen)
        f.count = g.absorbed
        f.eventIds = g.eventIds
        // The short new parts are appended as bytes and made a string once, then joined to the
        // first finding's words (already valid text: joining copies them, making a string from
        // bytes would check them again).
        var out: [UInt8] = []
        out.reserveCapacity(256)
        func list(_ keys: some Sequence<String>) {
            for (i, k) in keys.enumerated() {
                if i > 0 { RuleText.append(", ", to: &out) }
                RuleText.append(k, to: &out)
            }
        }
        RuleText.append(" (repeated ", to: &out)
        RuleText.append(String(g.absorbed), to: &out)
        RuleText.append("×", to: &out)
        if !g.otherKeys.isEmpty {
            RuleText.append("; also ", to: &out)
            list(g.otherKeys.prefix(5))
        }
        out.append(0x29)
        f.title = g.first.title + String(decoding: out, as: UTF8.self)
        out.removeAll(keepingCapacity: true)
        RuleText.append("Repeated ", to: &out)
        RuleText.append(String(g.absorbed), to: &out)
        RuleText.append(" more time(s) after the first finding at ", to: &out)
        RuleText.append(Timestamp.format(g.first.firstSeen), to: &out)
        if !g.otherKeys.isEmpty {
            RuleText.append(", also about ", to: &out)
            list(g.otherKeys)
        }
        RuleText.append(". ", to: &out)
        f.explanation = String(decoding: out, as: UTF8.self) + g.first.explanation
        if !g.otherKeys.isEmpty { f.facts.append(Fact("other_keys", g.otherKeys.joined(separator: ","))) }
        f.facts.append(Fact("repeat_count", String(g.absorbed)))
        f.facts.append(Fact("follows", g.first.id))
        return f
    }
}
