import EventModel

/// What `BaselineStore.forget(identity:firstSeenIn:)` removed, by set.
public struct ForgetSummary: Sendable {
    /// Entries removed, by set name (`APIs`, `source networks`, …), in display order.
    public var removed: [(set: String, count: Int)] = []

    /// Entries removed in total.
    public var total: Int { removed.reduce(0) { $0 + $1.count } }
}

extension BaselineStore {
    /// The clean-up after an incident the baseline learned: removes from one
    /// identity's profile every entry (API, network, user agent, region,
    /// resource, session, role it assumed) *first* seen within `window`, and
    /// its contribution to its account's "identities using this API". Entries
    /// known before the window stay, even if used during it. Counters,
    /// rates and the hour-of-week histogram are kept. Nil when the identity has
    /// no profile.
    public func forget(identity key: String, firstSeenIn window: ClosedRange<Int64>) -> ForgetSummary? {
        guard let p = profile(key) else { return nil }
        let home = accounts[Hash64.of(p.account)]
        var out = ForgetSummary()
        out.removed.append(("APIs", p.apis.remove(firstSeenIn: window) { k, _ in home?.apis.adjustTag(k, by: -1) }))
        out.removed.append(("source networks", p.networks.remove(firstSeenIn: window)))
        out.removed.append(("user-agent families", p.userAgents.remove(firstSeenIn: window)))
        out.removed.append(("regions", p.regions.remove(firstSeenIn: window)))
        out.removed.append(("resources", p.resources.remove(firstSeenIn: window)))
        out.removed.append(("sessions / instances", p.sessions.remove(firstSeenIn: window)))
        out.removed.append(("roles assumed (trust graph)", trust.remove(from: Hash64.of(p.key), firstSeenIn: window)))
        p.dirty = true
        home?.dirty = true
        return out
    }
}
