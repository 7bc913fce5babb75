extension BaselineStore {
    /// Forgets one identity's entries not seen for `forgetAfter`, fades its
    /// hour-of-week histogram, and refreshes the display names it still uses.
    /// Called lazily from `observe` at most once per `sweepInterval` per identity.
    func sweep(_ p: IdentityProfile, now: Int64) {
        p.lastSweep = now
        let cutoff = now - configuration.forgetAfter
        let home = accounts[Hash64.of(p.account)]
        p.apis.forget(before: cutoff) { k, _ in home?.apis.adjustTag(k, by: -1) }
        p.networks.forget(before: cutoff)
        p.userAgents.forget(before: cutoff)
        p.regions.forget(before: cutoff)
        p.resources.forget(before: cutoff)
        p.sessions.forget(before: cutoff)
        let g = settings.generation(now)
        if g > p.histogramGeneration {
            let shift = UInt32(min(31, Int(g) - Int(p.histogramGeneration)))
            for i in 0..<p.hourOfWeek.count { p.hourOfWeek[i] >>= shift }
            p.histogramGeneration = g
        }
        for k in p.apis.keys { apiNames.keep(k) }
        for k in p.regions.keys { regionNames.keep(k) }
        for k in p.resources.keys { resourceNames.keep(k) }
        for k in p.sessions.keys { sessionNames.keep(k) }
        p.dirty = true
    }

    /// Forgets an account's APIs and regions not seen for `forgetAfter`.
    func sweep(_ a: AccountFacts, now: Int64) {
        a.lastSweep = now
        let cutoff = now - configuration.forgetAfter
        a.apis.forget(before: cutoff)
        a.regions.forget(before: cutoff)
        for k in a.apis.keys { apiNames.keep(k) }
        for k in a.regions.keys { regionNames.keep(k) }
        a.dirty = true
    }

    /// Evicts the longest-idle 1/16 of the identities (at least one). Choosing
    /// victims visits every profile (a cache miss and a retain each: ~20 ms at
    /// 200,000), so a larger batch keeps eviction cheaper than learning when a
    /// stream of new identities runs at the cap (1/64 cost ~2x the learning).
    func evictIdentities() {
        let n = max(1, configuration.maxIdentities / 16)
        var all = profiles.map { (time: $0.value.lastSeen, key: $0.key) }
        for v in Oldest.select(&all, n) { removeProfile(v.key) }
    }

    /// Removes a profile and its contribution to its account's facts.
    func removeProfile(_ h: UInt64) {
        guard let p = profiles.removeValue(forKey: h) else { return }
        if let a = accounts[Hash64.of(p.account)] {
            if a.identities > 0 { a.identities -= 1 }
            for k in p.apis.keys { a.apis.adjustTag(k, by: -1) }
            a.dirty = true
        }
        if cachedProfile === p { cachedProfile = nil }
        noteRemoved(p.key)
        stats.identitiesEvicted &+= 1
    }

    func noteRemoved(_ key: String) {
        if removedSinceSnapshot.count < max(1024, configuration.maxIdentities) {
            removedSinceSnapshot.append(key)
        } else {
            needsCompleteSnapshot = true
        }
    }

    /// Evicts the longest-idle 1/64 of the accounts (at least one).
    func evictAccounts() {
        let n = max(1, configuration.maxAccounts / 64)
        var all = accounts.map { (time: $0.value.lastSeen, key: $0.key) }
        for v in Oldest.select(&all, n) {
            if let a = accounts.removeValue(forKey: v.key), cachedAccount === a { cachedAccount = nil }
            stats.accountsEvicted &+= 1
        }
    }
}
