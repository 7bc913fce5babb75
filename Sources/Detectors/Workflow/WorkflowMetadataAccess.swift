import Config
import Detection
import EventModel

/// Built-in detector `workflow.metadata_access`; `explanation` says what it detects and why (it is the
/// `detectors explain` text, written once).
public final class WorkflowMetadataAccess: BuiltInDetector {
    /// Detector id.
    public static let id = "workflow.metadata_access"
    /// One line for `detectors list` and the docs table.
    public static let summary = "AI-workflow request or tool call reaching a cloud metadata endpoint"
    /// Severity when the YAML does not set one.
    public static let defaultSeverity = Severity.high
    /// Every MITRE ATT&CK technique its findings may carry.
    public static let mitre = ["T1552.005", "T1190"]
    /// What it is built on.
    public static let kind = DetectorKind.source
    /// What it detects and why: the text of `trailhound detectors explain`.
    public static let explanation = """
        Detects an AI-workflow server request or tool call that touches a cloud instance-metadata
        endpoint: AWS IMDS `169.254.169.254` / `fd00:ec2::254`, ECS task metadata `169.254.170.2`,
        GCP `metadata.google.internal`, Alibaba `100.100.100.200`, Azure IMDS (also
        169.254.169.254), and the decimal and hex spellings attackers use to dodge filters.

        Why it matters: the metadata endpoint hands out the server's cloud credentials. A tool that
        fetches URLs (or a request path that proxies them) pointed at it is server-side request
        forgery or a hijacked flow collecting the workload identity — the step between "RCE on an
        AI server" and "stolen cloud keys used from elsewhere".

        The `target_host`, the request `path` and the `tool_input` of workflow events are searched
        for the `hosts` (case-insensitive, as whole host names: not when glued to other letters or
        digits).

        False positives: a flow that legitimately reads its own instance's metadata (region,
        instance id) through a tool — rare, since SDKs do that without the workflow engine.
        Allow-list such a flow with `resource:` (`flow:<flow_id>`).

        MITRE ATT&CK: T1552.005 (Unsecured Credentials: Cloud Instance Metadata API), T1190
        (Exploit Public-Facing Application).
        """

    /// Settings read from the `settings:` mapping.
    public struct Configuration: Sendable {
        /// Metadata hosts and their alternative spellings (`hosts`).
        public var hosts: [String] = [
            "169.254.169.254", "fd00:ec2::254", "metadata.google.internal", "metadata.goog", "169.254.170.2",
            "100.100.100.200", "2852039166", "0xa9fea9fe", "0xa9.0xfe.0xa9.0xfe", "0251.0376.0251.0376",
            "::ffff:a9fe:a9fe", "instance-data.ec2.internal",
        ]

        /// Defaults.
        public init() {}

        /// Reads the settings, reporting problems to the reader.
        public init(reading r: ConfigReader) {
            hosts = r.strings("hosts", default: hosts).map { $0.lowercased() }.filter { !$0.isEmpty }
        }
    }

    /// Every event; non-workflow events return at once.
    public let interest: Interest = .all
    /// Effective settings.
    public let configuration: Configuration
    private let needles: [[UInt8]]
    /// The schema fields that can name a host: the others are methods, statuses, names and ids.
    static let fields = ["target_host", "path", "tool_input"]

    /// Builds the detector from its `settings:` mapping (problems go to the reader).
    public convenience init(settings: ConfigReader) { self.init(configuration: Configuration(reading: settings)) }

    /// Creates the detector.
    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        needles = configuration.hosts.map { Array($0.utf8) }
    }

    /// Raises a signal when a metadata host appears in the event.
    public func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
        guard event.provider == .workflow else { return }
        var hit: (field: String, host: String)?
        for field in Self.fields {
            if let v = event.parameters[field], let h = match(v) {
                hit = (field, h)
                break
            }
        }
        guard let hit else { return }
        signals.append(signal(event, field: hit.field, host: hit.host, context.spec.severity))
    }

    private func signal(_ e: Event, field: String, host: String, _ severity: Severity) -> Signal {
        let server = RuleText.bounded(e.account, 80)
        let tool = SourceText.param(e, "tool_name", 80)
        let what = tool.map { "tool \($0)" } ?? "a request to \(SourceText.param(e, "path", 120) ?? e.action.operation)"
        let title = "\(RuleText.name(e.identity)) reached the cloud metadata endpoint \(host) via \(what)"
        var text =
            "\(SourceText.who(e.identity).capitalizedFirst) made workflow server \(server) touch the cloud "
            + "instance-metadata endpoint \(host) (found in `\(RuleText.bounded(field, 40))`) via \(what), \(RuleText.origin(e))."
        if let flow = SourceText.param(e, "flow_id", 80) { text += " Flow: \(flow)." }
        if let input = SourceText.param(e, "tool_input", 200) { text += " Tool input: \(input)." }
        if let status = SourceText.param(e, "status", 8) { text += " HTTP status \(status)." }
        text +=
            " The metadata endpoint returns the server's cloud credentials; expect them to be used from elsewhere next."
        var facts = RuleText.facts(e, target: host)
        facts += [Fact("metadata_host", host), Fact("field", RuleText.bounded(field, 40))]
        if let flow = SourceText.param(e, "flow_id", 80) { facts.append(Fact("flow_id", flow)) }
        let flowResource = e.parameters["flow_id"].map { "flow:" + $0 } ?? host
        return Signal(
            severity: severity, title: title, explanation: text, facts: facts, mitre: Self.mitre, key: host,
            failedAttempt: !e.outcome.isSuccess, resource: flowResource)
    }

    /// The first configured host found in `text` as a whole host name.
    func match(_ text: String) -> String? {
        let t = Array(text.utf8).map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
        for (i, n) in needles.enumerated() where Self.contains(t, n) { return configuration.hosts[i] }
        return nil
    }

    private static func isWordByte(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7A)
    }

    static func contains(_ t: [UInt8], _ n: [UInt8]) -> Bool {
        guard let first = n.first, t.count >= n.count else { return false }
        var i = 0
        while i <= t.count - n.count {
            if t[i] == first, t[i..<(i + n.count)].elementsEqual(n) {
                let before = i == 0 || !isWordByte(t[i - 1])
                let after = i + n.count == t.count || !isWordByte(t[i + n.count])
                if before && after { return true }
            }
            i += 1
        }
        return false
    }
}
