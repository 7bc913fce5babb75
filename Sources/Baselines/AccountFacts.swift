/// Account-wide first-seen facts: regions the account uses and APIs called by
/// any identity of the account, with the number of identities calling each
/// (to tell how rare an API is across the account). Bounded and aged like
/// profiles.
public final class AccountFacts {
    // `@exclusivity(unchecked)` for the reason given on `IdentityProfile`: updated on every event,
    // only by its `BaselineStore`, on one thread.
    /// Account id (recipient account), bounded to 64 bytes.
    public let account: String
    /// Event time of the first event (ms).
    @exclusivity(unchecked) public internal(set) var firstSeen: Int64
    /// Event time of the latest event (ms).
    @exclusivity(unchecked) public internal(set) var lastSeen: Int64
    /// Events observed.
    @exclusivity(unchecked) public internal(set) var events: UInt64 = 0
    /// Identities whose profile was created in this account and is still kept.
    @exclusivity(unchecked) public internal(set) var identities: UInt32 = 0
    /// APIs used in the account (`Hash64.api`); `tag` = identities using it.
    @exclusivity(unchecked) public internal(set) var apis = FeatureMap()
    /// Regions used in the account (`Hash64.of(region)`).
    @exclusivity(unchecked) public internal(set) var regions = FeatureMap()
    @exclusivity(unchecked) var lastSweep: Int64
    @exclusivity(unchecked) var dirty = true
    let settings: ProfileSettings

    init(account: String, now: Int64, settings: ProfileSettings) {
        self.account = account.utf8.count > 64 ? String(decoding: account.utf8.prefix(64), as: UTF8.self) : account
        self.firstSeen = now
        self.lastSeen = now
        self.lastSweep = now
        self.settings = settings
    }

    /// True while the account has been observed for less than the learning period.
    public func isLearning(now: Int64) -> Bool { now - firstSeen < settings.config.learningPeriod }

    /// The API's account-wide entry (`tag` = identities using it), nil when no identity calls it.
    public func api(_ hash: UInt64, now: Int64) -> FeatureStat? {
        guard let s = apis.stat(hash), s.lastSeen >= now - settings.config.forgetAfter else { return nil }
        return s
    }

    /// Number of identities of the account calling the API.
    public func identitiesUsing(_ hash: UInt64, now: Int64) -> Int { Int(api(hash, now: now)?.tag ?? 0) }

    /// The region's account-wide entry, nil when never used or forgotten.
    public func region(_ name: String, now: Int64) -> FeatureStat? {
        guard let s = regions.stat(Hash64.of(name)), s.lastSeen >= now - settings.config.forgetAfter else {
            return nil
        }
        return s
    }

    /// Heap bytes held.
    public var approximateBytes: Int { 128 + apis.approximateBytes + regions.approximateBytes }
}

/// Who assumed which role (edges of the trust graph as used, not as
/// configured), bounded: past `capacity` edges the least recently used
/// 1/16 are dropped. For investigations ("who else assumes role/deploy?") and
/// for `identity.role_chain`.
public struct TrustGraph: Sendable {
    /// One edge: `from` (identity key hash) assumed `to` (role ARN hash).
    public struct Edge: Sendable, Hashable {
        /// Hash of the assuming identity's key.
        public var from: UInt64
        /// Hash of the assumed role's ARN.
        public var to: UInt64
        /// Sightings.
        public var stat: FeatureStat
    }

    private(set) var edges: [UInt64: Edge] = [:]
    /// Edges dropped to stay within capacity.
    public private(set) var dropped = 0
    let capacity: Int

    init(capacity: Int) { self.capacity = max(16, capacity) }

    mutating func touch(from: UInt64, to: UInt64, at now: Int64) {
        let k = Hash64.combine(from, to)
        if var e = edges[k] {
            e.stat.lastSeen = max(e.stat.lastSeen, now)
            e.stat.firstSeen = min(e.stat.firstSeen, now)
            e.stat.count &+= e.stat.count == .max ? 0 : 1
            edges[k] = e
            return
        }
        if edges.count >= capacity { evict() }
        edges[k] = Edge(from: from, to: to, stat: FeatureStat(firstSeen: now, lastSeen: now, count: 1))
    }

    mutating func insert(_ e: Edge) {
        if edges.count >= capacity { evict() }
        edges[Hash64.combine(e.from, e.to)] = e
    }

    /// Removes the edges out of `from` first seen within `window`; returns how many.
    mutating func remove(from: UInt64, firstSeenIn window: ClosedRange<Int64>) -> Int {
        let gone = edges.filter { $0.value.from == from && window.contains($0.value.stat.firstSeen) }
        for k in gone.keys { edges[k] = nil }
        return gone.count
    }

    /// Edges out of an identity (roles it assumed).
    public func edges(from: UInt64) -> [Edge] {
        edges.values.filter { $0.from == from }.sorted { ($0.stat.lastSeen, $1.to) > ($1.stat.lastSeen, $0.to) }
    }

    /// Edges into a role (identities that assumed it).
    public func edges(to: UInt64) -> [Edge] {
        edges.values.filter { $0.to == to }.sorted { ($0.stat.lastSeen, $1.from) > ($1.stat.lastSeen, $0.from) }
    }

    /// All edges.
    public var all: [Edge] { Array(edges.values) }

    /// Number of edges.
    public var count: Int { edges.count }

    private mutating func evict() {
        let n = max(1, capacity / 16)
        let oldest = edges.sorted { $0.value.stat.lastSeen < $1.value.stat.lastSeen }.prefix(n)
        for (k, _) in oldest { edges[k] = nil }
        dropped += oldest.count
    }
}
