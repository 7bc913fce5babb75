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
        var apis: [(api: UInt64, service: UInt64, time: Int64)] = []
        var names: [String] = []
        var windowStart: Int64 = 0
        var oldest: Int64 = .max
        var evidence = Evidence()
        var denied: [Int64] = []
        var deniedNames: [String] = []
        var deniedStart: Int64 = 0
        var deniedEvidence = Evidence()
        var reportedReads: Int64 = .min
        var reportedDenied: Int64 = .min
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
        let cutoff = now - c.window
        if st.oldest < cutoff {
            st.apis.removeAll { $0.time < cutoff }
            st.oldest = st.apis.map(\.time).min() ?? .max
        }
        if st.apis.isEmpty {
            st.names.removeAll()
            st.evidence = Evidence()
            st.windowStart = now
        }
        let h = Hash64.api(service: e.action.service, operation: e.action.operation)
        if let i = st.apis.firstIndex(where: { $0.api == h }) {
            st.apis[i].time = now
            return nil
        }
        guard st.apis.count < c.maxTracked else { return nil }
        st.apis.append((h, Hash64.of(e.action.service), now))
        st.oldest = min(st.oldest, now)
        if st.names.count < State.maxNames { st.names.append(e.action.key) }
        st.evidence.add(e.eventId)
        let base = Int(p.priorMaxReadAPIs(now: now))
        let threshold = max(c.minDistinct, Int((c.multiplier * Double(base)).rounded(.up)))
        guard st.apis.count >= threshold, st.reportedReads == .min || st.reportedReads < now - c.window else {
            return nil
        }
        let services = Set(st.apis.map(\.service)).count
        guard services >= c.minServices else { return nil }
        st.reportedReads = now
        let who = BaselineWords.who(e)
        let span = now - st.windowStart
        let baseWindow = context.baselines.configuration.burstWindow
        let text =
            "\(who) called \(st.apis.count) distinct List/Describe/Get APIs across \(services) services in "
            + "\(BaselineText.duration(span)) (\(BaselineText.list(st.names, limit: 6))); its previous maximum was "
            + "\(base) distinct read APIs per \(BaselineText.duration(baseWindow)) in \(BaselineWords.span(p, now)) "
            + "(threshold \(threshold)). Enumerating many services at once is how stolen credentials are explored."
        let facts =
            [
                Fact("observed_distinct_apis", String(st.apis.count)), Fact("observed_services", String(services)),
                Fact("observed_window", BaselineText.duration(span)), Fact("baseline_max_per_window", String(base)),
                Fact("baseline_window", BaselineText.duration(baseWindow)), Fact("threshold", String(threshold)),
                Fact("sample_apis", st.names.joined(separator: ", ")),
            ] + BaselineWords.facts(p, now)
        return Signal(
            severity: context.spec.severity,
            title: "\(who) enumerated \(st.apis.count) APIs in \(BaselineText.duration(span))",
            explanation: text, facts: facts, mitre: ["T1580", "T1526", "T1087.004"], key: "discovery",
            eventIds: st.evidence.ids, firstSeen: st.windowStart, count: st.apis.count)
    }

    private func denials(_ e: Event, _ st: State, _ p: IdentityProfile, _ context: DetectionContext) -> Signal? {
        let now = e.time
        let c = configuration
        let cutoff = now - c.window
        if let first = st.denied.first, first < cutoff { st.denied.removeAll { $0 < cutoff } }
        if st.denied.isEmpty {
            st.deniedNames.removeAll()
            st.deniedEvidence = Evidence()
            st.deniedStart = now
        }
        if st.denied.count < c.maxTracked { st.denied.append(now) }
        if st.deniedNames.count < State.maxDeniedNames && !st.deniedNames.contains(e.action.key) {
            st.deniedNames.append(e.action.key)
        }
        st.deniedEvidence.add(e.eventId)
        let base = Int(p.priorMaxDenied(now: now))
        let threshold = max(c.minDenied, Int((c.deniedMultiplier * Double(base)).rounded(.up)))
        guard st.denied.count >= threshold, st.reportedDenied == .min || st.reportedDenied < now - c.window else {
            return nil
        }
        st.reportedDenied = now
        let who = BaselineWords.who(e)
        let span = now - st.deniedStart
        let baseWindow = context.baselines.configuration.burstWindow
        let text =
            "\(who) was denied \(st.denied.count) calls in \(BaselineText.duration(span)) "
            + "(\(BaselineText.list(st.deniedNames, limit: 6))); its previous maximum was \(base) denied calls per "
            + "\(BaselineText.duration(baseWindow)) in \(BaselineWords.span(p, now)), error ratio "
            + "\(BaselineText.percent(p.errorRatio)). A burst of denials is a key probing its own permissions."
        let facts =
            [
                Fact("observed_denied", String(st.denied.count)), Fact("observed_window", BaselineText.duration(span)),
                Fact("baseline_max_per_window", String(base)),
                Fact("baseline_window", BaselineText.duration(baseWindow)),
                Fact("threshold", String(threshold)), Fact("sample_apis", st.deniedNames.joined(separator: ", ")),
                Fact("baseline_error_ratio", BaselineText.percent(p.errorRatio)),
            ] + BaselineWords.facts(p, now)
        return Signal(
            severity: context.spec.severity,
            title: "\(who) was denied \(st.denied.count) calls in \(BaselineText.duration(span))",
            explanation: text, facts: facts, mitre: ["T1580", "T1526", "T1087.004"], key: "access-denied",
            eventIds: st.deniedEvidence.ids, firstSeen: st.deniedStart, count: st.denied.count)
    }
}

extension DiscoveryBurst {
    /// Format of `snapshot()`.
    static let snapshotVersion: UInt8 = 1

    /// Saves every identity's read and denial windows, their evidence and report marks.
    public func snapshot() -> [UInt8]? {
        BinaryWriter.encoded(version: Self.snapshotVersion) { w in
            states.encode(into: &w) { st, w in
                w.uint(st.apis.count)
                for a in st.apis {
                    w.u64(a.api)
                    w.u64(a.service)
                    w.int(a.time)
                }
                w.strings(st.names)
                w.int(st.windowStart)
                w.int(st.oldest)
                w.evidence(st.evidence)
                w.uint(st.denied.count)
                for t in st.denied { w.int(t) }
                w.strings(st.deniedNames)
                w.int(st.deniedStart)
                w.evidence(st.deniedEvidence)
                w.int(st.reportedReads)
                w.int(st.reportedDenied)
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
        let st = State()
        for _ in 0..<(try r.uint(max: configuration.maxTracked)) {
            st.apis.append((try r.u64(), try r.u64(), try r.time()))
        }
        st.names = try r.strings(max: State.maxNames, maxLength: StateCodec.maxText)
        st.windowStart = try r.time()
        st.oldest = try r.mark(never: .max)
        st.evidence = try r.evidence()
        for _ in 0..<(try r.uint(max: configuration.maxTracked)) { st.denied.append(try r.time()) }
        st.deniedNames = try r.strings(max: State.maxDeniedNames, maxLength: StateCodec.maxText)
        st.deniedStart = try r.time()
        st.deniedEvidence = try r.evidence()
        st.reportedReads = try r.mark()
        st.reportedDenied = try r.mark()
        return st
    }
}
