import EventModel

/// One identity's saved baseline.
public struct IdentityRecord: Sendable, Hashable {
    /// Identity key.
    public var key: String
    /// Event time of its latest event (ms), so a state store can list idle identities.
    public var lastSeen: Int64
    /// Encoded profile.
    public var bytes: [UInt8]

    /// Creates a record.
    public init(key: String, lastSeen: Int64, bytes: [UInt8]) {
        self.key = key
        self.lastSeen = lastSeen
        self.bytes = bytes
    }
}

/// Baselines as records for a state store: one record per identity, plus
/// named blobs of shared facts (`accounts`, `names`, `trust`, `stats`).
/// A complete snapshot replaces everything saved before; an incremental one
/// (`BaselineStore.snapshotChanges()`) upserts `identities` and deletes `removed`.
public struct BaselineSnapshot: Sendable {
    /// True when `identities` is every identity (the saved set is replaced).
    public var isComplete: Bool
    /// Identities to save.
    public var identities: [IdentityRecord]
    /// Identity keys to delete (evicted since the previous snapshot).
    public var removed: [String]
    /// Shared facts by name; always complete.
    public var facts: [String: [UInt8]]

    /// Creates a snapshot.
    public init(isComplete: Bool, identities: [IdentityRecord], removed: [String] = [], facts: [String: [UInt8]]) {
        self.isComplete = isComplete
        self.identities = identities
        self.removed = removed
        self.facts = facts
    }
}

extension BaselineStore {
    /// Format version of every baseline blob.
    public static let snapshotVersion: UInt8 = 1

    /// Every identity and fact; clears the change marks.
    public func snapshot() -> BaselineSnapshot { makeSnapshot(complete: true) }

    /// Identities changed and removed since the previous snapshot, plus all
    /// facts; complete when too many removals were not tracked. Clears the marks.
    public func snapshotChanges() -> BaselineSnapshot { makeSnapshot(complete: needsCompleteSnapshot) }

    private func makeSnapshot(complete: Bool) -> BaselineSnapshot {
        var records: [IdentityRecord] = []
        for p in profiles.values where complete || p.dirty {
            records.append(IdentityRecord(key: p.key, lastSeen: p.lastSeen, bytes: encode(p)))
            p.dirty = false
        }
        records.sort { $0.key < $1.key }
        let removed = complete ? [] : removedSinceSnapshot
        removedSinceSnapshot.removeAll()
        needsCompleteSnapshot = false
        return BaselineSnapshot(isComplete: complete, identities: records, removed: removed, facts: encodeFacts())
    }

    /// Replaces the store's content with a snapshot (complete, as loaded from a
    /// state store). Throws on undecodable data, naming the identity or fact;
    /// the store is then left empty.
    public func restore(_ s: BaselineSnapshot) throws(BinaryDecodeError) {
        do throws(BinaryDecodeError) {
            try beginRestore(facts: s.facts)
            let kept =
                s.identities.count <= configuration.maxIdentities
                ? s.identities
                : Array(s.identities.sorted { $0.lastSeen > $1.lastSeen }.prefix(configuration.maxIdentities))
            for rec in kept { try restoreIdentity(rec) }
        } catch {
            clear()
            throw error
        }
    }

    /// First step of a streamed restore: empties the store and loads the shared facts.
    public func beginRestore(facts: [String: [UInt8]]) throws(BinaryDecodeError) {
        clear()
        do throws(BinaryDecodeError) {
            if let b = facts["accounts"] { try decodeAccounts(b) }
            if let b = facts["names"] { try decodeNames(b) }
            if let b = facts["trust"] { try decodeTrust(b) }
            if let b = facts["stats"] { try decodeStats(b) }
            if let b = facts["quarantine"] { try decodeQuarantine(b) }
        } catch {
            clear()
            throw error
        }
    }

    /// Adds one saved identity (streamed restore, after `beginRestore`). Past
    /// `maxIdentities` the longest-idle identities are evicted as usual.
    public func restoreIdentity(_ rec: IdentityRecord) throws(BinaryDecodeError) {
        let p: IdentityProfile
        do throws(BinaryDecodeError) {
            p = try decodeProfile(rec.bytes)
        } catch {
            throw BinaryDecodeError("baseline of '\(rec.key.prefix(200))': \(error.message)", offset: error.offset)
        }
        if profiles.count >= configuration.maxIdentities { evictIdentities() }
        p.dirty = false
        profiles[Hash64.of(p.key)] = p
    }

    private func clear() {
        profiles = [:]
        accounts = [:]
        cachedProfile = nil
        cachedAccount = nil
        let n = configuration.maxNames
        apiNames = NameTable(capacity: n)
        regionNames = NameTable(capacity: min(n, 1024))
        resourceNames = NameTable(capacity: n)
        sessionNames = NameTable(capacity: max(2, n / 4))
        principalNames = NameTable(capacity: n)
        trust = TrustGraph(capacity: configuration.maxTrustEdges)
        stats = BaselineStats()
        quarantine = Quarantine()
        removedSinceSnapshot = []
        needsCompleteSnapshot = false
    }

    // MARK: - Profiles

    func encode(_ p: IdentityProfile) -> [UInt8] {
        var w = BinaryWriter()
        w.u8(Self.snapshotVersion)
        w.string(p.key)
        w.string(p.type.rawValue)
        w.string(p.account)
        for t in [p.firstSeen, p.lastSeen, p.lastSweep, Int64(p.histogramGeneration)] { w.int(t) }
        for v in [p.events, p.errors, p.accessDenied, UInt64(p.activeHours)] { w.varint(v) }
        for m in [p.apis, p.networks, p.userAgents, p.regions, p.resources, p.sessions] { Self.write(m, &w) }
        for v in p.hourOfWeek { w.varint(UInt64(v)) }
        for m in [p.hourly, p.secretReads, p.readAPIs, p.deniedCalls] { Self.write(m, &w) }
        return w.bytes
    }

    func decodeProfile(_ bytes: [UInt8]) throws(BinaryDecodeError) -> IdentityProfile {
        var r = BinaryReader(bytes)
        let version = try r.u8()
        guard version == Self.snapshotVersion else {
            throw BinaryDecodeError("unsupported baseline format \(version)", offset: 0)
        }
        let key = try r.string(max: 4096)
        let type = IdentityType(rawValue: try r.string(max: 64)) ?? .unknown
        let account = try r.string(max: 64)
        let first = try r.int()
        let p = IdentityProfile(key: key, type: type, account: account, now: first, settings: settings)
        p.lastSeen = try r.int()
        p.lastSweep = try r.int()
        p.histogramGeneration = Int32(clamping: try r.int())
        p.events = try r.varint()
        p.errors = try r.varint()
        p.accessDenied = try r.varint()
        p.activeHours = try r.u32()
        let c = configuration
        p.apis = try Self.readMap(&r, capacity: c.maxAPIs)
        p.networks = try Self.readMap(&r, capacity: c.maxNetworks)
        p.userAgents = try Self.readMap(&r, capacity: c.maxUserAgents)
        p.regions = try Self.readMap(&r, capacity: c.maxRegions)
        p.resources = try Self.readMap(&r, capacity: c.maxResources)
        p.sessions = try Self.readMap(&r, capacity: c.maxSessions)
        for i in 0..<168 { p.hourOfWeek[i] = try r.u32() }
        p.hourly = try Self.readWindow(&r)
        p.secretReads = try Self.readWindow(&r)
        p.readAPIs = try Self.readWindow(&r)
        p.deniedCalls = try Self.readWindow(&r)
        guard r.isAtEnd else { throw BinaryDecodeError("trailing bytes", offset: r.offset) }
        return p
    }

    static func write(_ m: FeatureMap, _ w: inout BinaryWriter) {
        w.uint(m.count)
        w.varint(UInt64(m.overflow))
        w.varint(UInt64(m.forgotten))
        for (k, s) in zip(m.keys, m.stats) {
            w.u64(k)
            w.int(s.firstSeen)
            w.int(s.lastSeen &- s.firstSeen)
            w.varint(UInt64(s.count))
            w.varint(UInt64(s.tag))
        }
    }

    static func readMap(_ r: inout BinaryReader, capacity: Int) throws(BinaryDecodeError) -> FeatureMap {
        var m = FeatureMap()
        let n = try r.uint(max: 1 << 20)
        let overflow = try r.u32()
        let forgotten = try r.u32()
        for _ in 0..<n {
            let k = try r.u64()
            let first = try r.int()
            let last = first &+ (try r.int())
            let count = try r.u32()
            let tag = try r.u32()
            m.insert(k, FeatureStat(firstSeen: first, lastSeen: last, count: count, tag: tag), capacity: capacity)
        }
        m.setCounters(overflow: overflow, forgotten: forgotten)
        return m
    }

    static func write(_ m: WindowMax, _ w: inout BinaryWriter) {
        let p = m.parts
        w.int(p.0)
        for v in [p.1, p.2, p.3, p.4] { w.varint(UInt64(v)) }
        w.int(Int64(p.5))
    }

    static func readWindow(_ r: inout BinaryReader) throws(BinaryDecodeError) -> WindowMax {
        let b = try r.int()
        let c = try r.u32()
        let p = try r.u32()
        let mn = try r.u32()
        let mo = try r.u32()
        let g = Int32(clamping: try r.int())
        return WindowMax(parts: (b, c, p, mn, mo, g))
    }
}
