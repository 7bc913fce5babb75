import Baselines
import Config
import Detection
import EventModel

/// Built-in detector `secrets.enumeration`; `explanation` says what it detects and why (it is the
/// `detectors explain` text, written once).
public final class SecretsEnumeration: BuiltInDetector {
    /// Detector id.
    public static let id = "secrets.enumeration"
    /// One line for `detectors list` and the docs table.
    public static let summary = "Many distinct secrets read, beyond the identity's own maximum"
    /// Severity when the YAML does not set one.
    public static let defaultSeverity = Severity.high
    /// Every MITRE ATT&CK technique its findings may carry.
    public static let mitre = ["T1087.004", "T1552", "T1555.006"]
    /// What it is built on.
    public static let kind = DetectorKind.baseline
    /// What it detects and why: the text of `trailhound detectors explain`.
    public static let explanation = """
        An identity reads many distinct secrets / SSM parameters / KMS-decrypted items / EC2 password data: \
        (1) a burst in a sliding window (default 10 min) beyond both an absolute minimum and a multiple of its \
        own previous maximum per window; (2) ListSecrets / DescribeParameters / GetParametersByPath followed by \
        reads beyond that maximum; (3) low and slow: many distinct never-before-read secrets over 24 h, reported \
        when the window closes or at end of input. Decrypts made by AWS services on the identity's behalf are \
        ignored. MITRE: T1555.006, T1552, T1087.004.
        """

    /// Settings (`settings:` in `detectors/secrets.enumeration.yaml`).
    public struct Configuration: Sendable {
        /// Sliding window of a burst (ms).
        public var window: Int64 = 600_000
        /// A burst needs at least this many distinct items…
        public var minDistinct = 5
        /// …and at least this multiple of the identity's previous maximum per baseline window.
        public var multiplier = 3.0
        /// While the identity is learning (no reliable maximum), a burst needs this many distinct items.
        public var minDistinctWhileLearning = 15
        /// After a listing call in the window: distinct reads needed (and more than the previous maximum).
        public var afterListingMinDistinct = 3
        /// Low-and-slow window (ms).
        public var slowWindow: Int64 = 86_400_000
        /// Distinct never-before-read items in the slow window that make a finding.
        public var slowMinNew = 10
        /// Ignore calls made by an AWS service on the identity's behalf (source is a service, or `invokedBy`).
        public var ignoreViaAWSService = true
        /// Identities with open windows kept (least recently used dropped).
        public var maxIdentities = 10_000
        /// Distinct items tracked per window (more are counted, not kept).
        public var maxTracked = 256

        /// Defaults.
        public init() {}

        /// Reads `settings:`.
        public init(reading r: ConfigReader) {
            let d = Configuration()
            window = r.duration("window", default: d.window, in: 1000...86_400_000)
            minDistinct = r.int("min_distinct", default: d.minDistinct, in: 1...100_000)
            multiplier = r.double("multiplier", default: d.multiplier, in: 1...1000)
            minDistinctWhileLearning = r.int(
                "min_distinct_while_learning", default: d.minDistinctWhileLearning,
                in: 1...100_000)
            afterListingMinDistinct = r.int(
                "after_listing_min_distinct", default: d.afterListingMinDistinct,
                in: 1...100_000)
            slowWindow = r.duration("slow_window", default: d.slowWindow, in: 60_000...(30 * 86_400_000))
            slowMinNew = r.int("slow_min_new", default: d.slowMinNew, in: 1...100_000)
            ignoreViaAWSService = r.bool("ignore_via_aws_service", default: d.ignoreViaAWSService)
            maxIdentities = r.int("max_identities", default: d.maxIdentities, in: 16...10_000_000)
            maxTracked = r.int("max_tracked", default: d.maxTracked, in: 8...100_000)
        }
    }

    final class State: RecentState {
        var identity: Identity
        var account: String
        /// Distinct items read in the burst window (payload: every read of it failed).
        var burst = WindowedCounter<Bool>()
        var listedAt: Int64 = .min
        var listing = ""
        var slowStart: Int64 = .min
        var slowLast: Int64 = .min
        var slowItems: [UInt64] = []
        var slowOverflow = 0
        var slowNames: [String] = []
        var slowEvidence = Evidence()
        /// Sample item names kept per window.
        static let maxNames = 8

        init(_ e: Event) {
            identity = Identity(
                key: e.identity.key, type: e.identity.type, accountId: e.identity.accountId,
                displayName: e.identity.displayName)
            account = e.account
        }
    }

    /// Secret reads and listings.
    public let interest = Interest.operations(APIClass.secretOperations)
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
        let s = e.action.service
        let op = e.action.operation
        let read = APIClass.isSecretRead(service: s, operation: op)
        let listing = APIClass.isSecretListing(service: s, operation: op)
        guard read || listing, !e.identity.key.isEmpty else { return }
        if configuration.ignoreViaAWSService && (e.source.kind == .awsService || !e.identity.invokedBy.isEmpty) {
            return
        }
        let now = e.time
        let st = states.get(Hash64.of(e.identity.key), now: now) { State(e) }
        if listing {
            st.listedAt = now
            st.listing = e.action.key
        }
        guard read else { return }
        let p = context.baselines.profile(e.identity.key)
        if let closed = closeSlowWindow(st, now: now, context) { signals.append(closed) }
        add(e, st, p, now)
        if let b = burst(e, st, p, context) { signals.append(b) }
    }

    private func add(_ e: Event, _ st: State, _ p: IdentityProfile?, _ now: Int64) {
        st.burst.slide(now: now, window: configuration.window)
        let failed = !e.outcome.isSuccess
        // Reads inside a reported burst belong to that finding, not to the low-and-slow count.
        let inBurst = st.burst.reportedAt != .min && now - st.burst.reportedAt <= configuration.window
        let slowOpen = !inBurst && (p.map { !$0.isLearning(now: now) } ?? false)
        APIClass.secretItems(e) { kind, id in
            let h = ResourceCode.key(kind, id)
            let counted = st.burst.count(h, now: now, payload: failed, capacity: configuration.maxTracked) {
                $0 = $0 && $1
            }
            if counted == .added { st.burst.sample(BaselineWords.clip(id, 160), max: State.maxNames) }
            if slowOpen, let p, p.resource(kind, id, now: now) == nil { addSlow(st, h, id, e) }
        }
        st.burst.evidence.add(e.eventId)
    }

    private func addSlow(_ st: State, _ h: UInt64, _ id: String, _ e: Event) {
        if st.slowStart == .min { st.slowStart = e.time }
        st.slowLast = max(st.slowLast, e.time)
        if st.slowItems.contains(h) { return }
        if st.slowItems.count < configuration.maxTracked {
            st.slowItems.append(h)
            if st.slowNames.count < State.maxNames { st.slowNames.append(BaselineWords.clip(id, 160)) }
        } else {
            st.slowOverflow += 1
        }
        st.slowEvidence.add(e.eventId)
    }

    private func burst(_ e: Event, _ st: State, _ p: IdentityProfile?, _ context: DetectionContext) -> Signal? {
        let now = e.time
        let c = configuration
        let distinct = st.burst.total
        let learning = p?.isLearning(now: now) ?? true
        let base = Int(p?.priorMaxSecretReads(now: now) ?? 0)
        var threshold =
            learning ? c.minDistinctWhileLearning : max(c.minDistinct, Int((c.multiplier * Double(base)).rounded(.up)))
        let listed = st.listedAt != .min && st.listedAt >= now - c.window
        if listed && !learning { threshold = min(threshold, max(c.afterListingMinDistinct, base + 1)) }
        guard distinct >= threshold, st.burst.mayReport(now: now, window: c.window) else { return nil }
        st.burst.reportedAt = now
        resetSlow(st)
        let who = BaselineWords.who(e)
        let span = now - max(st.burst.start, now - c.window)
        let baseWindow = context.baselines.configuration.burstWindow
        var text =
            "\(who) read \(distinct) distinct secrets/parameters/keys in \(BaselineText.duration(span)) "
            + "(\(BaselineText.list(st.burst.names, limit: 5)))"
        if let p, !learning {
            text +=
                "; its previous maximum was \(base) per \(BaselineText.duration(baseWindow)) in \(BaselineWords.span(p, now))"
        } else {
            text += "; the identity is new (learning), and \(distinct) is at least \(c.minDistinctWhileLearning)"
        }
        if listed {
            text +=
                "; preceded by \(st.listing) \(BaselineText.duration(max(0, st.burst.start - st.listedAt))) before the first read"
        }
        text += "."
        var facts = [
            Fact("observed_distinct", String(distinct)), Fact("observed_window", BaselineText.duration(span)),
            Fact("baseline_max_per_window", String(base)), Fact("baseline_window", BaselineText.duration(baseWindow)),
            Fact("threshold", String(threshold)), Fact("preceded_by_listing", listed ? st.listing : "no"),
            Fact("sample_items", st.burst.names.joined(separator: ", ")),
        ]
        if let p { facts += BaselineWords.facts(p, now) }
        return Signal(
            severity: context.spec.severity,
            title: "\(who) read \(distinct) distinct secrets in \(BaselineText.duration(span))",
            explanation: text, facts: facts, mitre: ["T1555.006", "T1552"] + (listed ? ["T1087.004"] : []),
            key: "burst", eventIds: st.burst.evidence.ids, firstSeen: st.burst.start, count: distinct,
            failedAttempt: st.burst.entries.allSatisfy(\.payload), resource: st.burst.names.first ?? "")
    }

    /// Closes the slow window when it is over; returns its finding if it holds enough new items.
    private func closeSlowWindow(_ st: State, now: Int64, _ context: DetectionContext) -> Signal? {
        guard st.slowStart != .min, now - st.slowStart > configuration.slowWindow else { return nil }
        let s = slowSignal(st, context)
        resetSlow(st)
        return s
    }

    private func resetSlow(_ st: State) {
        st.slowStart = .min
        st.slowLast = .min
        st.slowItems.removeAll()
        st.slowOverflow = 0
        st.slowNames.removeAll()
        st.slowEvidence = Evidence()
    }

    private func slowSignal(_ st: State, _ context: DetectionContext) -> Signal? {
        let n = st.slowItems.count + st.slowOverflow
        guard n >= configuration.slowMinNew else { return nil }
        let who =
            st.identity.displayName.isEmpty ? BaselineText.shortIdentity(st.identity.key) : st.identity.displayName
        let span = st.slowLast - st.slowStart
        var text =
            "\(who) read \(n) distinct secrets/parameters/keys it had never read before, spread over "
            + "\(BaselineText.duration(span)) (\(BaselineText.list(st.slowNames, limit: 5)))"
        var facts = [
            Fact("observed_new_distinct", String(n)), Fact("observed_span", BaselineText.duration(span)),
            Fact("slow_window", BaselineText.duration(configuration.slowWindow)),
            Fact("sample_items", st.slowNames.joined(separator: ", ")),
        ]
        if let p = context.baselines.profile(st.identity.key) {
            text +=
                "; in \(BaselineWords.span(p, st.slowLast)) it read \(p.liveCount(p.resources, now: st.slowLast)) distinct resources"
            facts += BaselineWords.facts(p, st.slowLast)
        }
        text += ". Low-and-slow collection avoids burst thresholds."
        return Signal(
            severity: context.spec.severity.lowered, title: "\(who) slowly read \(n) secrets it never read before",
            explanation: text, facts: facts, mitre: ["T1555.006", "T1552"], key: "slow",
            eventIds: st.slowEvidence.ids, firstSeen: st.slowStart, count: n, resource: st.slowNames.first ?? "")
    }

    /// End of input: reports slow windows that are still open and hold enough new items.
    public func finish(now: Int64, context: DetectionContext, into signals: inout [(Identity, Signal)]) {
        for (_, entry) in states.entries.sorted(by: { $0.key < $1.key }) {
            let st = entry
            if st.slowStart != .min, let s = slowSignal(st, context) {
                signals.append((st.identity, s))
                resetSlow(st)
            }
        }
    }
}
