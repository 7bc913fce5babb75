extension IdentityProfile {
    /// True when the identity's sources churn by design: at least
    /// `BaselineConfiguration.churnMinNetworks` live networks ("via AWS service" aside), or a
    /// network set so full that new networks were refused.
    public func churnsNetworks(now: Int64) -> Bool {
        if networks.overflow > 0 { return true }
        var n = 0
        for (k, s) in zip(networks.keys, networks.stats)
        where k != NetworkKey.awsService && s.lastSeen >= now - settings.config.forgetAfter {
            n += 1
        }
        return n >= settings.config.churnMinNetworks
    }

    /// The network classes of the identity's live networks, most used first, with how many
    /// networks and events fall in each; networks without a class are counted under `nil`.
    public func networkClasses(_ classes: NetworkClasses, now: Int64) -> [(key: UInt64?, networks: Int, events: UInt64)]
    {
        var order: [UInt64?] = []
        var tally: [UInt64?: (networks: Int, events: UInt64)] = [:]
        for e in live(networks, now: now) where e.key != NetworkKey.awsService {
            let c = classes.classKey(ofNetwork: e.key)
            if tally[c] == nil { order.append(c) }
            let t = tally[c] ?? (0, 0)
            tally[c] = (t.networks + 1, t.events &+ UInt64(e.stat.count))
        }
        return order.map { (key: $0, networks: tally[$0]?.networks ?? 0, events: tally[$0]?.events ?? 0) }
            .sorted { $0.events > $1.events }
    }

    /// True when the identity already spans two or more regions of the provider of class `c`
    /// (hosted CI runners land in any of a provider's regions): for it a new region of that
    /// provider is not a new class. False for private enclosures.
    public func spansRegions(ofProviderOf c: UInt64, _ classes: NetworkClasses, now: Int64) -> Bool {
        guard let provider = classes.provider(ofClass: c) else { return false }
        var seen: Set<UInt64> = []
        for (k, s) in zip(networks.keys, networks.stats)
        where k != NetworkKey.awsService && s.lastSeen >= now - settings.config.forgetAfter {
            guard let other = classes.classKey(ofNetwork: k), classes.provider(ofClass: other) == provider else {
                continue
            }
            seen.insert(other)
            if seen.count >= 2 { return true }
        }
        return false
    }

    /// True when some live network of the identity is in class `c`.
    public func usesNetworkClass(_ c: UInt64, _ classes: NetworkClasses, now: Int64) -> Bool {
        for (k, s) in zip(networks.keys, networks.stats)
        where k != NetworkKey.awsService && s.lastSeen >= now - settings.config.forgetAfter {
            if classes.classKey(ofNetwork: k) == c { return true }
        }
        return false
    }
}
