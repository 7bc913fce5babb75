import Baselines
import Config
import Detection
import EventModel

/// Built-in detector `workflow.workload_activity`; `explanation` says what it detects and why (it is the
/// `detectors explain` text, written once).
public final class WorkflowWorkloadActivity: BuiltInDetector {
    /// Detector id.
    public static let id = "workflow.workload_activity"
    /// One line for `detectors list` and the docs table.
    public static let summary = "An AI-workflow server's workload identity acts unusually right after a code request"
    /// Severity when the YAML does not set one.
    public static let defaultSeverity = Severity.high
    /// Every MITRE ATT&CK technique its findings may carry.
    public static let mitre = ["T1078.004", "T1552.005"]
    /// What it is built on.
    public static let kind = DetectorKind.source
    /// What it detects and why: the text of `trailhound detectors explain`.
    public static let explanation = """
        Detects the workload identity of an AI-workflow server (its instance role, pod service
        account or managed identity, mapped in `workloads:`) doing something it never did — an API
        outside its baseline, or a call from a network it never used — within `window` after a
        request without credentials reached a code-running endpoint of that server.

        Why it matters: code run through an endpoint such as Langflow's `/api/v1/validate/code`
        (CVE-2025-3248) runs with the server's cloud credentials. The audit log then shows the
        server's own role making calls: "legitimate" credentials, unusual calls. Either half alone is
        weak — a role tries a new API after a release, strangers probe every public server — but a
        stranger's code request followed by the role's first-ever calls is the takeover.

        `workloads:` lists `{server, identity}` pairs (`instance:` optionally limits the identity to
        sessions on one instance id). The same list joins the request's findings and the identity's
        findings into one incident (`scan --incidents`) and lets `investigate` follow from the
        request's identity to the workload identity. Requests and unusual calls are matched in
        either order (the proxy log and the audit log are separate files); each server keeps its
        latest `max_pending` of each. A request refused by the server, or whose log says credentials
        were presented, does not count. An identity still in its baseline's learning period is not
        judged.

        False positives: a deployment that changes what the role does while a scanner happens to
        knock on the code endpoint. Allow-list the identity with `identity:` for the release window.

        MITRE ATT&CK: T1078.004 (Valid Accounts: Cloud Accounts), T1552.005 (Unsecured Credentials:
        Cloud Instance Metadata API).
        """

    /// Settings read from the `settings:` mapping.
    public struct Configuration: Sendable {
        /// AI-workflow servers and their workload identities (`workloads`: `server`, `identity`, `instance`).
        public var workloads: [Workload] = []
        /// How long after a request the identity's unusual calls count (`window`, ms).
        public var window: Int64 = 2 * 3_600_000
        /// Request actions that run caller-supplied code (`code_actions`).
        public var codeActions: [String] = ["validate_code", "load_component", "execute_code"]
        /// Request paths (globs) that run caller-supplied code (`code_paths`).
        public var codePaths: [String] = ["/api/v1/validate/code*", "/api/v1/custom_component*"]
        /// Requests and unusual calls kept per server (`max_pending`).
        public var maxPending = 64

        /// Defaults.
        public init() {}

        /// Reads the settings, reporting problems (with file:line:col) to the reader.
        public init(reading r: ConfigReader) {
            workloads = Self.readWorkloads(r)
            window = r.duration("window", default: window, in: 60_000...(7 * 86_400_000))
            codeActions = r.strings("code_actions", default: codeActions)
            codePaths = r.strings("code_paths", default: codePaths)
            maxPending = r.int("max_pending", default: maxPending, in: 1...4096)
        }

        static func readWorkloads(_ r: ConfigReader) -> [Workload] {
            var out: [Workload] = []
            for item in r.list("workloads").prefix(1024) {
                let server = item.string("server", default: "")
                let identity = item.string("identity", default: "")
                let instance = item.string("instance", default: "")
                if server.isEmpty { item.report("server", code: "config.missing_key", "is required") }
                if identity.isEmpty {
                    item.report("identity", code: "config.missing_key", "is required (a role ARN or identity key)")
                } else if identity.contains("*") {
                    item.report("identity", code: "config.value", "must be one identity key, not a pattern")
                }
                item.finish()
                if !server.isEmpty && !identity.isEmpty {
                    out.append(Workload(server: server, identity: Workload.canonical(identity), instance: instance))
                }
            }
            return out
        }
    }

    /// A suspicious request to a server with a workload identity.
    struct Request {
        var time: Int64
        var client: String
        var path: String
        var eventId: String
        var matched = false
    }

    /// An unusual call of a workload identity.
    struct Call {
        var time: Int64
        var api: String
        var why: String
        var source: String
        var eventId: String
        var identity: Identity
        var matched = false
    }

    final class Server {
        var requests: [Request] = []
        var calls: [Call] = []
    }

    /// Every event: workflow requests and the mapped identities' calls.
    public let interest: Interest = .all
    /// Effective settings.
    public let configuration: Configuration
    private let globs: [Glob]
    private var byServer: [String: Server] = [:]
    private var byIdentity: [String: [Workload]] = [:]
    var pending: [(Identity, Signal)] = []

    /// Builds the detector from its `settings:` mapping (problems go to the reader).
    public convenience init(settings: ConfigReader) { self.init(configuration: Configuration(reading: settings)) }

    /// Creates the detector.
    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        globs = configuration.codePaths.map(Glob.init)
        for w in configuration.workloads {
            byServer[w.server] = Server()
            byIdentity[w.identity, default: []].append(w)
        }
    }

    /// Remembers requests and unusual calls; reports a call that follows a request.
    public func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
        guard !configuration.workloads.isEmpty else { return }
        if let req = WorkflowRequest(event, context.memo) {
            guard let s = byServer[req.server], req.auth != true, !req.refused,
                req.runsCode(actions: configuration.codeActions, paths: globs)
            else { return }
            request(event, req, s, context)
            // Calls read before this request (the audit log is often read first) are reported now,
            // about the workload identity.
            for (who, var signal) in pending {
                signal.about = who
                signals.append(signal)
            }
            pending.removeAll()
        } else if let links = byIdentity[event.identity.key] {
            for w in links where w.instance.isEmpty || w.instance == event.identity.instanceId {
                guard let s = byServer[w.server], let why = unusual(event, context) else { continue }
                call(event, why, w, s, context, into: &signals)
            }
        }
    }

    /// Reports what is still pending (nothing: matches are reported as they are found).
    public func finish(now: Int64, context: DetectionContext, into signals: inout [(Identity, Signal)]) {
        signals.append(contentsOf: pending)
        pending.removeAll()
    }

    /// Why the call is unusual for the identity's baseline (nil when it is not, or cannot be judged).
    func unusual(_ e: Event, _ context: DetectionContext) -> String? {
        guard let p = context.baselines.profile(e.identity.key), !p.isLearning(now: e.time) else { return nil }
        if p.api(Hash64.api(service: e.action.service, operation: e.action.operation), now: e.time) == nil {
            return "an API it never called"
        }
        for ip in e.source.ips {
            if let k = NetworkKey.of(ip: ip), p.network(k, now: e.time) == nil {
                return "a network it never used (\(NetworkKey.describe(k)))"
            }
        }
        return nil
    }
}
