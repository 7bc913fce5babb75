import EventModel

/// Settings shared by every profile of one store (one reference per profile).
final class ProfileSettings: Sendable {
    let config: BaselineConfiguration
    /// Length of one aging generation: `forgetAfter / 2`.
    let generationLength: Int64

    init(_ config: BaselineConfiguration) {
        self.config = config
        self.generationLength = max(1, config.forgetAfter / 2)
    }

    @inline(__always) func generation(_ t: Int64) -> Int32 {
        Int32(clamping: floorDiv(t, generationLength))
    }

    @inline(__always) func burstBucket(_ t: Int64) -> Int64 { floorDiv(t, max(1, config.burstWindow)) }
}

@inline(__always) func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let q = a / b
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

/// Milliseconds in one hour.
let hourMs: Int64 = 3_600_000

/// The behaviour of one canonical identity (`Identity.key`) as learnt from its
/// events: APIs, source networks, user-agent families, regions, resources,
/// sessions, activity by hour of week, event rate and per-window maxima. Every
/// set is bounded; entries not seen for `forgetAfter` are forgotten. Detectors
/// read it (through `BaselineStore.profile(_:)`) as it was *before* the event
/// they look at.
public final class IdentityProfile {
    // The stored state below is marked `@exclusivity(unchecked)`: every event updates several of
    // these fields through mutating methods (`apis.touch`, `hourly.add`, …), and a dynamic
    // exclusivity check is a runtime call per access (about 20 per event over a profile and its
    // account). The compiler's static checks still apply; a profile is changed only by its
    // `BaselineStore`, on the one thread that runs detection (`watch` checkpoints on that thread
    // too), and no method passes one of these fields inout while another reaches it.
    /// Canonical identity key (role ARN for assumed-role sessions).
    public let key: String
    /// Identity type of the latest event.
    @exclusivity(unchecked) public internal(set) var type: IdentityType
    /// Account (recipient) of the first event, bounded to 64 bytes.
    @exclusivity(unchecked) public internal(set) var account: String
    /// Event time of the first event (ms).
    @exclusivity(unchecked) public internal(set) var firstSeen: Int64
    /// Event time of the latest event (ms).
    @exclusivity(unchecked) public internal(set) var lastSeen: Int64
    /// Events observed.
    @exclusivity(unchecked) public internal(set) var events: UInt64 = 0
    /// Events with an error code.
    @exclusivity(unchecked) public internal(set) var errors: UInt64 = 0
    /// Events denied (AccessDenied, UnauthorizedOperation, …).
    @exclusivity(unchecked) public internal(set) var accessDenied: UInt64 = 0
    /// APIs used, keyed by `Hash64.api(service:operation:)`.
    @exclusivity(unchecked) public internal(set) var apis = FeatureMap()
    /// Source networks, keyed by `NetworkKey`.
    @exclusivity(unchecked) public internal(set) var networks = FeatureMap()
    /// User-agent families, keyed by `UserAgentFamily.baselineKey`; `tag` = latest major version.
    @exclusivity(unchecked) public internal(set) var userAgents = FeatureMap()
    /// Regions, keyed by `Hash64.of(region)`.
    @exclusivity(unchecked) public internal(set) var regions = FeatureMap()
    /// Resources read or assumed, keyed by `ResourceCode.key`; `tag` = `ResourceCode`.
    @exclusivity(unchecked) public internal(set) var resources = FeatureMap()
    /// Session names and instance ids (tag 1), least recently seen replaced when full.
    @exclusivity(unchecked) public internal(set) var sessions = FeatureMap()
    /// Events per hour of week (0 = Monday 00h UTC); halved at each aging generation.
    @exclusivity(unchecked) public internal(set) var hourOfWeek = [UInt32](repeating: 0, count: 168)
    /// Hours with at least one event.
    @exclusivity(unchecked) public internal(set) var activeHours: UInt32 = 0
    /// Events per hour (current hour and maximum over earlier hours).
    @exclusivity(unchecked) public internal(set) var hourly = WindowMax()
    /// Distinct secrets / parameters / KMS keys / password data read per burst window.
    @exclusivity(unchecked) public internal(set) var secretReads = WindowMax()
    /// Distinct List/Describe/Get APIs per burst window.
    @exclusivity(unchecked) public internal(set) var readAPIs = WindowMax()
    /// Access-denied calls per burst window.
    @exclusivity(unchecked) public internal(set) var deniedCalls = WindowMax()
    @exclusivity(unchecked) var lastSweep: Int64
    @exclusivity(unchecked) var histogramGeneration: Int32
    @exclusivity(unchecked) var dirty = true
    let settings: ProfileSettings

    init(key: String, type: IdentityType, account: String, now: Int64, settings: ProfileSettings) {
        self.histogramGeneration = settings.generation(now)
        self.key = key
        self.type = type
        self.account = account.utf8.count > 64 ? String(decoding: account.utf8.prefix(64), as: UTF8.self) : account
        self.firstSeen = now
        self.lastSeen = now
        self.lastSweep = now
        self.settings = settings
    }

    /// Configuration of the store this profile belongs to.
    public var configuration: BaselineConfiguration { settings.config }

    /// True while the identity has been observed for less than the learning period.
    public func isLearning(now: Int64) -> Bool { now - firstSeen < settings.config.learningPeriod }

    /// Event time the profile covers up to `now`, in days.
    public func baselineDays(now: Int64) -> Double {
        Double(max(0, max(now, lastSeen) - firstSeen)) / Double(BaselineConfiguration.day)
    }

    @inline(__always) private func alive(_ s: FeatureStat, _ now: Int64) -> Bool {
        s.lastSeen >= now - settings.config.forgetAfter
    }

    /// The entry of `key` in `set` unless it aged out by `now`.
    public func entry(_ set: FeatureMap, _ key: UInt64, now: Int64) -> FeatureStat? {
        guard let i = set.find(key) else { return nil }
        let s = set.stats[i]
        return alive(s, now) ? s : nil
    }

    /// Entries of `set` not aged out by `now`, most used first.
    public func live(_ set: FeatureMap, now: Int64) -> [(key: UInt64, stat: FeatureStat)] {
        set.sortedByCount().filter { alive($0.stat, now) }
    }

    /// Number of entries of `set` not aged out by `now`.
    public func liveCount(_ set: FeatureMap, now: Int64) -> Int {
        var n = 0
        for s in set.stats where alive(s, now) { n += 1 }
        return n
    }

    /// The API's entry (`Hash64.api`), nil when never called or forgotten.
    public func api(_ hash: UInt64, now: Int64) -> FeatureStat? { entry(apis, hash, now: now) }

    /// The network's entry (`NetworkKey`), nil when never seen or forgotten.
    public func network(_ key: UInt64, now: Int64) -> FeatureStat? { entry(networks, key, now: now) }

    /// The user-agent family's entry, nil when never seen or forgotten.
    public func userAgent(_ family: UserAgentFamily, now: Int64) -> FeatureStat? {
        entry(userAgents, family.baselineKey, now: now)
    }

    /// Client user-agent families seen and not forgotten (`aws-internal` and `empty` excluded), most used first.
    public func clientFamilies(now: Int64) -> [(family: UserAgentFamily, stat: FeatureStat)] {
        live(userAgents, now: now).compactMap { e in
            guard let f = UserAgentFamily(baselineKey: e.key), !f.isNonClient else { return nil }
            return (f, e.stat)
        }
    }

    /// The region's entry, nil when never seen or forgotten.
    public func region(_ name: String, now: Int64) -> FeatureStat? { entry(regions, Hash64.of(name), now: now) }

    /// The resource's entry, nil when never read / assumed or forgotten.
    public func resource(_ kind: ResourceKind, _ id: String, now: Int64) -> FeatureStat? {
        entry(resources, ResourceCode.key(kind, id), now: now)
    }

    /// Distinct secrets read per burst window: maximum over earlier windows.
    public func priorMaxSecretReads(now: Int64) -> UInt32 {
        secretReads.priorMax(atBucket: settings.burstBucket(now), generation: settings.generation(now))
    }

    /// Distinct List/Describe/Get APIs per burst window: maximum over earlier windows.
    public func priorMaxReadAPIs(now: Int64) -> UInt32 {
        readAPIs.priorMax(atBucket: settings.burstBucket(now), generation: settings.generation(now))
    }

    /// Access-denied calls per burst window: maximum over earlier windows.
    public func priorMaxDenied(now: Int64) -> UInt32 {
        deniedCalls.priorMax(atBucket: settings.burstBucket(now), generation: settings.generation(now))
    }

    /// Events per hour: maximum over earlier hours.
    public func priorMaxHourly(now: Int64) -> UInt32 {
        hourly.priorMax(atBucket: floorDiv(now, hourMs), generation: settings.generation(now))
    }

    /// Events so far in the hour containing `now`, quarantined ones included
    /// (they are current activity, though never learned into the hourly maximum).
    public func eventsThisHour(now: Int64) -> UInt32 {
        let b = floorDiv(now, hourMs)
        let held = heldHour == b ? heldThisHour : 0
        let n = hourly.count(inBucket: b)
        return n > UInt32.max - held ? .max : n + held
    }

    /// Quarantined events in the hour `heldHour` (not saved: a current-hour count only).
    var heldThisHour: UInt32 = 0
    /// Hour bucket of `heldThisHour`.
    var heldHour: Int64 = .min

    /// Counts a quarantined event at `now` in the current-hour count.
    func countHeld(at now: Int64) {
        let b = floorDiv(now, hourMs)
        if b > heldHour {
            heldHour = b
            heldThisHour = 0
        }
        if b == heldHour && heldThisHour < .max { heldThisHour += 1 }
    }

    /// Mean events per active hour.
    public var meanPerActiveHour: Double { activeHours == 0 ? 0 : Double(events) / Double(activeHours) }

    /// Fraction of events with an error code.
    public var errorRatio: Double { events == 0 ? 0 : Double(errors) / Double(events) }

    /// Heap bytes held by this profile, computed from the real container capacities
    /// (object, key string, feature sets, histogram), excluding shared name tables.
    public var approximateBytes: Int {
        var n = 16 + 8 * 6 + 8 * 4 + 6 * 48 + 4 * MemoryLayout<WindowMax>.stride + 32
        if key.utf8.count > 15 { n += 32 + key.utf8.count }
        if account.utf8.count > 15 { n += 32 + account.utf8.count }
        n += 32 + hourOfWeek.capacity * 4
        for m in [apis, networks, userAgents, regions, resources, sessions] { n += m.approximateBytes }
        return n
    }
}
