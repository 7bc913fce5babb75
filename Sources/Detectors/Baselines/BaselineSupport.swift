import Baselines
import Detection
import EventModel

/// Wording and facts shared by the baseline detectors, so that every finding
/// states its baseline the same way ("in 9 days of baseline (14,203 events)").
enum BaselineWords {
    /// `role/web-app` style name of the event's identity.
    static func who(_ e: Event) -> String {
        e.identity.displayName.isEmpty ? BaselineText.shortIdentity(e.identity.key) : e.identity.displayName
    }

    /// `9 days of baseline (14,203 events)`.
    static func span(_ p: IdentityProfile, _ now: Int64) -> String {
        "\(BaselineText.days(p.baselineDays(now: now))) of baseline (\(BaselineText.count(p.events)) events)"
    }

    /// `baseline_days`, `baseline_events`, `baseline_first_seen`.
    static func facts(_ p: IdentityProfile, _ now: Int64) -> [Fact] {
        [
            Fact("baseline_days", BaselineText.decimal(p.baselineDays(now: now))),
            Fact("baseline_events", String(p.events)),
            Fact("baseline_first_seen", BaselineText.date(p.firstSeen)),
        ]
    }

    /// Networks of a profile in words, most used first.
    static func networks(_ p: IdentityProfile, _ now: Int64, limit: Int = 6) -> [String] {
        p.live(p.networks, now: now).prefix(limit).map {
            "\(NetworkKey.describe($0.key)) ×\(BaselineText.count($0.stat.count))"
        }
    }

    /// Truncates attacker-controlled text for explanations.
    static func clip(_ s: String, _ n: Int = 120) -> String {
        s.utf8.count <= n ? s : String(decoding: s.utf8.prefix(n), as: UTF8.self) + "…"
    }
}

/// Detector state that remembers when it was last used (for LRU eviction).
class RecentState {
    /// Event time of the latest use.
    var used: Int64 = .min
}

/// A bounded map of per-key detector state objects (per identity, per access
/// key): past `capacity` entries the least recently used 1/16 are dropped, so
/// attacker-controlled keys cannot grow memory. One dictionary lookup per use.
struct BoundedStates<Value: RecentState> {
    private(set) var entries: [UInt64: Value] = [:]
    let capacity: Int
    /// Entries dropped so far.
    private(set) var evicted = 0

    init(capacity: Int) { self.capacity = max(16, capacity) }

    /// The state of `key` (created by `make` when absent), marked used at `now`.
    mutating func get(_ key: UInt64, now: Int64, make: () -> Value) -> Value {
        if let v = entries[key] {
            if now > v.used { v.used = now }
            return v
        }
        if entries.count >= capacity { evict() }
        let v = make()
        v.used = now
        entries[key] = v
        return v
    }

    /// The state of `key`, if any.
    func peek(_ key: UInt64) -> Value? { entries[key] }

    /// Removes a key.
    mutating func remove(_ key: UInt64) { entries[key] = nil }

    /// Inserts a restored entry.
    mutating func restore(_ key: UInt64, used: Int64, _ v: Value) {
        if entries.count >= capacity { evict() }
        v.used = used
        entries[key] = v
    }

    /// Number of entries.
    var count: Int { entries.count }

    private mutating func evict() {
        let n = max(1, capacity / 16)
        var all = entries.map { (time: $0.value.used, key: $0.key) }
        let victims = Oldest.select(&all, n)
        for v in victims { entries[v.key] = nil }
        evicted += victims.count
    }
}

/// A bounded list of evidence event ids (the first ones kept).
struct Evidence {
    private(set) var ids: [String] = []
    static let cap = Finding.maxEvidence

    mutating func add(_ id: String) {
        if !id.isEmpty && ids.count < Self.cap && !ids.contains(id) { ids.append(id) }
    }
}

extension Severity {
    /// Raised `n` steps, saturating at critical.
    func raised(by n: Int) -> Severity { Severity(rawValue: min(4, rawValue + max(0, n)))! }
}
