import Baselines
import EventModel

/// The sliding window of event time that the burst detectors count in (`discovery.burst`,
/// `secrets.enumeration`, `persistence.access_keys_for_many_users`): distinct keys, each with the
/// time it was last seen and a small payload; a few sample names; the evidence ids; when the window
/// started and when it was last reported. Logs are attacker-controlled, so at most `capacity` keys
/// are kept and the rest are only counted (`overflow`).
struct WindowedCounter<Payload> {
    /// One key in the window.
    struct Entry {
        var key: UInt64
        var time: Int64
        var payload: Payload
    }

    /// What `count` did with a key.
    enum Counted { case seen, added, overflowed }

    /// The keys kept, in the order first seen.
    private(set) var entries: [Entry] = []
    /// Keys counted while the window was full (not kept).
    private(set) var overflow = 0
    /// Sample names for the finding's text (bounded by the caller's `max`).
    private(set) var names: [String] = []
    /// Event ids of the window (bounded by `Evidence`).
    var evidence = Evidence()
    /// Time of the first event of the current window.
    private(set) var start: Int64 = 0
    /// No entry is older than this (`.max` when empty): sliding costs nothing until one may be.
    private(set) var oldest: Int64 = .max
    /// Time of the last report (`.min`: never), so one window reports once.
    var reportedAt: Int64 = .min

    /// Keys in the window, kept or only counted.
    var total: Int { entries.count + overflow }

    /// An empty window.
    init() {}

    /// A window read back from a snapshot; `oldest` defaults to the entries' own minimum.
    init(
        entries: [Entry], overflow: Int = 0, names: [String], evidence: Evidence, start: Int64,
        oldest: Int64? = nil, reportedAt: Int64 = .min
    ) {
        self.entries = entries
        self.overflow = overflow
        self.names = names
        self.evidence = evidence
        self.start = start
        self.oldest = oldest ?? entries.map(\.time).min() ?? .max
        self.reportedAt = reportedAt
    }

    /// Drops the entries older than `now - window`; an emptied window starts again at `now`
    /// (its overflow, names and evidence cleared).
    mutating func slide(now: Int64, window: Int64) {
        let cutoff = now - window
        if oldest < cutoff {
            entries.removeAll { $0.time < cutoff }
            oldest = entries.map(\.time).min() ?? .max
        }
        if entries.isEmpty {
            overflow = 0
            names.removeAll()
            evidence = Evidence()
            start = now
        }
    }

    /// Counts `key` at `now`: a key already in the window is refreshed (`merge` folds the new
    /// payload into its own); a new one is kept while fewer than `capacity` are, else counted.
    @discardableResult
    mutating func count(
        _ key: UInt64, now: Int64, payload: Payload, capacity: Int,
        merge: (inout Payload, Payload) -> Void = { _, _ in }
    ) -> Counted {
        oldest = min(oldest, now)
        if let i = entries.firstIndex(where: { $0.key == key }) {
            entries[i].time = now
            merge(&entries[i].payload, payload)
            return .seen
        }
        guard entries.count < capacity else {
            overflow += 1
            return .overflowed
        }
        entries.append(Entry(key: key, time: now, payload: payload))
        return .added
    }

    /// Counts one more event (no key: every event is an entry) while fewer than `capacity` are kept.
    mutating func append(now: Int64, payload: Payload, capacity: Int) {
        guard entries.count < capacity else { return }
        oldest = min(oldest, now)
        entries.append(Entry(key: 0, time: now, payload: payload))
    }

    /// Keeps `name` as a sample while fewer than `max` are (once only when `unique`).
    mutating func sample(_ name: String, max: Int, unique: Bool = false) {
        guard names.count < max, !unique || !names.contains(name) else { return }
        names.append(name)
    }

    /// Whether a finding may be reported at `now`: never reported, or not within the last window.
    func mayReport(now: Int64, window: Int64) -> Bool { reportedAt == .min || reportedAt < now - window }

    /// Writes the entries: their count, then `body`'s fields for each.
    func encodeEntries(into w: inout BinaryWriter, _ body: (Entry, inout BinaryWriter) -> Void) {
        w.uint(entries.count)
        for e in entries { body(e, &w) }
    }

    /// Reads what `encodeEntries` wrote, refusing more than `max` entries.
    static func decodeEntries(
        from r: inout BinaryReader, max: Int, _ body: (inout BinaryReader) throws(BinaryDecodeError) -> Entry
    ) throws(BinaryDecodeError) -> [Entry] {
        var out: [Entry] = []
        for _ in 0..<(try r.uint(max: max)) { out.append(try body(&r)) }
        return out
    }
}

extension WindowedCounter where Payload == Bool {
    /// Entries as key, time and flag (the layout `secrets.enumeration` version 2 wrote).
    func encodeFlagged(into w: inout BinaryWriter) {
        encodeEntries(into: &w) { e, w in
            w.u64(e.key)
            w.int(e.time)
            w.bool(e.payload)
        }
    }

    /// Reads what `encodeFlagged` wrote.
    static func decodeFlagged(from r: inout BinaryReader, max: Int) throws(BinaryDecodeError) -> [Entry] {
        try decodeEntries(from: &r, max: max) { r throws(BinaryDecodeError) in
            Entry(key: try r.u64(), time: try r.time(), payload: try r.bool())
        }
    }
}
