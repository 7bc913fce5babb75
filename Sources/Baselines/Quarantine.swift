import EventModel

/// Why observations are held back from the baseline: the finding (detector and
/// severity) whose evidence they are, or that made their identity suspect.
public struct QuarantineCause: Sendable, Hashable {
    /// Detector id of the finding.
    public var detector: String
    /// Severity of the finding (after correlation).
    public var severity: Severity

    /// Creates a cause.
    public init(detector: String, severity: Severity) {
        self.detector = detector
        self.severity = severity
    }
}

/// One event held out of the baseline. Repeats (same call, network, client,
/// region, session and resources) are folded into one, counted, so that an
/// attacker's loop costs one entry.
public struct HeldObservation: Sendable {
    /// The event, trimmed to what `BaselineStore.observe` reads.
    public internal(set) var event: Event
    /// Event time of the first and latest repeat (ms).
    public internal(set) var firstSeen: Int64
    /// Event time of the latest repeat (ms).
    public internal(set) var lastSeen: Int64
    /// Repeats folded in.
    public internal(set) var count: UInt32
    /// The finding behind it.
    public internal(set) var cause: QuarantineCause
    /// True when held because its identity was suspect, false when it is the
    /// evidence of the finding itself.
    public internal(set) var viaSuspect: Bool
    var bytes: Int

    /// Folds a repeat seen at `time` in.
    mutating func fold(at time: Int64, cause: QuarantineCause, viaSuspect: Bool) {
        if count != .max { count += 1 }
        firstSeen = min(firstSeen, time)
        lastSeen = max(lastSeen, time)
        if !viaSuspect && self.viaSuspect {  // evidence is the stronger reason
            self.viaSuspect = false
            self.cause = cause
        }
    }
}

/// The quarantined observations of one identity.
public struct QuarantinedIdentity: Sendable {
    /// Identity key.
    public let key: String
    /// Held observations, in the order they were first held.
    public internal(set) var observations: [HeldObservation] = []
    var index: [UInt64: Int] = [:]
    /// Observations dropped, unlearned, because a cap was reached.
    public internal(set) var dropped: UInt64 = 0
    var bytes = 0

    mutating func append(_ o: HeldObservation, signature: UInt64) {
        index[signature] = observations.count
        observations.append(o)
        bytes += o.bytes
    }

    /// Event time of the oldest held observation (ms), nil when none is held.
    public var since: Int64? { observations.map(\.firstSeen).min() }
}

/// An identity with a recent finding at `quarantineSeverity` or above: all its
/// events are quarantined until `until`.
public struct SuspectMark: Sendable, Hashable {
    /// Identity key.
    public var key: String
    /// Event time of its first such finding in this stretch (ms).
    public var since: Int64
    /// Event time when the suspicion ends (latest finding + `suspectWindow`).
    public var until: Int64
    /// The latest such finding.
    public var cause: QuarantineCause
}

/// Counters of the quarantine (all identities).
public struct QuarantineStats: Sendable, Hashable {
    /// Observations held (each repeat counted).
    public var held: UInt64 = 0
    /// Observations dropped because a cap was reached.
    public var dropped: UInt64 = 0
    /// Observations dropped after `quarantinePeriod` without an accept.
    public var expired: UInt64 = 0
    /// Observations learned after `baseline accept`.
    public var accepted: UInt64 = 0
}

/// Observations kept out of the baselines until an analyst accepts them, and
/// the identities currently suspect. Bounded by the `BaselineConfiguration`
/// quarantine caps; attacker-controlled input only ever fills it up to them,
/// and what is refused is simply never learned.
public struct Quarantine: Sendable {
    /// Held observations by identity-key hash.
    public internal(set) var identities: [UInt64: QuarantinedIdentity] = [:]
    /// Suspect identities by identity-key hash.
    public internal(set) var suspects: [UInt64: SuspectMark] = [:]
    /// Distinct observations held in total.
    public internal(set) var count = 0
    /// Approximate bytes held in total.
    public internal(set) var bytes = 0
    /// Counters.
    public internal(set) var stats = QuarantineStats()
    /// Event time of the last expiry pass.
    var lastExpiry: Int64 = .min

    /// Parameters `observe` reads (secret ids, parameter names, key ids,
    /// instance ids, roles assumed, Kubernetes namespaces); the others are not kept.
    static let keptParameters = [
        "requestParameters.secretId", "requestParameters.name", "requestParameters.keyId",
        "requestParameters.instanceId", "requestParameters.roleArn", "objectRef.namespace",
    ]

    /// The event as held: only what the baseline learns from.
    static func trimmed(_ e: Event) -> Event {
        var params: [String: String] = [:]
        for k in keptParameters { if let v = e.parameters[k] { params[k] = v } }
        let id = Identity(
            key: e.identity.key, type: e.identity.type, accountId: e.identity.accountId,
            sessionName: e.identity.sessionName, instanceId: e.identity.instanceId)
        return Event(
            time: e.time, provider: e.provider, eventSource: e.eventSource, account: e.account, region: e.region,
            identity: id, action: e.action, source: e.source, userAgent: e.userAgent,
            outcome: Outcome(errorCode: e.outcome.errorCode), resources: e.resources, parameters: params,
            eventId: e.eventId)
    }

    /// What folds repeats: everything `observe` learns except the time.
    static func signature(_ e: Event) -> UInt64 {
        var h = Hash64.api(service: e.action.service, operation: e.action.operation)
        for s in [
            e.account, e.region, e.source.raw, e.userAgent.family.rawValue, e.userAgent.version,
            e.identity.sessionName, e.identity.instanceId, e.outcome.errorCode,
        ] {
            h = Hash64.combine(h, Hash64.of(s))
        }
        for r in e.resources { h = Hash64.combine(h, Hash64.of(r.kind.rawValue + ":" + r.id)) }
        for k in keptParameters { if let v = e.parameters[k] { h = Hash64.combine(h, Hash64.of(k + "=" + v)) } }
        return h
    }

    /// Approximate heap bytes of a held event.
    static func size(_ e: Event) -> Int {
        var n = 160 + e.identity.key.utf8.count + e.account.utf8.count + e.region.utf8.count + e.eventSource.utf8.count
        n += e.source.raw.utf8.count + e.source.ips.reduce(0) { $0 + 16 + $1.utf8.count }
        n += e.userAgent.raw.utf8.count + e.userAgent.version.utf8.count + e.eventId.utf8.count
        n += e.identity.sessionName.utf8.count + e.identity.instanceId.utf8.count + e.outcome.errorCode.utf8.count
        n += e.action.service.utf8.count + e.action.operation.utf8.count
        n += e.resources.reduce(0) { $0 + 24 + $1.id.utf8.count }
        n += e.parameters.reduce(0) { $0 + 48 + $1.key.utf8.count + $1.value.utf8.count }
        return n
    }
}
