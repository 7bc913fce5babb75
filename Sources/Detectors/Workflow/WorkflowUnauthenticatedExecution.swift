import Config
import Detection
import EventModel

/// Built-in detector `workflow.unauthenticated_execution`; `explanation` says what it detects and why (it is the
/// `detectors explain` text, written once).
public final class WorkflowUnauthenticatedExecution: BuiltInDetector {
    /// Detector id.
    public static let id = "workflow.unauthenticated_execution"
    /// One line for `detectors list` and the docs table.
    public static let summary = "Unauthenticated request to an AI-workflow endpoint that runs code or flows"
    /// Severity when the YAML does not set one.
    public static let defaultSeverity = Severity.high
    /// Every MITRE ATT&CK technique its findings may carry.
    public static let mitre = ["T1190", "T1059"]
    /// What it is built on.
    public static let kind = DetectorKind.source
    /// What it detects and why: the text of `trailhound detectors explain`.
    public static let explanation = """
        Detects requests to an AI-workflow server (Langflow, n8n, ComfyUI, …) that reach an
        endpoint which runs code, loads components or calls tools without authentication.

        Why it matters: these endpoints execute what the request carries. Langflow's
        `/api/v1/validate/code` ran Python from unauthenticated requests (CVE-2025-3248) and was
        exploited in the wild; custom-component and flow-run endpoints, n8n's workflow runs and
        ComfyUI's `/prompt` are the same kind of door. Once code runs on the server, the attacker
        holds the server's cloud identity, and everything that follows in the audit logs is
        "legitimate" API calls.

        An event matches when it comes from a workflow log, its `authenticated` field is false,
        and its request path matches one of `paths` (globs) or its action is one of `actions`.
        Actions in `code_actions` (code validation, component loading) are raised one step. When
        the log does not say whether the request was authenticated (e.g. plain access lines), only
        `code_actions` are reported, with `unknown_auth_severity` (set it to `info` to ignore such
        logs). A
        request that was refused (HTTP 401/403 and other errors) is a failed attempt
        (`failed_severity`).

        Access logs without a word on credentials (nginx `combined`, plain access lines) are read
        with two memories per server: a code request from an address that logged in successfully
        within `session_window` is most likely that user's own session (`logged_in_severity`, low by
        default: an authenticated user's failing code is not an incident), and one from a client
        network the server has never served, after its `learning_period`, is raised to
        `new_network_severity`. Both memories are bounded (`max_clients`).

        False positives: servers deliberately left open behind another authentication layer
        (an authenticating reverse proxy the server does not know about), health checks that hit
        a listed path, and public demo instances. Allow-list the server with `account:` (the
        server name) or the path with `key:`.

        MITRE ATT&CK: T1190 (Exploit Public-Facing Application), T1059 (Command and Scripting
        Interpreter).
        """

    /// Settings read from the `settings:` mapping.
    public struct Configuration: Sendable {
        /// Request paths (globs, `*` matches any run) of endpoints that execute code, load
        /// components or run flows (`paths`).
        public var paths: [String] = [
            "/api/v1/validate/code*", "/api/v1/custom_component*", "/api/v1/run/*", "/api/v1/build/*",
            "/api/v1/process/*", "/api/v1/predict/*", "/rest/workflows/*/run", "/rest/workflows/run",
            "/webhook/*", "/prompt", "/api/prompt",
        ]
        /// Actions (`action` field) that execute something (`actions`).
        public var actions: [String] = ["validate_code", "load_component", "run_flow", "tool_call", "execute_code"]
        /// Actions that run caller-supplied code: one severity step higher (`code_actions`).
        public var codeActions: [String] = ["validate_code", "load_component", "execute_code"]
        /// Severity when the log does not say whether the request was authenticated
        /// (`unknown_auth_severity`); capped at the detector's severity.
        public var unknownAuthSeverity: Severity = .medium
        /// Actions that are a login; a successful one marks its client address as a user's
        /// session for `session_window` (`login_actions`).
        public var loginActions: [String] = ["login"]
        /// How long after a successful login a request of unknown authentication from the same
        /// address counts as that user's (`session_window`, ms).
        public var sessionWindow: Int64 = 12 * 3_600_000
        /// Severity of such a request (`logged_in_severity`), capped at the detector's severity.
        public var loggedInSeverity: Severity = .low
        /// Severity of a request of unknown authentication from a client network the server has
        /// never served (`new_network_severity`), capped at the detector's severity.
        public var newNetworkSeverity: Severity = .high
        /// How long a server's logs only teach its client networks (`learning_period`, ms).
        public var learningPeriod: Int64 = 3 * 86_400_000
        /// Client addresses and networks remembered (`max_clients`), least recently used dropped first.
        public var maxClients = 10_000

        /// Defaults.
        public init() {}

        /// Reads the settings, reporting problems to the reader.
        public init(reading r: ConfigReader) {
            paths = r.strings("paths", default: paths)
            actions = r.strings("actions", default: actions)
            codeActions = r.strings("code_actions", default: codeActions)
            unknownAuthSeverity = r.severity("unknown_auth_severity", default: unknownAuthSeverity)
            loginActions = r.strings("login_actions", default: loginActions)
            sessionWindow = r.duration("session_window", default: sessionWindow)
            loggedInSeverity = r.severity("logged_in_severity", default: loggedInSeverity)
            newNetworkSeverity = r.severity("new_network_severity", default: newNetworkSeverity)
            learningPeriod = r.duration("learning_period", default: learningPeriod)
            maxClients = r.int("max_clients", default: maxClients, in: 16...10_000_000)
        }
    }

    /// Every event (paths are matched, not operations); non-workflow events return at once.
    public let interest: Interest = .all
    /// Effective settings.
    public let configuration: Configuration
    private let globs: [Glob]
    var sessions: WorkflowSessions
    var networks: BoundedStates<SeenKey>
    var clock = LearningClock()

    /// Builds the detector from its `settings:` mapping (problems go to the reader).
    public convenience init(settings: ConfigReader) { self.init(configuration: Configuration(reading: settings)) }

    /// Creates the detector.
    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        globs = configuration.paths.map(Glob.init)
        sessions = WorkflowSessions(capacity: configuration.maxClients)
        networks = BoundedStates(capacity: configuration.maxClients)
    }

    /// Raises a signal for an unauthenticated (or not known to be authenticated) execution request.
    public func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
        guard let req = WorkflowRequest(event, context.memo) else { return }
        let newNetwork = learnNetwork(req, event, context)
        sessions.note(req, time: event.time, actions: configuration.loginActions)
        guard req.auth != true else { return }
        let byPath = !req.path.isEmpty ? globs.first { $0.matches(req.path) } : nil
        let byAction = !req.action.isEmpty && configuration.actions.contains(req.action)
        guard byPath != nil || byAction else { return }
        let code = configuration.codeActions.contains(req.action)
        // Without a word on authentication, only code-running actions are worth a finding:
        // flow runs are too common in access logs to flag on a guess.
        if req.auth == nil && !code { return }
        var severity = code ? context.spec.severity.raised : context.spec.severity
        var judgement: Judgement = .unauthenticated
        if req.auth == nil {
            judgement = .unknown
            severity = min(context.spec.severity, configuration.unknownAuthSeverity)
            if let login = sessions.loggedIn(req, time: event.time, window: configuration.sessionWindow) {
                judgement = .loggedIn(login)
                severity = min(context.spec.severity, configuration.loggedInSeverity)
            } else if newNetwork {
                judgement = .newNetwork
                severity = min(context.spec.severity, configuration.newNetworkSeverity)
            }
        }
        signals.append(signal(event, req, severity: severity, byPath: byPath, code: code, judgement: judgement))
    }

    /// The path without its query string.
    static func pathOnly(_ p: String) -> String {
        // By byte, as a URL is read (the query starts at the first `?` whatever follows it), and
        // without breaking the path into characters: every workflow event passes here.
        guard let q = p.utf8.firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) else {
            return p
        }
        return String(p[..<q])
    }
}

extension String {
    /// The string with its first character upper-cased.
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
