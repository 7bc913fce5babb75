extension BaselineStore {
    func encodeFacts() -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [:]
        var w = BinaryWriter()
        w.u8(Self.snapshotVersion)
        w.uint(accounts.count)
        for a in accounts.values.sorted(by: { $0.account < $1.account }) {
            w.string(a.account)
            for t in [a.firstSeen, a.lastSeen, a.lastSweep] { w.int(t) }
            w.varint(a.events)
            w.varint(UInt64(a.identities))
            Self.write(a.apis, &w)
            Self.write(a.regions, &w)
            a.dirty = false
        }
        out["accounts"] = w.bytes

        w = BinaryWriter()
        w.u8(Self.snapshotVersion)
        for t in [apiNames, regionNames, resourceNames, sessionNames, principalNames] {
            let all = t.all
            w.uint(all.count)
            for (h, name) in all {
                w.u64(h)
                w.string(name)
            }
        }
        out["names"] = w.bytes

        w = BinaryWriter()
        w.u8(Self.snapshotVersion)
        w.uint(trust.dropped)
        let edges = trust.all
        w.uint(edges.count)
        for e in edges {
            w.u64(e.from)
            w.u64(e.to)
            w.int(e.stat.firstSeen)
            w.int(e.stat.lastSeen &- e.stat.firstSeen)
            w.varint(UInt64(e.stat.count))
        }
        out["trust"] = w.bytes

        w = BinaryWriter()
        w.u8(Self.snapshotVersion)
        for v in [stats.observed, stats.withoutIdentity, stats.identitiesEvicted, stats.accountsEvicted] { w.varint(v) }
        out["stats"] = w.bytes
        if quarantine.isInUse { out["quarantine"] = encodeQuarantine() }
        return out
    }

    private func version(_ r: inout BinaryReader, _ what: String) throws(BinaryDecodeError) {
        let v = try r.u8()
        guard v == Self.snapshotVersion else { throw BinaryDecodeError("\(what): unsupported format \(v)", offset: 0) }
    }

    func decodeAccounts(_ bytes: [UInt8]) throws(BinaryDecodeError) {
        var r = BinaryReader(bytes)
        try version(&r, "accounts")
        let n = try r.uint(max: 1 << 24)
        for _ in 0..<n {
            let id = try r.string(max: 64)
            let first = try r.int()
            let a = AccountFacts(account: id, now: first, settings: settings)
            a.lastSeen = try r.int()
            a.lastSweep = try r.int()
            a.events = try r.varint()
            a.identities = try r.u32()
            a.apis = try Self.readMap(&r, capacity: configuration.maxAccountAPIs)
            a.regions = try Self.readMap(&r, capacity: configuration.maxAccountRegions)
            a.dirty = false
            if accounts.count < configuration.maxAccounts { accounts[Hash64.of(id)] = a }
        }
        guard r.isAtEnd else { throw BinaryDecodeError("accounts: trailing bytes", offset: r.offset) }
    }

    func decodeNames(_ bytes: [UInt8]) throws(BinaryDecodeError) {
        var r = BinaryReader(bytes)
        try version(&r, "names")
        var tables = [apiNames, regionNames, resourceNames, sessionNames, principalNames]
        for i in tables.indices {
            let n = try r.uint(max: 1 << 24)
            for _ in 0..<n {
                let h = try r.u64()
                let name = try r.string(max: NameTable.maxNameBytes * 4)
                tables[i].intern(h) { name }
            }
        }
        guard r.isAtEnd else { throw BinaryDecodeError("names: trailing bytes", offset: r.offset) }
        apiNames = tables[0]
        regionNames = tables[1]
        resourceNames = tables[2]
        sessionNames = tables[3]
        principalNames = tables[4]
    }

    func decodeTrust(_ bytes: [UInt8]) throws(BinaryDecodeError) {
        var r = BinaryReader(bytes)
        try version(&r, "trust")
        var g = TrustGraph(capacity: configuration.maxTrustEdges)
        _ = try r.uint(max: Int.max)
        let n = try r.uint(max: 1 << 24)
        for _ in 0..<n {
            let from = try r.u64()
            let to = try r.u64()
            let first = try r.int()
            let last = first &+ (try r.int())
            let count = try r.u32()
            g.insert(
                TrustGraph.Edge(from: from, to: to, stat: FeatureStat(firstSeen: first, lastSeen: last, count: count)))
        }
        guard r.isAtEnd else { throw BinaryDecodeError("trust: trailing bytes", offset: r.offset) }
        trust = g
    }

    func decodeStats(_ bytes: [UInt8]) throws(BinaryDecodeError) {
        var r = BinaryReader(bytes)
        try version(&r, "stats")
        stats.observed = try r.varint()
        stats.withoutIdentity = try r.varint()
        stats.identitiesEvicted = try r.varint()
        stats.accountsEvicted = try r.varint()
        guard r.isAtEnd else { throw BinaryDecodeError("stats: trailing bytes", offset: r.offset) }
    }
}
