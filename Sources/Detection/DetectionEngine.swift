import Baselines
import EventModel

/// Counters the engine keeps; printed in the summary and exported as metrics.
public struct EngineStats: Sendable {
    /// Events offered to the engine.
    public var events = 0
    /// Events dropped as duplicate deliveries (same event id seen recently).
    public var duplicates = 0
    /// Signals dropped by an allow-list entry.
    public var allowlisted = 0
    /// Findings folded into an earlier one by the dedup window.
    public var folded = 0
    /// Findings emitted, by severity.
    public var findingsBySeverity: [Severity: Int] = [:]
    /// Findings emitted, by detector id.
    public var findingsByDetector: [String: Int] = [:]
}

/// Runs detectors over events in event-time order: drops duplicate deliveries,
/// routes each event to the detectors interested in its operation, shows them
/// the identity's baseline *before* the event, then folds the event into the
/// baseline, unless it is evidence of a finding at the quarantine severity or
/// its identity is suspect (then it is quarantined, see `BaselineStore.learn`); turns signals into findings (allow-lists, failed-attempt
/// severity, dedup). No I/O, no clock: "now" is the newest event time seen.
public final class DetectionEngine {
    private let loaded: [LoadedDetector]
    /// One per loaded detector, same index: what `run` reaches for every event, behind one reference.
    private let slots: [Slot]
    /// `slots` as the per-event path calls them: read without counting references.
    private let calls: [SlotCall]
    // The mutable state below is marked `@exclusivity(unchecked)`: every event touches these
    // properties several times (`run` passes `signals` inout to each detector), and a dynamic
    // exclusivity check is a runtime call per access. The compiler's static checks still apply; the
    // engine runs on one thread and no detector holds a reference to it, so no access can overlap another.
    private let byOperation: [String: [Int]]
    private let everyEvent: [Int]
    private let byFoldedOperation: CaseFoldedIndex<[Int]>
    /// Detectors by provider (`Provider.ordinal`).
    private let byProvider: [[Int]]
    /// Baselines shared with the detectors.
    public let baselines: BaselineStore
    @exclusivity(unchecked) private(set) var recent: RecentIDs
    /// Capacity of the recent-event-id set.
    let recentCapacity: Int
    @exclusivity(unchecked) private(set) var throttle = FindingThrottle()
    /// Events seen, for the cadence of closing dedup windows (saved, so a resumed run closes them at the same events).
    @exclusivity(unchecked) private(set) var ticks = 0
    @exclusivity(unchecked) private var signals: [Signal] = []
    /// Signals of `identity.new_api` for the current event, held until the operation's detectors ran.
    @exclusivity(unchecked) private var firstTimeAPI: [Signal] = []
    @exclusivity(unchecked) private var firstTimeAPIContext: DetectionContext?
    /// Dedup window by detector id.
    private let windows: [String: Int64]
    /// First-time APIs of one identity within one burst, folded into one finding.
    @exclusivity(unchecked) public var bursts = FirstTimeAPIBursts()
    /// Detector id whose findings are folded by burst and absorbed by rule findings on the same event.
    public static let firstTimeAPIDetectorId = "identity.new_api"
    /// The most severe finding whose evidence is the event being processed (its baseline learning is decided after its detectors ran).
    @exclusivity(unchecked) private var evidenceOf: QuarantineCause?
    /// Newest event time seen (the engine's notion of now).
    @exclusivity(unchecked) public private(set) var watermark: Int64 = .min
    /// Counters.
    @exclusivity(unchecked) public private(set) var stats = EngineStats()
    /// When false, events are not folded into baselines (rule detectors only).
    public var observeBaselines = true
    /// Stages every finding passes through before dedup (risk correlation), in order.
    private let stages: [any FindingStage]
    /// The risk correlator among `stages`, if any (its windows are saved in the engine's own entry).
    let riskCorrelator: RiskCorrelator?
    /// True when the stages are at most the risk correlator, whose effect the fold path can predict.
    private let foldPathOpen: Bool
    /// Observers of events and emitted findings (the incident chain).
    private let observers: [any EngineObserver]
    private let everyEventObservers: [Int]
    private let observersByOperation: [String: [Int]]

    /// Creates an engine over enabled detectors, with its finding stages and observers
    /// (fixed here, so that restoring state never depends on what was attached when).
    public init(
        detectors: [LoadedDetector], baselines: BaselineStore, stages: [any FindingStage] = [],
        observers: [any EngineObserver] = [], dedupCapacity: Int = 200_000
    ) {
        self.loaded = detectors.filter { $0.spec.enabled }
        self.stages = stages
        self.riskCorrelator = stages.lazy.compactMap { $0 as? RiskCorrelator }.first
        self.foldPathOpen = stages.isEmpty || (stages.count == 1 && riskCorrelator != nil)
        self.observers = observers
        self.baselines = baselines
        self.recent = RecentIDs(capacity: dedupCapacity)
        self.recentCapacity = dedupCapacity
        // Built once: a context per detector per event would copy its spec each time.
        let memo = EventMemo()
        self.slots = loaded.map { Slot($0, baselines, memo) }
        self.calls = slots.map(SlotCall.init)
        self.windows = Dictionary(
            loaded.map { ($0.spec.id, $0.spec.dedupWindow) }, uniquingKeysWith: { _, last in last })
        var everyEvent: [Int] = []
        var byOperation: [String: [Int]] = [:]
        var byFoldedOperation: [CaseFoldedKey: [Int]] = [:]
        var byProvider = [[Int]](repeating: [], count: Provider.allCases.count)
        for (i, d) in loaded.enumerated() {
            switch d.detector.interest {
            case .all: everyEvent.append(i)
            case .operations(let ops): for op in ops { byOperation[op, default: []].append(i) }
            case .operationsIgnoringCase(let ops):
                for op in Set(ops.map(CaseFoldedKey.init)) { byFoldedOperation[op, default: []].append(i) }
            case .provider(let p): byProvider[Int(p.ordinal)].append(i)
            }
        }
        (self.everyEvent, self.byOperation, self.byFoldedOperation, self.byProvider) =
            (everyEvent, byOperation, CaseFoldedIndex(byFoldedOperation), byProvider)
        var everyEventObservers: [Int] = []
        var observersByOperation: [String: [Int]] = [:]
        for (i, o) in observers.enumerated() {
            guard let ops = o.operations else {
                everyEventObservers.append(i)
                continue
            }
            for op in Set(ops) { observersByOperation[op, default: []].append(i) }
        }
        (self.everyEventObservers, self.observersByOperation) = (everyEventObservers, observersByOperation)
    }

    /// Ids of the detectors that run.
    public var detectorIds: [String] { loaded.map(\.spec.id) }

    /// Processes one event; calls `emit` for each finding to report now.
    public func process(_ event: Event, emit: (Finding) -> Void) {
        stats.events += 1
        ticks += 1
        if !event.eventId.isEmpty && !recent.insert(event.eventId) {
            stats.duplicates += 1
            return
        }
        if event.time > watermark { watermark = event.time }
        firstTimeAPI.removeAll(keepingCapacity: true)
        evidenceOf = nil
        for i in everyEvent { run(i, event, emit) }
        for o in everyEventObservers { observers[o].observe(event) }
        var reported = false
        if let list = byOperation[event.action.operation] {
            for i in list { reported = run(i, event, emit, firstTimeAPI: !firstTimeAPI.isEmpty) || reported }
        }
        if !observersByOperation.isEmpty, let list = observersByOperation[event.action.operation] {
            for o in list { observers[o].observe(event) }
        }
        for i in byProvider[Int(event.provider.ordinal)] {
            reported = run(i, event, emit, firstTimeAPI: !firstTimeAPI.isEmpty) || reported
        }
        if !byFoldedOperation.isEmpty, let list = byFoldedOperation[event.action.operation] {
            for i in list { reported = run(i, event, emit, firstTimeAPI: !firstTimeAPI.isEmpty) || reported }
        }
        // One event, one finding: a rule detector that reported this event carries
        // `first_time_api: true` instead of a separate identity.new_api finding.
        if !reported { for s in firstTimeAPI { deliver(firstTimeAPIContext!, s, event, emit) } }
        if observeBaselines { baselines.learn(event, evidence: evidenceOf) }  // or quarantine it
        evidenceOf = nil
        for f in bursts.close(before: watermark) { publish(f, emit) }
        if ticks & 0x3FFF == 0 { closeWindows(emit) }
    }

    /// End of input: flushes detector windows and reports what the dedup
    /// groups folded (the groups stay open until their window ends, so that a
    /// later run resumed from this state still folds repeats).
    public func finish(emit: (Finding) -> Void) {
        for (i, d) in loaded.enumerated() {
            var pending: [(Identity, Signal)] = []
            d.detector.finish(now: watermark, context: slots[i].context, into: &pending)
            for (identity, s) in pending {
                let e = Event(
                    time: watermark, account: identity.accountId, identity: identity,
                    action: Action(service: "", operation: ""))
                deliver(slots[i].context, s, e, emit, wording: i)
            }
        }
        for f in bursts.close(before: nil) { publish(f, emit) }
        for f in throttle.flush() { report(f, emit) }
        stats.folded = throttle.folded
    }

    /// Emits the follow-ups of dedup groups whose window ended before the
    /// watermark (the live service calls this at each checkpoint, so that a quiet
    /// stream still reports its repeats once their window is over).
    public func closeExpired(emit: (Finding) -> Void) {
        guard watermark != .min else { return }
        closeWindows(emit)
    }

    private func closeWindows(_ emit: (Finding) -> Void) {
        for f in bursts.close(before: watermark) { publish(f, emit) }
        for f in throttle.close(before: watermark) { report(f, emit) }
        stats.folded = throttle.folded
    }

    /// Runs detector `i`; true when it reported a signal whose evidence is this event.
    @discardableResult
    private func run(_ i: Int, _ event: Event, _ emit: (Finding) -> Void, firstTimeAPI isNew: Bool = false) -> Bool {
        let call = calls[i]
        // Decided against in the decoders (a rule that names no operation is routed every event).
        if let p = call.prematched, let hits = event.ruleHits, hits.set == p.set, !hits.contains(p.index) {
            return false
        }
        // One signal (a repeat of a rule that fires on most events) is dropped with `removeLast`:
        // `removeAll(keepingCapacity:)` goes through the generic `replaceSubrange`.
        if signals.count == 1 {
            signals.removeLast()
        } else if !signals.isEmpty {
            signals.removeAll(keepingCapacity: true)
        }
        call.detector._withUnsafeGuaranteedRef { d in
            call.context._withUnsafeGuaranteedRef { d.evaluate(event, context: $0, into: &signals) }
        }
        if signals.isEmpty { return false }
        // Not retained: `slots` holds every slot for the engine's life.
        unowned(unsafe) let slot = slots[i]
        if slot.isFirstTimeAPI {
            firstTimeAPIContext = slot.context
            firstTimeAPI.append(contentsOf: signals)
            return false
        }
        var reported = false
        // A local the loop borrows from: a signal read off the property would be copied for each call.
        // By index, and the context unretained: a signal taken out of the array is a copy (a retain
        // per string), and a context read off the slot is retained for the call.
        let batch = signals
        for k in batch.indices {
            let own = batch[k].eventIds.isEmpty || batch[k].eventIds.contains(event.eventId)
            if isNew && own {
                var marked = batch[k].wordingDeferred ? slot.detector.word(batch[k], for: event) : batch[k]
                marked.wordingDeferred = false
                marked.facts.append(Fact("first_time_api", "true"))
                if deliver(slot.context, marked, event, emit) { reported = true }
                continue
            }
            let delivered = call.context._withUnsafeGuaranteedRef { deliver($0, batch[k], event, emit, wording: i) }
            if delivered && own { reported = true }
        }
        return reported
    }

    /// Turns a signal into a finding and emits it (or folds it); false when an allow-list entry dropped it.
    /// `wording` is the slot of the detector that raised the signal, asked for its words when they
    /// were deferred (`Signal.wordingDeferred`) and a finding must be built (an index, not the
    /// detector: passing an existential retains it, and most repeats fold without words).
    @discardableResult
    private func deliver(
        _ context: DetectionContext, _ s: Signal, _ current: Event, _ emit: (Finding) -> Void,
        wording: Int? = nil
    ) -> Bool {
        guard let who = s.about else { return deliver(context, s, about: current, emit, wording: wording) }
        // About another identity than the event's: allow-lists and the finding see that identity.
        let event = Event(
            time: current.time, account: who.accountId, identity: who, action: current.action, origin: current.origin)
        return deliver(context, s, about: event, emit, wording: wording)
    }

    /// `deliver` with the event the finding is about (the current one, not copied, in the common case).
    private func deliver(
        _ context: DetectionContext, _ s: Signal, about event: Event, _ emit: (Finding) -> Void,
        wording: Int?
    ) -> Bool {
        if !context.spec.allowlist.isEmpty && context.spec.allowlist.contains(where: { $0.matches(event, s) }) {
            stats.allowlisted += 1
            return false
        }
        // What the finding (or the repeat the fold path counts) says, derived once for both.
        let severity = s.failedAttempt ? min(s.severity, context.spec.failedSeverity) : s.severity
        let firstSeen = min(s.firstSeen ?? event.time, event.time)
        let lastSeen = max(s.firstSeen ?? event.time, event.time)
        // The evidence is the signal's, or this event; as one id it folds without an array.
        // The key and its hash, not the identity: a copy of it would retain each of its strings.
        let who = (key: event.identity.key, hash: event.identity.keyHash)
        let folded =
            s.eventIds.isEmpty && !event.eventId.isEmpty
            ? foldsQuietly(context, s, who, severity, firstSeen, lastSeen, CollectionOfOne(event.eventId))
            : foldsQuietly(context, s, who, severity, firstSeen, lastSeen, s.eventIds)
        if folded { return true }
        if s.wordingDeferred, let wording {
            var worded = slots[wording].detector.word(s, for: event)
            worded.wordingDeferred = false
            publish(context.spec.id, worded, event, severity, firstSeen, lastSeen, emit)
        } else {
            publish(context.spec.id, s, event, severity, firstSeen, lastSeen, emit)
        }
        return true
    }

    /// Builds the finding of `detector`'s signal that was not folded and publishes it.
    private func publish(
        _ detector: String, _ s: Signal, _ event: Event, _ severity: Severity, _ firstSeen: Int64,
        _ lastSeen: Int64, _ emit: (Finding) -> Void
    ) {
        let ids = s.eventIds.isEmpty ? (event.eventId.isEmpty ? [] : [event.eventId]) : s.eventIds
        let f = Finding(
            detector: detector, severity: severity, identity: event.identity.key, identityType: event.identity.type,
            account: event.account, firstSeen: firstSeen, lastSeen: lastSeen, eventIds: ids, count: s.count,
            title: s.title, explanation: s.explanation, facts: s.facts, mitre: s.mitre, key: s.key,
            origin: event.origin)
        if detector == Self.firstTimeAPIDetectorId && !event.action.operation.isEmpty {
            for b in bursts.add(f) { publish(b, emit) }
            return
        }
        publish(f, emit)
    }

    /// The fold path: a repeat that its detector's open dedup group for the identity absorbs is
    /// counted there without building a finding, when nothing on the full path could tell the
    /// difference: the only stage is the risk correlator and it would not change the finding,
    /// the severity is below the quarantine severity (no suspect mark, no held-back baseline),
    /// and the group takes it. A rule that fires on most events (a hunting rule on every
    /// assumed-role call) then costs two lookups per repeat instead of a finding. The correlator
    /// records the signal first; when the fold path then declines, `publish` records it again,
    /// which changes nothing (recording is idempotent).
    private func foldsQuietly(
        _ context: DetectionContext, _ s: Signal, _ who: (key: String, hash: UInt64), _ severity: Severity,
        _ firstSeen: Int64,
        _ lastSeen: Int64, _ ids: some Collection<String>
    ) -> Bool {
        guard foldPathOpen, !context.isFirstTimeAPI,
            severity < baselines.configuration.quarantineSeverity
        else { return false }
        let (identity, identityHash) = who
        if let c = riskCorrelator,
            c.wouldCorrelate(
                identity: identity, identityHash: identityHash, detector: context.spec.id, key: s.key,
                severity: severity, time: lastSeen, eventIds: ids)
        {
            return false
        }
        guard
            throttle.fold(
                FindingThrottle.GroupKey(context.spec.id, identity, identityHash: identityHash), severity: severity,
                firstSeen: firstSeen,
                lastSeen: lastSeen, count: s.count, key: s.key, eventIds: ids)
        else { return false }
        stats.folded = throttle.folded
        return true
    }

    /// Correlates, dedups and emits a finding.
    private func publish(_ finding: Finding, _ emit: (Finding) -> Void) {
        var f = finding
        for stage in stages { stage.process(&f) }
        noteEvidence(f)
        let window = windows[f.detector] ?? 0
        guard let out = throttle.offer(f, window: window) else {
            stats.folded = throttle.folded
            return
        }
        if throttle.hasPending { for p in throttle.drainPending() { report(p, emit) } }
        report(out, emit)
    }

    /// A finding at the quarantine severity or above makes its identity suspect
    /// and, when raised by the event being processed, keeps that event out of the baseline.
    private func noteEvidence(_ f: Finding) {
        guard f.severity >= baselines.configuration.quarantineSeverity else { return }
        let cause = QuarantineCause(detector: f.detector, severity: f.severity)
        baselines.markSuspect(f.identity, at: f.lastSeen, cause: cause)
        if evidenceOf.map({ $0.severity < f.severity }) ?? true { evidenceOf = cause }
    }

    /// Counts a finding, shows it to the observers and emits it.
    private func report(_ f: Finding, _ emit: (Finding) -> Void) {
        stats.findingsBySeverity[f.severity, default: 0] += 1
        stats.findingsByDetector[f.detector, default: 0] += 1
        for o in observers { o.found(f) }
        emit(f)
    }

    /// Serialized state of every stateful detector, by id, of the stages and observers that
    /// keep some, by their key, and the engine's own (recent ids, dedup groups, correlation)
    /// under `DetectionEngine.stateKey`.
    public func snapshotDetectors() -> [String: [UInt8]] {
        var out: [String: [UInt8]] = [Self.stateKey: snapshotState()]
        for d in loaded { if let s = d.detector.snapshot() { out[d.spec.id] = s } }
        for s in stages { if let k = s.stateKey, let b = s.snapshot() { out[k] = b } }
        for o in observers { if let k = o.stateKey, let b = o.snapshot() { out[k] = b } }
        return out
    }

    /// Restores detector, stage, observer and engine state saved by `snapshotDetectors()`.
    /// Each part reads only its own entry, so neither the order of the entries nor that of
    /// this call and the baselines' restore matters.
    public func restoreDetectors(_ state: [String: [UInt8]]) {
        if let s = state[Self.stateKey] { restoreState(s) }
        for d in loaded { if let s = state[d.spec.id] { d.detector.restore(s) } }
        for s in stages { if let k = s.stateKey, let b = state[k] { s.restore(b) } }
        for o in observers { if let k = o.stateKey, let b = state[k] { o.restore(b) } }
    }

    func restore(watermark: Int64, ticks: Int, recent: RecentIDs, throttle: FindingThrottle) {
        self.watermark = watermark
        self.ticks = ticks
        self.recent = recent
        self.throttle = throttle
    }
}
