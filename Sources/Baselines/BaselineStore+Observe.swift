import EventModel

extension BaselineStore {
    /// Folds an event into its identity's profile and its account's facts.
    /// Runs on every event: hashes instead of strings, flat arrays, no
    /// allocation unless something is new to the identity.
    public func observe(_ event: Event) {
        stats.observed &+= 1
        let key = event.identity.key
        if key.isEmpty {
            stats.withoutIdentity &+= 1
            return
        }
        let now = event.time
        let acct = accountFacts(for: event.account, now: now)
        let p = profileForUpdate(key, event, acct, now)
        if now - p.lastSweep >= configuration.sweepInterval { sweep(p, now: now) }
        if now - acct.lastSweep >= configuration.sweepInterval { sweep(acct, now: now) }
        record(event, p, acct, now)
    }

    private func accountFacts(for id: String, now: Int64) -> AccountFacts {
        let a: AccountFacts
        if let c = cachedAccount, c.account == id {
            a = c
        } else if let found = accounts[Hash64.of(id)] {
            a = found
        } else {
            if accounts.count >= configuration.maxAccounts { evictAccounts() }
            a = AccountFacts(account: id, now: now, settings: settings)
            accounts[Hash64.of(a.account)] = a
        }
        cachedAccount = a
        a.events &+= 1
        if now > a.lastSeen { a.lastSeen = now }
        if now < a.firstSeen { a.firstSeen = now }
        a.dirty = true
        return a
    }

    private func profileForUpdate(_ key: String, _ e: Event, _ acct: AccountFacts, _ now: Int64) -> IdentityProfile {
        if let c = cachedProfile, c.key == key { return c }
        let h = Hash64.of(key)
        if let p = profiles[h] {  // a 64-bit collision shares a profile (negligible at 200k identities)
            cachedProfile = p
            return p
        }
        if profiles.count >= configuration.maxIdentities { evictIdentities() }
        let p = IdentityProfile(key: key, type: e.identity.type, account: acct.account, now: now, settings: settings)
        profiles[h] = p
        acct.identities &+= 1
        cachedProfile = p
        return p
    }

    private func record(_ e: Event, _ p: IdentityProfile, _ acct: AccountFacts, _ now: Int64) {
        let cfg = configuration
        let gen = settings.generation(now)
        let burst = settings.burstBucket(now)
        let burstStart = burst &* max(1, cfg.burstWindow)
        p.dirty = true
        p.events &+= 1
        p.type = e.identity.type
        if now > p.lastSeen { p.lastSeen = now }
        if now < p.firstSeen { p.firstSeen = now }
        let success = e.outcome.errorCode.isEmpty
        if !success {
            p.errors &+= 1
            if e.outcome.isAccessDenied {
                p.accessDenied &+= 1
                p.deniedCalls.add(1, bucket: burst, generation: gen)
            }
        }
        let hour = floorDiv(now, hourMs)
        if p.hourly.add(1, bucket: hour, generation: gen) { p.activeHours &+= 1 }
        let how = Int(((hour + 72) % 168 + 168) % 168)
        p.hourOfWeek.withUnsafeMutableBufferPointer { if $0[how] != .max { $0[how] += 1 } }

        recordAPI(e, p, acct, now, gen: gen, burst: burst, burstStart: burstStart)
        recordSource(e, p, now)
        recordUserAgent(e, p, now)
        recordRegion(e, p, acct, now)
        recordSession(e, p, now)
        if success { recordResources(e, p, now, gen: gen, burst: burst, burstStart: burstStart) }
    }

    private func recordAPI(
        _ e: Event, _ p: IdentityProfile, _ acct: AccountFacts, _ now: Int64, gen: Int32, burst: Int64,
        burstStart: Int64
    ) {
        let service = e.action.service
        let operation = e.action.operation
        let h = Hash64.api(service: service, operation: operation)
        let t = p.apis.touch(h, at: now, capacity: configuration.maxAPIs)
        if APIClass.isDiscovery(operation: operation) {
            var newInWindow = true
            if case .known(let prev) = t { newInWindow = prev < burstStart }
            if newInWindow { p.readAPIs.add(1, bucket: burst, generation: gen) }
        }
        acct.apis.touch(h, at: now, capacity: configuration.maxAccountAPIs)
        if t == .added {
            if !apiNames.contains(h) { apiNames.intern(h) { service + ":" + operation } }
            home(of: p, acct)?.apis.adjustTag(h, by: 1)
        }
    }

    private func home(of p: IdentityProfile, _ acct: AccountFacts) -> AccountFacts? {
        acct.account == p.account ? acct : accounts[Hash64.of(p.account)]
    }

    private func recordSource(_ e: Event, _ p: IdentityProfile, _ now: Int64) {
        switch e.source.kind {
        case .awsService:
            p.networks.touch(NetworkKey.awsService, at: now, capacity: configuration.maxNetworks)
        case .ip:
            for ip in e.source.ips {
                if let k = NetworkKey.of(ip: ip) { p.networks.touch(k, at: now, capacity: configuration.maxNetworks) }
            }
        case .unknown:
            break
        }
    }

    private func recordUserAgent(_ e: Event, _ p: IdentityProfile, _ now: Int64) {
        let ua = e.userAgent
        guard ua.family != .empty else { return }
        let major = Self.majorVersion(ua.version)
        p.userAgents.touch(
            ua.family.baselineKey, at: now, capacity: configuration.maxUserAgents,
            tag: major.map { $0 &+ 1 })
    }

    /// Leading integer of a version string (`2` of `2.15.3`), without allocating.
    static func majorVersion(_ v: String) -> UInt32? {
        var value: UInt32 = 0
        var digits = 0
        for c in v.utf8 {
            guard c >= 48 && c <= 57 else { break }
            if digits == 9 { break }
            value = value * 10 + UInt32(c - 48)
            digits += 1
        }
        return digits == 0 ? nil : value
    }

    private func recordRegion(_ e: Event, _ p: IdentityProfile, _ acct: AccountFacts, _ now: Int64) {
        let region = e.region
        guard !region.isEmpty else { return }
        let h = Hash64.of(region)
        let a = p.regions.touch(h, at: now, capacity: configuration.maxRegions)
        let b = acct.regions.touch(h, at: now, capacity: configuration.maxAccountRegions)
        if (a == .added || b == .added) && !regionNames.contains(h) { regionNames.intern(h) { region } }
    }

    private func recordSession(_ e: Event, _ p: IdentityProfile, _ now: Int64) {
        let isInstance = !e.identity.instanceId.isEmpty
        let name = isInstance ? e.identity.instanceId : e.identity.sessionName
        guard !name.isEmpty else { return }
        let h = Hash64.of(name)
        let t = p.sessions.touch(
            h, at: now, capacity: configuration.maxSessions, tag: isInstance ? 1 : 0,
            replaceOldest: true)
        if t == .added && !sessionNames.contains(h) { sessionNames.intern(h) { name } }
    }

    private func recordResources(
        _ e: Event, _ p: IdentityProfile, _ now: Int64, gen: Int32, burst: Int64, burstStart: Int64
    ) {
        let service = e.action.service
        let operation = e.action.operation
        let secretRead = APIClass.isSecretRead(service: service, operation: operation)
        if secretRead {
            var distinct: UInt32 = 0
            APIClass.secretItems(e) { kind, id in
                switch touchResource(p, kind, id, now) {
                case .added, .refused: distinct += 1
                case .known(let prev): if prev < burstStart { distinct += 1 }
                }
            }
            if distinct > 0 { p.secretReads.add(distinct, bucket: burst, generation: gen) }
        }
        if !e.resources.isEmpty {
            for r in e.resources {
                switch r.kind {
                case .bucket: touchResource(p, .bucket, r.id, now)
                case .secret, .parameter, .kmsKey: if !secretRead { touchResource(p, r.kind, r.id, now) }
                default: break
                }
            }
        }
        if APIClass.isAssumeRole(service: service, operation: operation), let role = APIClass.assumedRole(e) {
            touchResource(p, .role, role, now)
            let to = Hash64.of(role)
            let idHash = Hash64.of(p.key)
            trust.touch(from: idHash, to: to, at: now)
            if !principalNames.contains(idHash) { principalNames.intern(idHash) { p.key } }
            if !principalNames.contains(to) { principalNames.intern(to) { role } }
        }
    }

    @discardableResult
    private func touchResource(_ p: IdentityProfile, _ kind: ResourceKind, _ id: String, _ now: Int64)
        -> FeatureMap.Touch
    {
        let k = ResourceCode.key(kind, id)
        let t = p.resources.touch(k, at: now, capacity: configuration.maxResources, tag: ResourceCode.of(kind))
        if t == .added && !resourceNames.contains(k) { resourceNames.intern(k) { id } }
        return t
    }
}
