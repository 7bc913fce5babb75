import Baselines
import Config
import Detection
import EventModel

/// Built-in detector `workflow.new_tool_kind`; `explanation` says what it detects and why (it is the
/// `detectors explain` text, written once).
public final class WorkflowNewToolKind: BuiltInDetector {
    /// Detector id.
    public static let id = "workflow.new_tool_kind"
    /// One line for `detectors list` and the docs table.
    public static let summary = "A workflow starts using a shell, file or network tool it never used"
    /// Severity when the YAML does not set one.
    public static let defaultSeverity = Severity.medium
    /// Every MITRE ATT&CK technique its findings may carry.
    public static let mitre = ["T1005", "T1059", "T1071.001"]
    /// What it is built on.
    public static let kind = DetectorKind.source
    /// What it detects and why: the text of `trailhound detectors explain`.
    public static let explanation = """
        Detects a workflow (a flow of an AI-workflow server) that starts using a kind of tool it
        never used: a shell, file-system or network tool (`tool_kind` of `tool_call` events).

        Why it matters: a flow's tools are fixed by its design — a retrieval bot reads a vector
        store and calls a model, nothing else. When the same flow suddenly runs a shell command,
        reads local files or fetches URLs, someone changed the flow or is steering it (prompt
        injection, a poisoned component) to reach the host and its cloud credentials.

        Memory: per flow (server + `flow_id`), the tool kinds it used and when it was first seen,
        in a bounded least-recently-used map (`max_flows`). During the first `learning_period` of
        the server's logs, and of each flow's own life, kinds are only learnt. A flow first seen
        after that whose very first tool call is a watched kind is reported with
        `new_flow_severity` (a new flow is less telling than a changed one). Tool calls without a
        `flow_id` are not tracked. Memory is saved with the state (`scan --state`, `watch`).

        False positives: a flow legitimately extended with a new tool (a release of the flow);
        flows whose tool use depends on the user's question. Allow-list flows with `resource:`
        (`flow:<flow_id>`) or the tool with `key:` (`<flow_id>:<kind>`).

        MITRE ATT&CK: T1059 (Command and Scripting Interpreter) for shell tools, T1005 (Data from
        Local System) for file tools, T1071.001 (Web Protocols) for network tools.
        """

    /// Settings read from the `settings:` mapping.
    public struct Configuration: Sendable {
        /// Tool kinds whose first use is reported (`kinds`).
        public var kinds: [String] = ["shell", "file", "network"]
        /// How long a server's logs, and each flow, only teach (`learning_period`, ms).
        public var learningPeriod: Int64 = 3 * 86_400_000
        /// Severity for a flow first seen after the learning period whose first tool call is
        /// a watched kind (`new_flow_severity`); capped at the detector's severity.
        public var newFlowSeverity: Severity = .low
        /// Flows remembered (`max_flows`); the least recently used are forgotten first.
        public var maxFlows = 10_000

        /// Defaults.
        public init() {}

        /// Reads the settings, reporting problems to the reader.
        public init(reading r: ConfigReader) {
            kinds = r.strings("kinds", default: kinds)
            learningPeriod = r.duration("learning_period", default: learningPeriod)
            newFlowSeverity = r.severity("new_flow_severity", default: newFlowSeverity)
            maxFlows = r.int("max_flows", default: maxFlows, in: 16...10_000_000)
        }
    }

    final class Flow: RecentState {
        var firstSeen: Int64 = 0
        var kinds: [String] = []
        var toolCalls = 0
    }

    /// Every event: flows are registered by any event that names them.
    public let interest: Interest = .all
    /// Effective settings.
    public let configuration: Configuration
    private var flows: BoundedStates<Flow>
    private var clock = LearningClock()
    static let maxKinds = 16

    /// Builds the detector from its `settings:` mapping (problems go to the reader).
    public convenience init(settings: ConfigReader) { self.init(configuration: Configuration(reading: settings)) }

    /// Creates the detector.
    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        flows = BoundedStates(capacity: configuration.maxFlows)
    }

    /// Learns the flow's tool kinds and reports a watched kind used for the first time.
    public func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
        guard event.provider == .workflow, let flowId = event.parameters["flow_id"], !flowId.isEmpty else { return }
        let serverLearning = clock.isLearning(event, period: configuration.learningPeriod, context)
        var created = false
        let flow = flows.get(Hash64.combine(Hash64.of(event.account), Hash64.of(flowId)), now: event.time) {
            created = true
            let f = Flow()
            f.firstSeen = event.time
            return f
        }
        guard let kind = event.parameters["tool_kind"], !kind.isEmpty else { return }
        flow.toolCalls += 1
        guard !flow.kinds.contains(kind) else { return }
        let known = flow.kinds
        if flow.kinds.count < Self.maxKinds { flow.kinds.append(kind) }
        guard configuration.kinds.contains(kind), !serverLearning else { return }
        let firstCall = created || (known.isEmpty && flow.toolCalls == 1)
        let flowLearning = event.time - flow.firstSeen < configuration.learningPeriod
        if flowLearning && !firstCall { return }
        let severity = flowLearning ? min(context.spec.severity, configuration.newFlowSeverity) : context.spec.severity
        signals.append(signal(event, flowId: flowId, kind: kind, known: known, flow: flow, severity: severity))
    }

    private func signal(_ e: Event, flowId: String, kind: String, known: [String], flow: Flow, severity: Severity)
        -> Signal
    {
        let tool = SourceText.param(e, "tool_name", 80) ?? "an unnamed tool"
        let flowName = RuleText.bounded(flowId, 80)
        let server = RuleText.bounded(e.account, 80)
        let age = Double(e.time - flow.firstSeen) / 86_400_000
        let ageText = age < 1 ? "less than a day" : "\(Int(age)) day(s)"
        let title = "Flow \(flowName) on \(server) used a \(RuleText.bounded(kind, 20)) tool for the first time"
        var text =
            "Flow \(flowName) on workflow server \(server) called \(RuleText.bounded(tool, 80)), "
            + "a \(RuleText.bounded(kind, 20)) tool, as \(SourceText.who(e.identity)), \(RuleText.origin(e)). "
        text +=
            known.isEmpty
            ? "In the \(ageText) since the flow was first seen it had used no tools. "
            : "In the \(ageText) since the flow was first seen it used only \(RuleText.list(known)) tools. "
        if let host = SourceText.param(e, "target_host", 120) { text += "The tool reached \(host). " }
        if let input = SourceText.param(e, "tool_input", 160) { text += "Tool input: \(input). " }
        text +=
            "A flow that starts running shell commands, touching files or making network calls may have "
            + "been changed or steered by prompt injection to reach the host and its credentials."
        var facts = RuleText.facts(e, target: "flow:" + flowId)
        facts += [
            Fact("flow_id", flowName), Fact("tool_kind", RuleText.bounded(kind, 20)), Fact("tool_name", tool),
            Fact("known_tool_kinds", RuleText.bounded(known.joined(separator: ","), 120)),
            Fact("flow_first_seen", Timestamp.format(flow.firstSeen)),
        ]
        let mitre = kind == "shell" ? ["T1059"] : kind == "file" ? ["T1005"] : ["T1071.001"]
        return Signal(
            severity: severity, title: title, explanation: text, facts: facts, mitre: mitre, key: flowId + ":" + kind,
            failedAttempt: !e.outcome.isSuccess, resource: "flow:" + flowId)
    }
}

extension WorkflowNewToolKind {
    /// Format of `snapshot()`.
    static let snapshotVersion: UInt8 = 1

    /// Saves the learning clock and every flow's first sighting, tool kinds and call count.
    public func snapshot() -> [UInt8]? {
        ClockedStates(clock: clock, states: flows).encoded(version: Self.snapshotVersion) { f, w in
            w.int(f.firstSeen)
            w.strings(f.kinds)
            w.uint(f.toolCalls)
        }
    }

    /// Restores state saved by `snapshot()`; bad data is ignored as a whole.
    public func restore(_ bytes: [UInt8]) {
        let saved = ClockedStates(clock: clock, states: flows)
        guard let r = saved.decoded(bytes, version: Self.snapshotVersion, Self.decodeFlow) else { return }
        (clock, flows) = (r.clock, r.states)
    }

    private static func decodeFlow(_ r: inout BinaryReader) throws(BinaryDecodeError) -> Flow {
        let f = Flow()
        f.firstSeen = try r.time()
        f.kinds = try r.strings(max: maxKinds, maxLength: StateCodec.maxText)
        f.toolCalls = try r.uint(max: Int.max)
        return f
    }
}
