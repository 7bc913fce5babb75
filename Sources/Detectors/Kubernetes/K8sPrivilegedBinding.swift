import Baselines
import Config
import Detection
import EventModel

/// Built-in detector `k8s.privileged_binding`; `explanation` says what it detects and why (it is the
/// `detectors explain` text, written once).
public final class K8sPrivilegedBinding: BuiltInDetector {
    /// Detector id.
    public static let id = "k8s.privileged_binding"
    /// One line for `detectors list` and the docs table.
    public static let summary = "Kubernetes binding to cluster-admin, or a service account's first pod exec"
    /// Severity when the YAML does not set one.
    public static let defaultSeverity = Severity.critical
    /// Every MITRE ATT&CK technique its findings may carry.
    public static let mitre = ["T1098.006", "T1609"]
    /// What it is built on.
    public static let kind = DetectorKind.source
    /// What it detects and why: the text of `trailhound detectors explain`.
    public static let explanation = """
        Detects Kubernetes privilege grabs: a (cluster) role binding written to a privileged role
        such as `cluster-admin`, and a service account that execs into (or attaches to) pods when
        it never did.

        Why it matters: with a stolen token the quickest way to own a cluster is to bind the
        identity (or a new service account, or `system:anonymous`) to `cluster-admin`, and the
        quickest way to move between workloads is `kubectl exec` into their pods, which runs
        commands with those pods' mounted credentials. Service accounts of applications do neither
        in normal operation.

        Bindings: `create`, `update` and `patch` of `clusterrolebindings` and `rolebindings`.
        The role is read from the logged request object (`roleRef.name`; audit level `Request`
        or `RequestResponse`); when it is one of `privileged_roles`, or the binding itself is named
        after one, the detector's severity applies, one step higher when a subject is
        `system:anonymous`, `system:unauthenticated` or `system:authenticated`. When the request
        object was not logged, the binding write is reported with `unknown_role_severity`.
        Exec: `create`/`get` of `pods/exec` (and `pods/attach` when `include_attach`) by a
        `ServiceAccount` identity not seen doing so during the learning period and not reported
        before, with `exec_severity`. The first `learning_period` of each cluster's logs only
        teaches which service accounts exec. Refused requests are failed attempts. Memory of
        service accounts is bounded (`max_identities`).

        False positives: cluster bootstrap and GitOps controllers that manage RBAC (Argo CD,
        Flux); CI service accounts that exec into pods for tests or migrations. Allow-list them
        with `identity:`; bindings by name with `resource:` (`NS/NAME` or `NAME`).

        MITRE ATT&CK: T1098.006 (Account Manipulation: Additional Container Cluster Roles),
        T1609 (Container Administration Command).
        """

    /// Settings read from the `settings:` mapping.
    public struct Configuration: Sendable {
        /// Roles whose binding is a privilege grab (`privileged_roles`).
        public var privilegedRoles: [String] = [
            "cluster-admin", "admin", "system:controller:clusterrole-aggregation-controller",
        ]
        /// Severity of a binding write whose role was not logged (`unknown_role_severity`);
        /// capped at the detector's severity.
        public var unknownRoleSeverity: Severity = .low
        /// Severity of a service account's first exec (`exec_severity`).
        public var execSeverity: Severity = .high
        /// Whether `pods/attach` counts like `pods/exec` (`include_attach`).
        public var includeAttach = true
        /// Learning period of each cluster (`learning_period`, ms).
        public var learningPeriod: Int64 = 2 * 86_400_000
        /// Service accounts remembered (`max_identities`).
        public var maxIdentities = 10_000

        /// Defaults.
        public init() {}

        /// Reads the settings, reporting problems to the reader.
        public init(reading r: ConfigReader) {
            privilegedRoles = r.strings("privileged_roles", default: privilegedRoles)
            unknownRoleSeverity = r.severity("unknown_role_severity", default: unknownRoleSeverity)
            execSeverity = r.severity("exec_severity", default: execSeverity)
            includeAttach = r.bool("include_attach", default: includeAttach)
            learningPeriod = r.duration("learning_period", default: learningPeriod)
            maxIdentities = r.int("max_identities", default: maxIdentities, in: 16...10_000_000)
        }
    }

    /// Binding writes, exec and attach.
    public let interest: Interest
    /// Effective settings.
    public let configuration: Configuration
    private var execers: BoundedStates<SeenKey>
    private var clock = LearningClock()
    private static let bindingMitre = ["T1098.006"]
    private static let execMitre = ["T1609"]
    static let broadGroups = ["system:anonymous", "system:unauthenticated", "system:authenticated"]

    /// Builds the detector from its `settings:` mapping (problems go to the reader).
    public convenience init(settings: ConfigReader) { self.init(configuration: Configuration(reading: settings)) }

    /// Creates the detector.
    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        var ops: Set<String> = []
        for verb in ["create", "update", "patch"] {
            ops.insert("\(verb) clusterrolebindings")
            ops.insert("\(verb) rolebindings")
        }
        for verb in ["create", "get"] {
            ops.insert("\(verb) pods/exec")
            if configuration.includeAttach { ops.insert("\(verb) pods/attach") }
        }
        interest = .operations(ops)
        execers = BoundedStates(capacity: configuration.maxIdentities)
    }

    /// Reports privileged binding writes and first execs by service accounts.
    public func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
        guard event.action.service == "k8s" else { return }
        if event.parameters["objectRef.resource"] == "pods" {
            exec(event, context, &signals)
        } else {
            if let s = binding(event, context) { signals.append(s) }
        }
    }

    private func exec(_ e: Event, _ context: DetectionContext, _ signals: inout [Signal]) {
        let learning = clock.isLearning(e, period: configuration.learningPeriod, context)
        guard e.identity.type == .serviceAccount else { return }
        var isNew = false
        _ = execers.get(Hash64.of(e.identity.key), now: e.time) {
            isNew = true
            return SeenKey()
        }
        guard isNew, !learning else { return }
        let sub = e.parameters["objectRef.subresource"] ?? "exec"
        let pod = [e.parameters["objectRef.namespace"], e.parameters["objectRef.name"]].compactMap { $0 }.joined(
            separator: "/")
        let failed = !e.outcome.isSuccess
        let title =
            "\(RuleText.name(e.identity)) \(failed ? "tried to \(sub)" : "ran \(sub)") into pod \(RuleText.bounded(pod, 120))"
        var text =
            "\(SourceText.who(e.identity).capitalizedFirst) \(failed ? "tried to open" : "opened") a \(sub) session "
            + "into pod \(RuleText.bounded(pod, 160)) (\(RuleText.bounded(e.action.operation, 40))), \(RuleText.origin(e))."
        text += " This service account was not seen opening exec or attach sessions during the learning period."
        if let uri = SourceText.param(e, "requestURI", 200) { text += " Request: \(uri)." }
        if failed { text += " The request was refused (\(RuleText.bounded(e.outcome.errorCode, 40)))." }
        text += " Commands run this way act with the target pod's mounted tokens and cloud credentials."
        var facts = RuleText.facts(e, target: pod)
        facts.append(Fact("subresource", RuleText.bounded(sub, 20)))
        signals.append(
            Signal(
                severity: min(context.spec.severity.raised, configuration.execSeverity), title: title,
                explanation: text,
                facts: facts, mitre: Self.execMitre, key: "pods/" + sub, failedAttempt: failed, resource: pod))
    }

    private func binding(_ e: Event, _ context: DetectionContext) -> Signal? {
        let kind = e.parameters["objectRef.resource"] ?? "rolebindings"
        let name = e.parameters["objectRef.name"] ?? Self.bindingName(e.parameters["requestObject"]) ?? "unnamed"
        let ns = e.parameters["objectRef.namespace"] ?? ""
        let target = ns.isEmpty ? name : ns + "/" + name
        let object = e.parameters["requestObject"].flatMap(RuleJSON.parse) as? [String: Any]
        let role = ((object?["roleRef"] as? [String: Any])?["name"] as? String)
        let subjects = ((object?["subjects"] as? [Any]) ?? []).compactMap { ($0 as? [String: Any])?["name"] as? String }
        let privileged =
            configuration.privilegedRoles.contains(role ?? "") || configuration.privilegedRoles.contains(name)
        var severity: Severity
        var detail: String
        if privileged {
            severity = context.spec.severity
            detail =
                "to \(role.map { "role \(RuleText.bounded($0, 80))" } ?? "the privileged binding \(RuleText.bounded(name, 80))")"
        } else if object == nil || role == nil && e.parameters["verb"] != "patch" {
            severity = min(context.spec.severity, configuration.unknownRoleSeverity)
            detail = "(the request object was not logged, so the role is unknown)"
        } else {
            return nil
        }
        let broad = subjects.filter { Self.broadGroups.contains($0) }
        if privileged && !broad.isEmpty { severity = severity.raised }
        let failed = !e.outcome.isSuccess
        let verb = e.parameters["verb"] ?? "wrote"
        let title =
            "\(RuleText.name(e.identity)) \(failed ? "tried to \(verb)" : verb == "create" ? "created" : verb + "d") "
            + "\(kind == "clusterrolebindings" ? "cluster role binding" : "role binding") \(RuleText.bounded(target, 80)) \(detail)"
        var text =
            "\(SourceText.who(e.identity).capitalizedFirst) \(failed ? "tried to \(verb)" : "did \(verb)") "
            + "\(RuleText.bounded(kind, 40)) \(RuleText.bounded(target, 120)) \(detail), \(RuleText.origin(e))."
        if !subjects.isEmpty { text += " Subjects: \(RuleText.list(subjects))." }
        if !broad.isEmpty {
            text +=
                " The binding includes \(RuleText.list(broad)), which grants the role to \(broad.contains("system:authenticated") ? "every authenticated caller" : "anyone, without credentials")."
        }
        if failed {
            text +=
                " The request was refused (\(RuleText.bounded(e.outcome.errorCode, 40))); the attempt still shows intent."
        }
        if privileged {
            text +=
                " A binding to this role gives its subjects full control of the \(kind == "clusterrolebindings" ? "cluster" : "namespace")."
        }
        var facts = RuleText.facts(e, target: target)
        facts.append(Fact("role", RuleText.bounded(role ?? "unknown", 80)))
        facts.append(Fact("subjects", RuleText.bounded(subjects.joined(separator: ","))))
        return Signal(
            severity: severity, title: title, explanation: text, facts: facts, mitre: Self.bindingMitre, key: target,
            failedAttempt: failed, resource: target)
    }

    /// `metadata.name` of a request object, when the audit event has no `objectRef.name` (create).
    static func bindingName(_ json: String?) -> String? {
        guard let json, let o = RuleJSON.parse(json) as? [String: Any] else { return nil }
        return (o["metadata"] as? [String: Any])?["name"] as? String
    }
}

extension K8sPrivilegedBinding {
    /// Format of `snapshot()`.
    static let snapshotVersion: UInt8 = 1

    /// Saves the learning clock and the service accounts seen opening exec or attach sessions.
    public func snapshot() -> [UInt8]? {
        ClockedStates(clock: clock, states: execers).encoded(version: Self.snapshotVersion) { k, w in
            k.encode(into: &w)
        }
    }

    /// Restores state saved by `snapshot()`; bad data is ignored as a whole.
    public func restore(_ bytes: [UInt8]) {
        let saved = ClockedStates(clock: clock, states: execers)
        guard let r = saved.decoded(bytes, version: Self.snapshotVersion, SeenKey.decoded) else { return }
        (clock, execers) = (r.clock, r.states)
    }
}
