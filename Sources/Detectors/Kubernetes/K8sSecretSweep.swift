import Baselines
import Config
import Detection
import EventModel

/// Built-in detector `k8s.secret_sweep`; `explanation` says what it detects and why (it is the
/// `detectors explain` text, written once).
public final class K8sSecretSweep: BuiltInDetector {
    /// Detector id.
    public static let id = "k8s.secret_sweep"
    /// One line for `detectors list` and the docs table.
    public static let summary = "Kubernetes secrets read across many namespaces, or listed cluster-wide"
    /// Severity when the YAML does not set one.
    public static let defaultSeverity = Severity.high
    /// Every MITRE ATT&CK technique its findings may carry.
    public static let mitre = ["T1552.007", "T1613"]
    /// What it is built on.
    public static let kind = DetectorKind.source
    /// What it detects and why: the text of `trailhound detectors explain`.
    public static let explanation = """
        Detects one Kubernetes identity reading secrets (get, list, watch) across many namespaces
        within a short window, and listing secrets cluster-wide when it never did.

        Why it matters: a workload's service account normally reads the few secrets of its own
        namespace. A stolen token (from a compromised pod, a leaked kubeconfig, an RCE in an
        in-cluster AI server) is used to collect every secret it can reach: `kubectl get secrets
        -A`, or get/list namespace after namespace. Secrets hold database passwords, cloud keys and
        other service-account tokens, so the sweep is how one foothold becomes many.

        A sweep: the identity read secrets in at least `min_namespaces` distinct namespaces within
        `window`, more than its own habit (the most namespaces it swept during the learning period;
        e.g. ingress and certificate controllers read TLS secrets everywhere). Reaching
        `raise_at_namespaces` is a second, one step more severe finding (key `sweep-wide`). A
        cluster-wide list (`list secrets` without a namespace) by an identity that did not do so
        during the learning period gets `cluster_list_severity`. The first `learning_period` of an
        account's (cluster's) logs only teaches habits; identities in `ignore_identities` (globs
        over the identity key: the control plane) are skipped. Requests that were all refused are
        failed attempts (`failed_severity`). Memory is bounded (`max_identities`, `max_namespaces`
        per window).

        False positives: operators and backup tools that read secrets everywhere but were not active
        during the learning period (first run after an upgrade); administrators debugging with
        `kubectl get secrets -A`. Allow-list them with `identity:`.

        MITRE ATT&CK: T1552.007 (Unsecured Credentials: Container API), T1613 (Container and
        Resource Discovery).
        """

    /// Settings read from the `settings:` mapping.
    public struct Configuration: Sendable {
        /// Sliding window of a sweep (`window`, ms).
        public var window: Int64 = 600_000
        /// Distinct namespaces that make a sweep (`min_namespaces`).
        public var minNamespaces = 3
        /// From this many namespaces the sweep is one severity step higher (`raise_at_namespaces`).
        public var raiseAtNamespaces = 10
        /// Severity of a never-seen cluster-wide secrets list (`cluster_list_severity`).
        public var clusterListSeverity: Severity = .high
        /// Learning period of each account / cluster (`learning_period`, ms).
        public var learningPeriod: Int64 = 2 * 86_400_000
        /// Identity-key globs never reported (`ignore_identities`).
        public var ignoreIdentities: [String] = [
            "k8s:system:kube-controller-manager", "k8s:system:kube-scheduler", "k8s:system:apiserver",
            "k8s:system:node:*", "k8s:system:serviceaccount:kube-system:generic-garbage-collector",
            "k8s:system:serviceaccount:kube-system:namespace-controller",
        ]
        /// Identities with open windows or habits kept (`max_identities`).
        public var maxIdentities = 10_000
        /// Distinct namespaces tracked per window (`max_namespaces`).
        public var maxNamespaces = 256

        /// Defaults.
        public init() {}

        /// Reads the settings, reporting problems to the reader.
        public init(reading r: ConfigReader) {
            window = r.duration("window", default: window, in: 1000...86_400_000)
            minNamespaces = r.int("min_namespaces", default: minNamespaces, in: 2...10_000)
            raiseAtNamespaces = r.int("raise_at_namespaces", default: raiseAtNamespaces, in: 2...100_000)
            clusterListSeverity = r.severity("cluster_list_severity", default: clusterListSeverity)
            learningPeriod = r.duration("learning_period", default: learningPeriod)
            ignoreIdentities = r.strings("ignore_identities", default: ignoreIdentities)
            maxIdentities = r.int("max_identities", default: maxIdentities, in: 16...10_000_000)
            maxNamespaces = r.int("max_namespaces", default: maxNamespaces, in: 8...100_000)
        }
    }

    final class State: RecentState {
        var reads: [(ns: String, time: Int64, ok: Bool)] = []
        var habit = 0
        /// Habit before the sweep that is being reported (for the escalation's text).
        var habitBefore = 0
        var listedClusterWide = false
        var reportedAt: Int64 = .min
        /// 0 nothing reported in the open window, 1 a sweep, 2 a wide sweep (`raise_at_namespaces`).
        var reportedLevel = 0
        var evidence = Evidence()
    }

    /// Secret reads.
    public let interest: Interest = .operations(["get secrets", "list secrets", "watch secrets"])
    /// Effective settings.
    public let configuration: Configuration
    private let ignored: [Glob]
    private var states: BoundedStates<State>
    private var clock = LearningClock()

    /// Builds the detector from its `settings:` mapping (problems go to the reader).
    public convenience init(settings: ConfigReader) { self.init(configuration: Configuration(reading: settings)) }

    /// Creates the detector.
    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        ignored = configuration.ignoreIdentities.map(Glob.init)
        states = BoundedStates(capacity: configuration.maxIdentities)
    }

    /// Tracks the identity's secret reads per namespace and reports sweeps and cluster-wide lists.
    public func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
        guard event.action.service == "k8s", !event.identity.key.isEmpty,
            !ignored.contains(where: { $0.matches(event.identity.key) })
        else { return }
        let learning = clock.isLearning(event, period: configuration.learningPeriod, context)
        let st = states.get(Hash64.of(event.identity.key), now: event.time) { State() }
        let ns = event.parameters["objectRef.namespace"] ?? ""
        if ns.isEmpty {
            guard event.parameters["verb"] == "list" || event.parameters["verb"] == "watch" else { return }
            if !st.listedClusterWide {
                st.listedClusterWide = true
                if !learning { signals.append(clusterList(event, context)) }
            }
            return
        }
        add(event, ns: ns, st)
        let distinct = st.reads.count  // one entry per namespace (see add)
        if learning {
            st.habit = max(st.habit, distinct)
            return
        }
        let open = st.reportedAt != .min && st.reportedAt >= event.time - configuration.window
        if !open { st.reportedLevel = 0 }
        let level = distinct >= configuration.raiseAtNamespaces ? 2 : 1
        guard distinct >= configuration.minNamespaces, distinct > st.habit || open, level > st.reportedLevel else {
            if open { st.habit = max(st.habit, distinct) }
            return
        }
        let habit = open ? st.habitBefore : st.habit
        st.habitBefore = habit
        st.reportedAt = event.time
        st.reportedLevel = level
        st.habit = distinct
        signals.append(sweep(event, st, distinct: distinct, habit: habit, wide: level == 2, context))
    }

    private func add(_ e: Event, ns: String, _ st: State) {
        let cutoff = e.time - configuration.window
        st.reads.removeAll { $0.time < cutoff }
        if st.reads.isEmpty { st.evidence = Evidence() }
        if let i = st.reads.firstIndex(where: { $0.ns == ns }) {
            st.reads[i].time = e.time
            st.reads[i].ok = st.reads[i].ok || e.outcome.isSuccess
        } else if st.reads.count < configuration.maxNamespaces {
            st.reads.append((ns, e.time, e.outcome.isSuccess))
        }
        st.evidence.add(e.eventId)
    }

    private func sweep(_ e: Event, _ st: State, distinct: Int, habit: Int, wide: Bool, _ context: DetectionContext)
        -> Signal
    {
        let names = st.reads.map(\.ns).sorted()
        let first = st.reads.map(\.time).min() ?? e.time
        let allFailed = !st.reads.contains { $0.ok }
        var severity = context.spec.severity
        if wide { severity = severity.raised }
        let who = SourceText.who(e.identity)
        let span = max(1, Int((e.time - first) / 60_000))
        let title = "\(RuleText.name(e.identity)) read secrets in \(distinct) namespaces within \(span) min"
        var text =
            "\(who.capitalizedFirst) read secrets in \(distinct) distinct namespaces "
            + "(\(RuleText.list(names))) within \(span) minute(s), \(RuleText.origin(e))."
        text +=
            habit > 0
            ? " Before, it never read secrets in more than \(habit) namespace(s) within \(configuration.window / 60_000) minutes."
            : " During the learning period it never read secrets across namespaces like this."
        if allFailed {
            text += " Every read was refused; the attempt still shows someone hunting for secrets with this identity."
        }
        text +=
            " Secrets hold passwords, cloud keys and other service-account tokens: rotate what was read and find where the token came from."
        var facts = RuleText.facts(e, target: "secrets")
        facts += [
            Fact("namespaces", String(distinct)),
            Fact("namespace_list", RuleText.bounded(names.joined(separator: ","))),
            Fact("window_minutes", String(configuration.window / 60_000)), Fact("habit_namespaces", String(habit)),
        ]
        return Signal(
            severity: severity, title: title, explanation: text, facts: facts, mitre: Self.mitre,
            key: wide ? "sweep-wide" : "sweep",
            eventIds: st.evidence.ids, firstSeen: first, count: st.evidence.ids.count, failedAttempt: allFailed,
            resource: "secrets")
    }

    private func clusterList(_ e: Event, _ context: DetectionContext) -> Signal {
        let severity = min(context.spec.severity.raised, configuration.clusterListSeverity)
        let failed = !e.outcome.isSuccess
        let title =
            "\(RuleText.name(e.identity)) \(failed ? "tried to list" : "listed") secrets across the whole cluster"
        var text =
            "\(SourceText.who(e.identity).capitalizedFirst) \(failed ? "tried to list" : "listed") every secret of the cluster "
            + "(\(RuleText.bounded(e.action.operation, 40)) without a namespace), \(RuleText.origin(e))."
        text += " It did not do so during the learning period."
        if failed { text += " The request was refused (\(RuleText.bounded(e.outcome.errorCode, 40)))." }
        text += " One such call returns every password, key and token stored in the cluster."
        var facts = RuleText.facts(e, target: "secrets (all namespaces)")
        facts.append(Fact("scope", "cluster"))
        return Signal(
            severity: severity, title: title, explanation: text, facts: facts, mitre: Self.mitre, key: "cluster-list",
            failedAttempt: failed, resource: "secrets")
    }
}

extension K8sSecretSweep {
    /// Format of `snapshot()`.
    static let snapshotVersion: UInt8 = 1

    /// Saves the learning clock and every identity's window, habit and report marks.
    public func snapshot() -> [UInt8]? {
        ClockedStates(clock: clock, states: states).encoded(version: Self.snapshotVersion) { st, w in
            w.uint(st.reads.count)
            for read in st.reads {
                w.string(read.ns)
                w.int(read.time)
                w.bool(read.ok)
            }
            w.uint(st.habit)
            w.uint(st.habitBefore)
            w.bool(st.listedClusterWide)
            w.int(st.reportedAt)
            w.uint(st.reportedLevel)
            w.evidence(st.evidence)
        }
    }

    /// Restores state saved by `snapshot()`; bad data is ignored as a whole.
    public func restore(_ bytes: [UInt8]) {
        let saved = ClockedStates(clock: clock, states: states)
        guard let r = saved.decoded(bytes, version: Self.snapshotVersion, decodeState) else { return }
        (clock, states) = (r.clock, r.states)
    }

    private func decodeState(_ r: inout BinaryReader) throws(BinaryDecodeError) -> State {
        let st = State()
        for _ in 0..<(try r.uint(max: configuration.maxNamespaces)) {
            st.reads.append((try r.text(), try r.time(), try r.bool()))
        }
        st.habit = try r.uint()
        st.habitBefore = try r.uint()
        st.listedClusterWide = try r.bool()
        st.reportedAt = try r.mark()
        st.reportedLevel = try r.uint(max: 2)
        st.evidence = try r.evidence()
        return st
    }
}
