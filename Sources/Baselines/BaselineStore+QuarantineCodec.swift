import EventModel

// The quarantine is saved as the `quarantine` fact of a baseline snapshot. A
// state file written before it existed has no such fact and loads with an empty
// quarantine; a build that predates it ignores the fact.

extension Quarantine {
    /// Format version of the `quarantine` fact.
    static let version: UInt8 = 1

    /// True when there is something to save.
    var isInUse: Bool { !identities.isEmpty || !suspects.isEmpty || stats != QuarantineStats() }
}

extension BaselineStore {
    func encodeQuarantine() -> [UInt8] {
        BinaryWriter.encoded(version: Quarantine.version) { w in
            let q = quarantine
            for v in [q.stats.held, q.stats.dropped, q.stats.expired, q.stats.accepted] { w.varint(v) }
            w.int(q.lastExpiry)
            let suspects = q.suspects.values.sorted { $0.key < $1.key }
            w.uint(suspects.count)
            for s in suspects {
                w.string(s.key)
                w.int(s.since)
                w.int(s.until)
                Self.write(s.cause, &w)
            }
            let ids = q.identities.values.sorted { $0.key < $1.key }
            w.uint(ids.count)
            for i in ids {
                w.string(i.key)
                w.varint(i.dropped)
                w.uint(i.observations.count)
                for o in i.observations {
                    w.int(o.firstSeen)
                    w.int(o.lastSeen)
                    w.varint(UInt64(o.count))
                    Self.write(o.cause, &w)
                    w.bool(o.viaSuspect)
                    Self.write(o.event, &w)
                }
            }
        }
    }

    func decodeQuarantine(_ bytes: [UInt8]) throws(BinaryDecodeError) {
        var r = BinaryReader(bytes)
        guard try r.u8() == Quarantine.version else {
            throw BinaryDecodeError("quarantine: unsupported format", offset: 0)
        }
        var q = Quarantine()
        q.stats = QuarantineStats(
            held: try r.varint(), dropped: try r.varint(), expired: try r.varint(), accepted: try r.varint())
        q.lastExpiry = try r.int()
        for _ in 0..<(try r.uint(max: 1 << 24)) {
            let key = try r.string(max: 4096)
            let since = try r.int()
            let until = try r.int()
            let cause = try Self.readCause(&r)
            guard q.suspects.count < configuration.maxSuspects else { continue }
            q.suspects[Hash64.of(key)] = SuspectMark(key: key, since: since, until: until, cause: cause)
        }
        for _ in 0..<(try r.uint(max: 1 << 24)) {
            var i = QuarantinedIdentity(key: try r.string(max: 4096))
            i.dropped = try r.varint()
            for _ in 0..<(try r.uint(max: 1 << 24)) {
                let first = try r.int()
                let last = try r.int()
                let count = try r.u32()
                let cause = try Self.readCause(&r)
                let via = try r.bool()
                let e = try Self.readEvent(&r)
                let size = Quarantine.size(e)
                // Caps of this run apply to what was saved by another configuration.
                guard i.observations.count < configuration.maxQuarantinedPerIdentity,
                    q.count < configuration.maxQuarantined, q.bytes + size <= configuration.maxQuarantineBytes
                else {
                    i.dropped &+= 1
                    continue
                }
                i.append(
                    HeldObservation(
                        event: e, firstSeen: first, lastSeen: last, count: count, cause: cause, viaSuspect: via,
                        bytes: size),
                    signature: Quarantine.signature(e))
                q.count += 1
                q.bytes += size
            }
            if !i.observations.isEmpty { q.identities[Hash64.of(i.key)] = i }
        }
        guard r.isAtEnd else { throw BinaryDecodeError("quarantine: trailing bytes", offset: r.offset) }
        quarantine = q
    }

    static func write(_ c: QuarantineCause, _ w: inout BinaryWriter) {
        w.string(c.detector)
        w.u8(UInt8(c.severity.rawValue))
    }

    static func readCause(_ r: inout BinaryReader) throws(BinaryDecodeError) -> QuarantineCause {
        let detector = try r.string(max: 256)
        let offset = r.offset
        guard let s = Severity(rawValue: Int(try r.u8())) else {
            throw BinaryDecodeError("bad severity", offset: offset)
        }
        return QuarantineCause(detector: detector, severity: s)
    }

    /// Writes the fields of a held (trimmed) event.
    static func write(_ e: Event, _ w: inout BinaryWriter) {
        w.int(e.time)
        for s in [
            e.provider.rawValue, e.eventSource, e.account, e.region, e.identity.key, e.identity.type.rawValue,
            e.identity.accountId, e.identity.sessionName, e.identity.instanceId, e.action.service, e.action.operation,
            e.action.category.rawValue, e.source.kind.rawValue, e.source.raw, e.userAgent.raw,
            e.userAgent.family.rawValue, e.userAgent.version, e.outcome.errorCode, e.eventId,
        ] {
            w.string(s)
        }
        w.u8(e.action.readOnly.map { $0 ? 1 : 0 } ?? 2)
        w.strings(e.source.ips)
        w.uint(e.resources.count)
        for r in e.resources {
            w.string(r.kind.rawValue)
            w.string(r.id)
        }
        let params = e.parameters.sorted { $0.key < $1.key }
        w.uint(params.count)
        for (k, v) in params {
            w.string(k)
            w.string(v)
        }
    }

    static func readEvent(_ r: inout BinaryReader) throws(BinaryDecodeError) -> Event {
        let time = try r.int()
        var s: [String] = []
        for _ in 0..<19 { s.append(try r.string(max: 1 << 16)) }
        let ro = try r.u8()
        let ips = try r.strings(max: 16, maxLength: 256)
        var resources: [Resource] = []
        for _ in 0..<(try r.uint(max: Limits.maxResources)) {
            let kind = ResourceKind(rawValue: try r.string(max: 64)) ?? .other
            resources.append(Resource(kind: kind, id: try r.string(max: Limits.maxIdentifier * 4)))
        }
        var params: [String: String] = [:]
        for _ in 0..<(try r.uint(max: Limits.maxParameters)) {
            let k = try r.string(max: 256)
            params[k] = try r.string(max: Limits.maxParameterValue)
        }
        let identity = Identity(
            key: s[4], type: IdentityType(rawValue: s[5]) ?? .unknown, accountId: s[6], sessionName: s[7],
            instanceId: s[8])
        return Event(
            time: time, provider: Provider(rawValue: s[0]) ?? .aws, eventSource: s[1], account: s[2], region: s[3],
            identity: identity,
            action: Action(
                service: s[9], operation: s[10], readOnly: ro == 2 ? nil : ro == 1,
                category: EventCategory(rawValue: s[11]) ?? .management),
            source: Source(kind: Source.Kind(rawValue: s[12]) ?? .unknown, raw: s[13], ips: ips),
            userAgent: UserAgent(raw: s[14], family: UserAgentFamily(rawValue: s[15]) ?? .empty, version: s[16]),
            outcome: Outcome(errorCode: s[17]), resources: resources, parameters: params, eventId: s[18])
    }
}
