import Baselines
import Config
import Detection
import EventModel

/// Built-in detector `workflow.code_execution_confirmed`; `explanation` says what it detects and why (it is the
/// `detectors explain` text, written once).
public final class WorkflowCodeExecutionConfirmed: BuiltInDetector {
    /// Detector id.
    public static let id = "workflow.code_execution_confirmed"
    /// One line for `detectors list` and the docs table.
    public static let summary =
        "Unauthenticated code request to an AI-workflow server confirmed by the server's own record"
    /// Severity when the YAML does not set one.
    public static let defaultSeverity = Severity.critical
    /// Every MITRE ATT&CK technique its findings may carry.
    public static let mitre = ["T1059.006", "T1190"]
    /// What it is built on.
    public static let kind = DetectorKind.source
    /// What it detects and why: the text of `trailhound detectors explain`.
    public static let explanation = """
        Detects code execution on an AI-workflow server confirmed by both sides: a request without
        credentials to a code-running endpoint, seen by the front door (nginx, a load balancer) or
        the server's access log, and the server's own record of having run code (Langflow's
        "Error executing function code" with its traceback: `code_error`), on the same server
        within `window` (closest pairs first).

        Why it matters: the request alone says someone knocked; the server's record says the code
        ran. Langflow's record carries the attacker's code and the command output in its traceback
        but no client address, agent or credential; the proxy's line carries those but not what
        happened inside. Together they are the proof of CVE-2025-3248-style exploitation, and the
        finding names the client address, the endpoint and the server's words.

        Records are matched by server (the event's account: name the server the same in the
        front-door deployment mapping and the server log mapping) and time, in either order (the
        two logs are separate files): each server keeps its latest `max_pending` requests and
        records. Every accepted code request takes part in the pairing (closest in time first); one
        whose log says credentials were presented, or that does not say but comes from an address that logged in
        successfully within `session_window`, is the user's own code and is never reported (so a
        user's failing code cannot be paired with a stranger's request); one whose log does not say is
        reported with `unknown_auth_severity`. A refused request (HTTP 401/403 …) does not match. Pairs are
        made and reported, about the requesting identity, once both sides are older than the window
        (seen from the server's later events), when a server's held list is full, or at the end of
        the input.

        False positives: two unrelated events that happen to meet in the window: a user's failing
        code, logged without a word on credentials, from an address that never logged in (a
        long-lived API key), while a stranger's request is refused. Allow-list the server with
        `account:`.

        MITRE ATT&CK: T1190 (Exploit Public-Facing Application), T1059.006 (Command and Scripting
        Interpreter: Python).
        """

    /// Settings read from the `settings:` mapping.
    public struct Configuration: Sendable {
        /// Request actions that run caller-supplied code (`code_actions`).
        public var codeActions: [String] = ["validate_code", "load_component", "execute_code"]
        /// Request paths (globs) that run caller-supplied code, for logs without actions (`code_paths`).
        public var codePaths: [String] = ["/api/v1/validate/code*", "/api/v1/custom_component*"]
        /// Actions of the server's own records saying code ran (`server_actions`).
        public var serverActions: [String] = ["code_error", "code_executed"]
        /// Largest distance in time between request and record (`window`, ms).
        public var window: Int64 = 30_000
        /// Severity when the request's log does not say whether credentials were presented
        /// (`unknown_auth_severity`); capped at the detector's severity.
        public var unknownAuthSeverity: Severity = .high
        /// Actions that are a login (`login_actions`).
        public var loginActions: [String] = ["login"]
        /// How long after a successful login the same address's requests count as that user's (`session_window`, ms).
        public var sessionWindow: Int64 = 12 * 3_600_000
        /// Requests and records kept per server (`max_pending`).
        public var maxPending = 64
        /// Servers (and client addresses) remembered (`max_servers`).
        public var maxServers = 4096

        /// Defaults.
        public init() {}

        /// Reads the settings, reporting problems to the reader.
        public init(reading r: ConfigReader) {
            codeActions = r.strings("code_actions", default: codeActions)
            codePaths = r.strings("code_paths", default: codePaths)
            serverActions = r.strings("server_actions", default: serverActions)
            window = r.duration("window", default: window, in: 1000...86_400_000)
            unknownAuthSeverity = r.severity("unknown_auth_severity", default: unknownAuthSeverity)
            loginActions = r.strings("login_actions", default: loginActions)
            sessionWindow = r.duration("session_window", default: sessionWindow)
            maxPending = r.int("max_pending", default: maxPending, in: 1...4096)
            maxServers = r.int("max_servers", default: maxServers, in: 16...1_000_000)
        }
    }

    /// A code request waiting for its server record.
    struct Request {
        var time: Int64
        var identity: Identity
        var eventId: String
        var client: String
        var path: String
        var agent: String
        var auth: Bool?
        /// Credentials presented, or an address that logged in: the user's own code, never reported.
        var own: Bool
    }

    /// A server record of executed code waiting for its request.
    struct Record {
        var time: Int64
        var eventId: String
        var text: String
    }

    final class Server: RecentState {
        let name: String
        init(name: String) { self.name = name }
        var requests: [Request] = []
        var records: [Record] = []

        /// True when a held request or record is older than `cutoff` (checked on every event of
        /// the server, so without building a list of times).
        func holds(before cutoff: Int64) -> Bool {
            requests.contains { $0.time < cutoff } || records.contains { $0.time < cutoff }
        }
    }

    /// Every event (workflow requests are matched by path); others return at once.
    public let interest: Interest = .all
    /// Effective settings.
    public let configuration: Configuration
    private let globs: [Glob]
    var servers: BoundedStates<Server>
    var sessions: WorkflowSessions
    var pending: [(Identity, Signal)] = []
    static let maxPendingSignals = 256

    /// Builds the detector from its `settings:` mapping (problems go to the reader).
    public convenience init(settings: ConfigReader) { self.init(configuration: Configuration(reading: settings)) }

    /// Creates the detector.
    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        globs = configuration.codePaths.map(Glob.init)
        servers = BoundedStates(capacity: configuration.maxServers)
        sessions = WorkflowSessions(capacity: configuration.maxServers)
    }

    /// Remembers code requests and server records, and reports a request its record confirms.
    public func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
        guard let req = WorkflowRequest(event, context.memo) else { return }
        sessions.note(req, time: event.time, actions: configuration.loginActions)
        if configuration.serverActions.contains(req.action) {
            record(event, req, context)
        } else if !req.refused, req.runsCode(actions: configuration.codeActions, paths: globs) {
            // Every accepted code request claims the nearest record, so a user's own failing code
            // (with credentials, or from an address that logged in) cannot be paired with a stranger's.
            let own =
                req.auth == true
                || (req.auth == nil
                    && sessions.loggedIn(req, time: event.time, window: configuration.sessionWindow) != nil)
            request(event, req, own: own, context)
        }
        // Pairs that no later record or request can improve (both older than the window) are
        // reported now, about the request's identity; the rest wait (end of input: `finish`).
        let s = server(req.server, event.time)
        let cutoff = event.time - configuration.window
        if s.holds(before: cutoff) { settle(s, context, before: cutoff) }
        for (who, var signal) in pending {
            signal.about = who
            signals.append(signal)
        }
        pending.removeAll()
    }

    /// Pairs what is still held and reports the confirmed requests (end of input).
    public func finish(now: Int64, context: DetectionContext, into signals: inout [(Identity, Signal)]) {
        for s in servers.entries.values.sorted(by: { $0.name < $1.name }) { settle(s, context) }
        signals.append(contentsOf: pending)
        pending.removeAll()
    }

    private func server(_ name: String, _ time: Int64) -> Server {
        servers.get(Hash64.of(name), now: time) { Server(name: name) }
    }

    private func request(_ e: Event, _ req: WorkflowRequest, own: Bool, _ context: DetectionContext) {
        let s = server(req.server, e.time)
        let r = Request(
            time: e.time, identity: e.identity, eventId: e.eventId, client: req.client,
            path: req.path.isEmpty ? req.action : req.path, agent: RuleText.bounded(e.userAgent.raw, 120),
            auth: req.auth, own: own)
        if s.requests.count >= configuration.maxPending { settle(s, context) }
        Self.append(&s.requests, r, cap: configuration.maxPending)
    }

    private func record(_ e: Event, _ req: WorkflowRequest, _ context: DetectionContext) {
        let s = server(req.server, e.time)
        let text = SourceText.param(e, "tool_input", 300) ?? SourceText.param(e, "path", 160) ?? e.action.operation
        if s.records.count >= configuration.maxPending { settle(s, context) }
        Self.append(&s.records, Record(time: e.time, eventId: e.eventId, text: text), cap: configuration.maxPending)
    }

    /// Pairs unmatched requests and records of a server, closest in time first (a greedy global
    /// order: arrival order would let the first request near a record take it), and queues the
    /// pairs whose request is not the user's own. Paired entries are dropped.
    func settle(_ s: Server, _ context: DetectionContext, before cutoff: Int64 = .max) {
        var pairs: [(gap: Int64, q: Int, r: Int)] = []
        // By index and time only: the loop runs on every event of a server that holds something
        // old, and copying each held request (its identity's strings) cost more than the pairing.
        for qi in s.requests.indices where s.requests[qi].time < cutoff {
            let qt = s.requests[qi].time
            for ri in s.records.indices {
                let rt = s.records[ri].time
                if rt < cutoff && abs(qt - rt) <= configuration.window { pairs.append((abs(qt - rt), qi, ri)) }
            }
        }
        // Nothing pairs (held requests with no record near them, the usual case between attacks):
        // the lists stay as they are, without being rebuilt for every event of the server.
        guard !pairs.isEmpty else { return }
        pairs.sort { ($0.gap, $0.r, $0.q) < ($1.gap, $1.r, $1.q) }
        var usedQ = Set<Int>()
        var usedR = Set<Int>()
        for p in pairs where !usedQ.contains(p.q) && !usedR.contains(p.r) {
            usedQ.insert(p.q)
            usedR.insert(p.r)
            let q = s.requests[p.q]
            if !q.own, pending.count < Self.maxPendingSignals {
                pending.append((q.identity, signal(q, s.records[p.r], server: s.name, context)))
            }
        }
        s.requests = s.requests.enumerated().filter { !usedQ.contains($0.offset) }.map(\.element)
        s.records = s.records.enumerated().filter { !usedR.contains($0.offset) }.map(\.element)
    }

    private static func append<T>(_ list: inout [T], _ item: T, cap: Int) {
        if list.count >= cap { list.removeFirst(list.count - cap + 1) }
        list.append(item)
    }
}

extension WorkflowCodeExecutionConfirmed {

    /// The finding of one matched pair, about the request.
    func signal(_ r: Request, _ rec: Record, server: String, _ context: DetectionContext) -> Signal {
        let severity =
            r.auth == nil ? min(context.spec.severity, configuration.unknownAuthSeverity) : context.spec.severity
        let where_ = WorkflowText.server(server)
        let client = r.client.isEmpty ? "an unknown address" : RuleText.bounded(r.client, 64)
        let gap = abs(rec.time - r.time) / 1000
        let title = "Code ran on \(where_) after an unauthenticated \(RuleText.bounded(r.path, 60)) from \(client)"
        var text =
            "\(client.capitalizedFirst) sent \(RuleText.bounded(r.path, 120)) to \(where_) "
            + (r.auth == nil
                ? "without proof of credentials (the log does not say; the address had not logged in)"
                : "without credentials")
            + " at \(Timestamp.format(r.time)), and \(gap) s \(rec.time >= r.time ? "later" : "earlier") the server "
            + "itself recorded running code: \(RuleText.bounded(rec.text, 300)). "
        if !r.agent.isEmpty { text += "Client agent: \(r.agent). " }
        text +=
            "The request reached an endpoint that executes what it carries (Langflow's validate/code: "
            + "CVE-2025-3248) and the server's record shows the code ran. Treat the server and its cloud "
            + "identity as compromised: look for that identity's calls right after."
        let facts = [
            Fact("server", RuleText.bounded(server, 80)), Fact("client", client),
            Fact("path", RuleText.bounded(r.path, 160)),
            Fact("authenticated", r.auth.map { $0 ? "true" : "false" } ?? "unknown"),
            Fact("request_time", Timestamp.format(r.time)), Fact("server_record_time", Timestamp.format(rec.time)),
            Fact("server_record", RuleText.bounded(rec.text, 300)),
        ]
        let ids = [r.eventId, rec.eventId].filter { !$0.isEmpty }
        return Signal(
            severity: severity, title: title, explanation: text, facts: facts, mitre: Self.mitre,
            key: r.client + " " + r.path, eventIds: ids, firstSeen: min(r.time, rec.time), count: 2,
            resource: r.path)
    }
}
