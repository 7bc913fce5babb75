import Baselines
import Config
import Detection
import EventModel

/// Built-in detector `discovery.burst`; `explanation` says what it detects and why (it is the
/// `detectors explain` text, written once).
public final class DiscoveryBurst: BuiltInDetector {
    /// Detector id.
    public static let id = "discovery.burst"
    /// One line for `detectors list` and the docs table.
    public static let summary = "Burst of distinct List/Describe/Get APIs or denials beyond the baseline"
    /// Severity when the YAML does not set one.
    public static let defaultSeverity = Severity.medium
    /// Every MITRE ATT&CK technique its findings may carry.
    public static let mitre = ["T1087.004", "T1526", "T1580"]
    /// What it is built on.
    public static let kind = DetectorKind.baseline
    /// What it detects and why: the text of `trailhound detectors explain`.
    public static let explanation = """
        Many distinct List/Describe/Get APIs across several services in a short window (default 10 min), or an \
        AccessDenied spike, beyond the identity's own previous maximum per window (an inventory scanner whose \
        baseline is enumeration stays quiet). Quiet while the identity is learning. MITRE: T1580, T1526, T1087.004.
        """

    /// Settings (`settings:` in `detectors/discovery.burst.yaml`).
    public struct Configuration: Sendable {
        /// Sliding window (ms).
        public var window: Int64 = 600_000
        /// Distinct read APIs needed…
        public var minDistinct = 20
        /// …across at least this many services…
        public var minServices = 3
        /// …and at least this multiple of the identity's previous maximum per baseline window.
        public var multiplier = 3.0
        /// Access-denied calls in the window needed…
        public var minDenied = 10
        /// …and at least this multiple of the identity's previous maximum.
        public var deniedMultiplier = 3.0
        /// Identities with open windows kept (least recently used dropped).
        public var maxIdentities = 10_000
        /// Distinct APIs / denied calls tracked per window.
        public var maxTracked = 256

        /// Defaults.
        public init() {}

        /// Reads `settings:`.
        public init(reading r: ConfigReader) {
            let d = Configuration()
            window = r.duration("window", default: d.window, in: 1000...86_400_000)
            minDistinct = r.int("min_distinct", default: d.minDistinct, in: 1...100_000)
            minServices = r.int("min_services", default: d.minServices, in: 1...1000)
            multiplier = r.double("multiplier", default: d.multiplier, in: 1...1000)
            minDenied = r.int("min_denied", default: d.minDenied, in: 1...100_000)
            deniedMultiplier = r.double("denied_multiplier", default: d.deniedMultiplier, in: 1...1000)
            maxIdentities = r.int("max_identities", default: d.maxIdentities, in: 16...10_000_000)
            maxTracked = r.int("max_tracked", default: d.maxTracked, in: 8...100_000)
        }
    }

    final class State: RecentState {
        /// Distinct read APIs (key: the API, payload: its service).
        var reads = WindowedCounter<UInt64>()
        /// Denied calls (every call an entry).
        var denied = WindowedCounter<Void>()
        /// Sample API names kept per window.
        static let maxNames = 12
        /// Sample denied API names kept per window.
        static let maxDeniedNames = 8
    }

    /// Every event (only reads and denials are looked at).
    public let interest = Interest.all
    /// Effective settings.
    public let configuration: Configuration
    var states: BoundedStates<State>

    /// Builds the detector from its `settings:` mapping (problems go to the reader).
    public convenience init(settings: ConfigReader) { self.init(configuration: Configuration(reading: settings)) }

    /// Creates the detector.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.states = BoundedStates(capacity: configuration.maxIdentities)
    }

    /// Looks at one event.
    public func evaluate(_ e: Event, context: DetectionContext, into signals: inout [Signal]) {
        let isRead = APIClass.isDiscovery(operation: e.action.operation)
        let isDenied = !e.outcome.errorCode.isEmpty && e.outcome.isAccessDenied
        guard isRead || isDenied, !e.identity.key.isEmpty else { return }
        let now = e.time
        guard let p = context.baselines.profile(e.identity.key), !p.isLearning(now: now) else { return }
        let st = states.get(Hash64.of(e.identity.key), now: now) { State() }
        if isRead, let s = reads(e, st, p, context) { signals.append(s) }
        if isDenied, let s = denials(e, st, p, context) { signals.append(s) }
    }

    private func reads(_ e: Event, _ st: State, _ p: IdentityProfile, _ context: DetectionContext) -> Signal? {
        let now = e.time
        let c = configuration
        st.reads.slide(now: now, window: c.window)
        let h = Hash64.api(service: e.action.service, operation: e.action.operation)
        let counted = st.reads.count(h, now: now, payload: Hash64.of(e.action.service), capacity: c.maxTracked)
        guard counted == .added else { return nil }
        st.reads.sample(e.action.key, max: State.maxNames)
        st.reads.evidence.add(e.eventId)
        let distinct = st.reads.entries.count
        let base = Int(p.priorMaxReadAPIs(now: now))
        let threshold = max(c.minDistinct, Int((c.multiplier * Double(base)).rounded(.up)))
        guard distinct >= threshold, st.reads.mayReport(now: now, window: c.window) else { return nil }
        let services = Set(st.reads.entries.map(\.payload)).count
        guard services >= c.minServices else { return nil }
        st.reads.reportedAt = now
        let who = BaselineWords.who(e)
        let span = now - st.reads.start
        let baseWindow = context.baselines.configuration.burstWindow
        let text =
            "\(who) called \(distinct) distinct List/Describe/Get APIs across \(services) services in "
            + "\(BaselineText.duration(span)) (\(BaselineText.list(st.reads.names, limit: 6))); its previous maximum was "
            + "\(base) distinct read APIs per \(BaselineText.duration(baseWindow)) in \(BaselineWords.span(p, now)) "
            + "(threshold \(threshold)). Enumerating many services at once is how stolen credentials are explored."
        let facts =
            [
                Fact("observed_distinct_apis", String(distinct)), Fact("observed_services", String(services)),
                Fact("observed_window", BaselineText.duration(span)), Fact("baseline_max_per_window", String(base)),
                Fact("baseline_window", BaselineText.duration(baseWindow)), Fact("threshold", String(threshold)),
                Fact("sample_apis", st.reads.names.joined(separator: ", ")),
            ] + BaselineWords.facts(p, now)
        return Signal(
            severity: context.spec.severity,
            title: "\(who) enumerated \(distinct) APIs in \(BaselineText.duration(span))",
            explanation: text, facts: facts, mitre: ["T1580", "T1526", "T1087.004"], key: "discovery",
            eventIds: st.reads.evidence.ids, firstSeen: st.reads.start, count: distinct)
    }

    private func denials(_ e: Event, _ st: State, _ p: IdentityProfile, _ context: DetectionContext) -> Signal? {
        let now = e.time
        let c = configuration
        st.denied.slide(now: now, window: c.window)
        st.denied.append(now: now, payload: (), capacity: c.maxTracked)
        st.denied.sample(e.action.key, max: State.maxDeniedNames, unique: true)
        st.denied.evidence.add(e.eventId)
        let count = st.denied.entries.count
        let base = Int(p.priorMaxDenied(now: now))
        let threshold = max(c.minDenied, Int((c.deniedMultiplier * Double(base)).rounded(.up)))
        guard count >= threshold, st.denied.mayReport(now: now, window: c.window) else { return nil }
        st.denied.reportedAt = now
        let who = BaselineWords.who(e)
        let span = now - st.denied.start
        let baseWindow = context.baselines.configuration.burstWindow
        let text =
            "\(who) was denied \(count) calls in \(BaselineText.duration(span)) "
            + "(\(BaselineText.list(st.denied.names, limit: 6))); its previous maximum was \(base) denied calls per "
            + "\(BaselineText.duration(baseWindow)) in \(BaselineWords.span(p, now)), error ratio "
            + "\(BaselineText.percent(p.errorRatio)). A burst of denials is a key probing its own permissions."
        let facts =
            [
                Fact("observed_denied", String(count)), Fact("observed_window", BaselineText.duration(span)),
                Fact("baseline_max_per_window", String(base)),
                Fact("baseline_window", BaselineText.duration(baseWindow)),
                Fact("threshold", String(threshold)), Fact("sample_apis", st.denied.names.joined(separator: ", ")),
                Fact("baseline_error_ratio", BaselineText.percent(p.errorRatio)),
            ] + BaselineWords.facts(p, now)
        return Signal(
            severity: context.spec.severity,
            title: "\(who) was denied \(count) calls in \(BaselineText.duration(span))",
            explanation: text, facts: facts, mitre: ["T1580", "T1526", "T1087.004"], key: "access-denied",
            eventIds: st.denied.evidence.ids, firstSeen: st.denied.start, count: count)
    }
}

extension DiscoveryBurst {
    /// Format of `snapshot()`.
    static let snapshotVersion: UInt8 = 1

    /// Saves every identity's read and denial windows, their evidence and report marks.
    public func snapshot() -> [UInt8]? {
        BinaryWriter.encoded(version: Self.snapshotVersion) { w in
            states.encode(into: &w) { st, w in
                st.reads.encodeEntries(into: &w) { a, w in
                    w.u64(a.key)
                    w.u64(a.payload)
                    w.int(a.time)
                }
                w.strings(st.reads.names)
                w.int(st.reads.start)
                w.int(st.reads.oldest)
                w.evidence(st.reads.evidence)
                st.denied.encodeEntries(into: &w) { d, w in w.int(d.time) }
                w.strings(st.denied.names)
                w.int(st.denied.start)
                w.evidence(st.denied.evidence)
                w.int(st.reads.reportedAt)
                w.int(st.denied.reportedAt)
            }
        }
    }

    /// Restores state saved by `snapshot()`; bad data is ignored as a whole.
    public func restore(_ bytes: [UInt8]) {
        let restored = StateCodec.decode(bytes, versions: 1...1) { _, r throws(BinaryDecodeError) in
            try states.decoded(from: &r, decodeState)
        }
        if let restored { states = restored }
    }

    private func decodeState(_ r: inout BinaryReader) throws(BinaryDecodeError) -> State {
        let max = configuration.maxTracked
        let reads = try WindowedCounter<UInt64>.decodeEntries(from: &r, max: max) { r throws(BinaryDecodeError) in
            let api = try r.u64()
            let service = try r.u64()
            return .init(key: api, time: try r.time(), payload: service)
        }
        let names = try r.strings(max: State.maxNames, maxLength: StateCodec.maxText)
        let start = try r.time()
        let oldest = try r.mark(never: .max)
        let evidence = try r.evidence()
        let denied = try WindowedCounter<Void>.decodeEntries(from: &r, max: max) { r throws(BinaryDecodeError) in
            .init(key: 0, time: try r.time(), payload: ())
        }
        let deniedNames = try r.strings(max: State.maxDeniedNames, maxLength: StateCodec.maxText)
        let deniedStart = try r.time()
        let deniedEvidence = try r.evidence()
        let st = State()
        st.reads = WindowedCounter(
            entries: reads, names: names, evidence: evidence, start: start, oldest: oldest, reportedAt: try r.mark())
        st.denied = WindowedCounter(
            entries: denied, names: deniedNames, evidence: deniedEvidence, start: deniedStart,
            reportedAt: try r.mark())
        return st
    }
}
