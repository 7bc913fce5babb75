import EventModel

/// Counters of the baseline store, for the run summary and `baseline show`.
public struct BaselineStats: Sendable, Hashable {
    /// Events folded in.
    public var observed: UInt64 = 0
    /// Events skipped because they carry no identity.
    public var withoutIdentity: UInt64 = 0
    /// Identities evicted (longest idle) to stay within `maxIdentities`.
    public var identitiesEvicted: UInt64 = 0
    /// Accounts evicted to stay within `maxAccounts`.
    public var accountsEvicted: UInt64 = 0
}

/// Per-identity behavioural baselines plus account-wide facts and the trust
/// graph. No I/O, event time only. The `DetectionEngine` shows detectors the
/// baseline, then calls `observe(_:)` with the same event. Memory is bounded by
/// `BaselineConfiguration` caps whatever the input: strings from the logs are
/// stored as 64-bit hashes, with bounded name tables for display.
public final class BaselineStore {
    // The state every event updates is marked `@exclusivity(unchecked)` (see `IdentityProfile`):
    // the store is changed on the one thread that runs detection, and a dynamic exclusivity check
    // is a runtime call per access.
    /// Settings (learning period, aging, caps).
    public let configuration: BaselineConfiguration
    let settings: ProfileSettings
    @exclusivity(unchecked) var profiles: [UInt64: IdentityProfile] = [:]
    @exclusivity(unchecked) var accounts: [UInt64: AccountFacts] = [:]
    /// Display names of APIs (`service:Operation`).
    @exclusivity(unchecked) public internal(set) var apiNames: NameTable
    /// Display names of regions.
    @exclusivity(unchecked) public internal(set) var regionNames: NameTable
    /// Display names (ids) of resources.
    @exclusivity(unchecked) public internal(set) var resourceNames: NameTable
    /// Display names of session names and instance ids.
    @exclusivity(unchecked) public internal(set) var sessionNames: NameTable
    /// Display names of principals in the trust graph (identity keys, role ARNs).
    @exclusivity(unchecked) public internal(set) var principalNames: NameTable
    /// Who assumed which role.
    @exclusivity(unchecked) public internal(set) var trust: TrustGraph
    /// Counters.
    @exclusivity(unchecked) public internal(set) var stats = BaselineStats()
    /// Which cloud provider and region a network belongs to (the Runtime loads the snapshot
    /// from `detectors/networks/`); `.none` leaves only private enclosures classed.
    public var networkClasses: NetworkClasses = .none
    /// Observations held out of the baselines, and the suspect identities.
    @exclusivity(unchecked) public internal(set) var quarantine = Quarantine()
    @exclusivity(unchecked) var cachedProfile: IdentityProfile?
    @exclusivity(unchecked) var cachedAccount: AccountFacts?
    var removedSinceSnapshot: [String] = []
    var needsCompleteSnapshot = false

    /// Creates an empty store with the default configuration.
    public convenience init() { self.init(configuration: .default) }

    /// Creates an empty store.
    public init(configuration: BaselineConfiguration) {
        self.configuration = configuration
        self.settings = ProfileSettings(configuration)
        let n = configuration.maxNames
        apiNames = NameTable(capacity: n)
        regionNames = NameTable(capacity: min(n, 1024))
        resourceNames = NameTable(capacity: n)
        sessionNames = NameTable(capacity: max(2, n / 4))
        principalNames = NameTable(capacity: n)
        trust = TrustGraph(capacity: configuration.maxTrustEdges)
    }

    // MARK: - Queries

    /// The profile of an identity key (`event.identity.key`), nil when unknown.
    public func profile(_ identityKey: String) -> IdentityProfile? {
        if let c = cachedProfile, c.key == identityKey { return c }
        guard let p = profiles[Hash64.of(identityKey)], p.key == identityKey else { return nil }
        cachedProfile = p
        return p
    }

    /// Account-wide facts of an account id, nil when unknown.
    public func account(_ id: String) -> AccountFacts? {
        if let c = cachedAccount, c.account == id { return c }
        guard let a = accounts[Hash64.of(id)] else { return nil }
        cachedAccount = a
        return a
    }

    /// Number of identities with a profile.
    public var identityCount: Int { profiles.count }

    /// Number of accounts with facts.
    public var accountCount: Int { accounts.count }

    /// Identity keys with a profile, sorted.
    public var identityKeys: [String] { profiles.values.map(\.key).sorted() }

    /// Account ids with facts, sorted.
    public var accountIds: [String] { accounts.values.map(\.account).sorted() }

    /// Display name of an API hash (`api#…` when the name was not kept).
    public func apiName(_ hash: UInt64) -> String { apiNames.name(hash) ?? "api#\(hex(hash))" }

    /// Display name of a region hash.
    public func regionName(_ hash: UInt64) -> String { regionNames.name(hash) ?? "region#\(hex(hash))" }

    /// Display name of a resource key.
    public func resourceName(_ key: UInt64) -> String { resourceNames.name(key) ?? "resource#\(hex(key))" }

    /// Display name of a session / instance hash.
    public func sessionName(_ hash: UInt64) -> String { sessionNames.name(hash) ?? "session#\(hex(hash))" }

    /// Display name of a principal hash in the trust graph.
    public func principalName(_ hash: UInt64) -> String { principalNames.name(hash) ?? "principal#\(hex(hash))" }

    /// One edge of the trust graph in words.
    public struct RoleEdge: Sendable, Hashable {
        /// Identity that assumed the role.
        public var identity: String
        /// Role ARN assumed.
        public var role: String
        /// First time (ms).
        public var firstSeen: Int64
        /// Latest time (ms).
        public var lastSeen: Int64
        /// Successful assumptions seen.
        public var count: Int
    }

    /// Roles an identity assumed (trust graph), most recent first.
    public func assumedRoles(by identityKey: String) -> [RoleEdge] {
        trust.edges(from: Hash64.of(identityKey)).map(roleEdge)
    }

    /// Identities that assumed a role (trust graph), most recent first.
    public func assumers(of roleArn: String) -> [RoleEdge] {
        trust.edges(to: Hash64.of(roleArn)).map(roleEdge)
    }

    private func roleEdge(_ e: TrustGraph.Edge) -> RoleEdge {
        RoleEdge(
            identity: principalName(e.from), role: principalName(e.to), firstSeen: e.stat.firstSeen,
            lastSeen: e.stat.lastSeen, count: Int(e.stat.count))
    }

    /// Approximate heap bytes of the whole store (profiles, accounts, name tables, graph).
    public var approximateBytes: Int {
        var n = 256 + profiles.capacity * 4 / 3 * 16 + accounts.capacity * 4 / 3 * 16
        for p in profiles.values { n += p.approximateBytes }
        for a in accounts.values { n += a.approximateBytes }
        for t in [apiNames, regionNames, resourceNames, sessionNames, principalNames] { n += t.approximateBytes }
        n += trust.count * 4 / 3 * 72
        return n
    }

    func hex(_ v: UInt64) -> String { String(v, radix: 16) }
}
