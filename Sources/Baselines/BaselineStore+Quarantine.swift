import EventModel

// The baseline must not learn the attacker. The engine calls `learn(_:evidence:)`
// after an event's detectors ran: the evidence of a finding at
// `quarantineSeverity` or above, and every event of an identity that is suspect
// (such a finding within `suspectWindow`), is held here instead of observed.
// Held observations are learned only by `acceptQuarantined(identity:)` (an
// analyst's verdict) and are otherwise dropped after `quarantinePeriod`.

extension BaselineStore {
    /// Folds `event` into the baseline, or holds it in quarantine when it is
    /// the evidence of a finding at `quarantineSeverity` or above (`evidence`)
    /// or its identity is suspect.
    public func learn(_ event: Event, evidence: QuarantineCause?) {
        let now = event.time
        let last = quarantine.lastExpiry
        if last == .min || (now > last && now &- last >= configuration.sweepInterval) { expireQuarantine(now: now) }
        let key = event.identity.key
        if !key.isEmpty {
            if let evidence, evidence.severity >= configuration.quarantineSeverity {
                markSuspect(key, at: now, cause: evidence)
                hold(event, cause: evidence, viaSuspect: false)
                return
            }
            if !quarantine.suspects.isEmpty, let s = quarantine.suspects[Hash64.of(key)], s.key == key,
                now <= s.until
            {
                hold(event, cause: s.cause, viaSuspect: true)
                return
            }
        }
        observe(event)
    }

    /// Records a finding at `quarantineSeverity` or above about `key` at `time`:
    /// the identity is suspect until `time + suspectWindow`. Lower severities are ignored.
    public func markSuspect(_ key: String, at time: Int64, cause: QuarantineCause) {
        guard !key.isEmpty, cause.severity >= configuration.quarantineSeverity, configuration.suspectWindow > 0
        else { return }
        let h = Hash64.of(key)
        // An identity still in its learning period is not made suspect: holding every event of an identity
        // that has barely been seen would leave it without a baseline, and each later event would look new
        // (the churn evaluation showed one false finding in the first hours cascading into ~100). The finding's
        // own evidence is still held back.
        if let p = profiles[h], p.key == key, p.isLearning(now: time) { return }
        let until = time &+ configuration.suspectWindow
        if var s = quarantine.suspects[h], s.key == key {
            if s.until < time { s.since = time }
            if until >= s.until {
                s.until = until
                s.cause = cause
            }
            quarantine.suspects[h] = s
            return
        }
        if quarantine.suspects.count >= max(1, configuration.maxSuspects),
            let first = quarantine.suspects.min(by: { $0.value.until < $1.value.until })
        {
            quarantine.suspects[first.key] = nil
        }
        quarantine.suspects[h] = SuspectMark(key: key, since: time, until: until, cause: cause)
    }

    /// The suspect mark of an identity at event time `time`, nil when it is not suspect.
    public func suspect(_ key: String, at time: Int64) -> SuspectMark? {
        guard let s = quarantine.suspects[Hash64.of(key)], s.key == key, time <= s.until else { return nil }
        return s
    }

    /// Holds an event (trimmed) in quarantine, folding repeats; refuses and
    /// counts it when a cap is reached. Mutates the held list in place (no copy per event).
    func hold(_ event: Event, cause: QuarantineCause, viaSuspect: Bool) {
        let c = configuration
        let key = event.identity.key
        let h = Hash64.of(key)
        if let other = quarantine.identities[h]?.key, other != key { return }  // 64-bit collision: never learned
        quarantine.stats.held &+= 1
        profile(key)?.countHeld(at: event.time)
        let sig = Quarantine.signature(event)
        if let i = quarantine.identities[h]?.index[sig] {
            quarantine.identities[h]!.observations[i].fold(at: event.time, cause: cause, viaSuspect: viaSuspect)
            return
        }
        let kept = Quarantine.trimmed(event)
        let size = Quarantine.size(kept)
        guard (quarantine.identities[h]?.observations.count ?? 0) < c.maxQuarantinedPerIdentity,
            quarantine.count < c.maxQuarantined, quarantine.bytes + size <= c.maxQuarantineBytes
        else {
            quarantine.stats.dropped &+= 1
            if quarantine.identities[h] != nil { quarantine.identities[h]!.dropped &+= 1 }
            return
        }
        if quarantine.identities[h] == nil { quarantine.identities[h] = QuarantinedIdentity(key: key) }
        quarantine.identities[h]!.append(
            HeldObservation(
                event: kept, firstSeen: event.time, lastSeen: event.time, count: 1, cause: cause,
                viaSuspect: viaSuspect, bytes: size),
            signature: sig)
        quarantine.count += 1
        quarantine.bytes += size
    }

    /// Drops, unlearned, observations first held more than `quarantinePeriod`
    /// before `now`, and suspect marks that ended. Runs from `learn` at most
    /// once per `sweepInterval` of event time.
    public func expireQuarantine(now: Int64) {
        quarantine.lastExpiry = now
        let cutoff = now &- configuration.quarantinePeriod
        for (h, s) in quarantine.suspects where s.until < now { quarantine.suspects[h] = nil }
        for (h, q) in quarantine.identities where q.observations.contains(where: { $0.firstSeen < cutoff }) {
            let keep = q.observations.filter { $0.firstSeen >= cutoff }
            for o in q.observations where o.firstSeen < cutoff { quarantine.stats.expired &+= UInt64(o.count) }
            replace(h, q, with: keep)
        }
    }

    private func replace(_ h: UInt64, _ old: QuarantinedIdentity, with keep: [HeldObservation]) {
        quarantine.count -= old.observations.count - keep.count
        quarantine.bytes -= old.bytes
        guard !keep.isEmpty else {
            quarantine.identities[h] = nil
            return
        }
        var q = QuarantinedIdentity(key: old.key)
        q.dropped = old.dropped
        for o in keep { q.append(o, signature: Quarantine.signature(o.event)) }
        quarantine.bytes += q.bytes
        quarantine.identities[h] = q
    }

    /// An analyst's verdict that the identity's held activity was benign: its
    /// quarantined observations are learned (in event-time order; a folded
    /// repeat is learned at its first and latest time) and its suspect mark is
    /// cleared. Returns the number of distinct observations learned.
    @discardableResult
    public func acceptQuarantined(identity key: String) -> Int {
        let h = Hash64.of(key)
        if quarantine.suspects[h]?.key == key { quarantine.suspects[h] = nil }
        guard let q = quarantine.identities[h], q.key == key else { return 0 }
        replace(h, q, with: [])
        var events: [Event] = []
        for o in q.observations {
            var e = o.event
            e.time = o.firstSeen
            events.append(e)
            if o.count > 1 && o.lastSeen != o.firstSeen {
                e.time = o.lastSeen
                events.append(e)
            }
            quarantine.stats.accepted &+= UInt64(o.count)
        }
        events.sort { $0.time < $1.time }
        for e in events { observe(e) }
        return q.observations.count
    }

    /// The held observations of an identity, nil when none are held.
    public func quarantined(_ key: String) -> QuarantinedIdentity? {
        guard let q = quarantine.identities[Hash64.of(key)], q.key == key else { return nil }
        return q
    }

    /// Identity keys with held observations or a suspect mark, sorted.
    public var quarantinedKeys: [String] {
        Set(quarantine.identities.values.map(\.key) + quarantine.suspects.values.map(\.key)).sorted()
    }
}

extension BaselineStore {
    /// `baseline show` lines about an identity's suspect mark and quarantined
    /// observations (what, since when, why); empty when there are none.
    public func describeQuarantine(identity key: String, limit: Int = 50) -> [String] {
        var out: [String] = []
        let h = Hash64.of(key)
        if let s = quarantine.suspects[h], s.key == key {
            out.append(
                "Suspect \(BaselineText.date(s.since)) → \(BaselineText.date(s.until)) after \(s.cause.detector) "
                    + "(\(s.cause.severity)): every event meanwhile is quarantined")
        }
        guard let q = quarantined(key) else { return out }
        let c = configuration
        var head = "Quarantined (not learned): \(q.observations.count) observations (cap \(c.maxQuarantinedPerIdentity)"
        if q.dropped > 0 { head += ", \(BaselineText.count(q.dropped)) dropped: quarantine full" }
        head +=
            "), since \(BaselineText.date(q.since ?? 0)); each is dropped, unlearned, --quarantine-days after it was "
            + "first held (default 14) unless `trailhound baseline accept` learns it; evidence first"
        out.append(head)
        // The evidence of findings first (why the identity is suspect), then what it did meanwhile.
        let sorted = q.observations.sorted {
            ($0.viaSuspect ? 1 : 0, $0.firstSeen, $0.event.eventId) < (
                $1.viaSuspect ? 1 : 0, $1.firstSeen, $1.event.eventId
            )
        }
        for o in sorted.prefix(limit) {
            let e = o.event
            var what = "\(e.action.service):\(e.action.operation)"
            if !e.source.raw.isEmpty { what += " from \(e.source.raw)" }
            if e.userAgent.family != .empty {
                what +=
                    " via \(e.userAgent.family.rawValue)\(e.userAgent.version.isEmpty ? "" : " " + e.userAgent.version)"
            }
            if !e.region.isEmpty { what += " in \(e.region)" }
            let why =
                o.viaSuspect
                ? "identity suspect after \(o.cause.detector) (\(o.cause.severity))"
                : "evidence of \(o.cause.detector) (\(o.cause.severity))"
            out.append(
                "  \(TerminalText.escape(what))  ×\(BaselineText.count(o.count))  first \(BaselineText.date(o.firstSeen))  "
                    + "last \(BaselineText.date(o.lastSeen))  \(why)")
        }
        if sorted.count > limit { out.append("  … and \(sorted.count - limit) more") }
        return out
    }
}
