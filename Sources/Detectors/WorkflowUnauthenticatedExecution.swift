import Detection
import EventModel

/// Detects requests to an AI-workflow server (Langflow, n8n, ComfyUI, …) that reach an
/// endpoint which runs code, loads components or calls tools without authentication.
///
/// Why it matters: these endpoints execute what the request carries. Langflow's
/// `/api/v1/validate/code` ran Python from unauthenticated requests (CVE-2025-3248) and was
/// exploited in the wild; custom-component and flow-run endpoints, n8n's workflow runs and
/// ComfyUI's `/prompt` are the same kind of door. Once code runs on the server, the attacker
/// holds the server's cloud identity, and everything that follows in the audit logs is
/// "legitimate" API calls.
///
/// An event matches when it comes from a workflow log, its `authenticated` field is false,
/// and its request path matches one of `paths` (globs) or its action is one of `actions`.
/// Actions in `code_actions` (code validation, component loading) are raised one step. When
/// the log does not say whether the request was authenticated (e.g. plain access lines), only
/// `code_actions` are reported, with `unknown_auth_severity` (set it to `info` to ignore such
/// logs). A
/// request that was refused (HTTP 401/403 and other errors) is a failed attempt
/// (`failed_severity`).
///
/// False positives: servers deliberately left open behind another authentication layer
/// (an authenticating reverse proxy the server does not know about), health checks that hit
/// a listed path, and public demo instances. Allow-list the server with `account:` (the
/// server name) or the path with `key:`.
///
/// MITRE ATT&CK: T1190 (Exploit Public-Facing Application), T1059 (Command and Scripting
/// Interpreter).
public final class WorkflowUnauthenticatedExecution: Detector {
    /// Detector id.
    public static let id = "workflow.unauthenticated_execution"
    /// Text of `trailhound detectors explain` (same as this type's doc comment).
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

        /// Defaults.
        public init() {}

        /// Reads the settings, reporting problems to the reader.
        public init(reading r: ConfigReader) {
            paths = r.strings("paths", default: paths)
            actions = r.strings("actions", default: actions)
            codeActions = r.strings("code_actions", default: codeActions)
            unknownAuthSeverity = r.severity("unknown_auth_severity", default: unknownAuthSeverity)
        }
    }

    /// Detector id.
    public var id: String { Self.id }
    /// Every event (paths are matched, not operations); non-workflow events return at once.
    public let interest: Interest = .all
    /// Effective settings.
    public let configuration: Configuration
    private let globs: [Glob]
    private static let mitre = ["T1190", "T1059"]

    /// Creates the detector.
    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        globs = configuration.paths.map(Glob.init)
    }

    /// Raises a signal for an unauthenticated (or not known to be authenticated) execution request.
    public func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
        guard event.provider == .workflow else { return }
        let auth = event.parameters["authenticated"]
        guard auth != "true" else { return }
        let path = Self.pathOnly(event.parameters["path"] ?? "")
        let action = event.parameters["action"] ?? ""
        let byPath = !path.isEmpty ? globs.first { $0.matches(path) } : nil
        let byAction = !action.isEmpty && configuration.actions.contains(action)
        guard byPath != nil || byAction else { return }
        // Without a word on authentication, only code-running actions are worth a finding:
        // flow runs are too common in access logs to flag on a guess.
        if auth == nil && !configuration.codeActions.contains(action) { return }
        var severity = context.spec.severity
        if configuration.codeActions.contains(action) { severity = severity.raised }
        if auth == nil { severity = min(context.spec.severity, configuration.unknownAuthSeverity) }
        let target = path.isEmpty ? action : path
        let failed = !event.outcome.isSuccess
        let server =
            event.account.isEmpty ? "the workflow server" : "workflow server \(RuleText.bounded(event.account, 80))"
        let what = action.isEmpty ? "\(event.action.operation)" : "action \(RuleText.bounded(action, 60))"
        let authText = auth == nil ? "without proof of authentication (the log does not say)" : "without authentication"
        let title = "\(failed ? "Refused" : "Unauthenticated") \(RuleText.bounded(target, 80)) on \(server)"
        var text =
            "\(SourceText.who(event.identity).capitalizedFirst) \(failed ? "tried to reach" : "reached") "
            + "\(RuleText.bounded(target, 160)) (\(what)) on \(server) \(authText), "
            + "\(RuleText.origin(event))."
        if let status = event.parameters["status"] { text += " HTTP status \(RuleText.bounded(status, 8))." }
        if let m = byPath {
            text +=
                " The path matches `\(RuleText.bounded(m.pattern, 80))`, an endpoint that executes what the request carries."
        }
        if configuration.codeActions.contains(action) {
            text += " This action runs caller-supplied code (Langflow's code validation was CVE-2025-3248)."
        }
        if failed {
            text +=
                " The server refused the request (\(RuleText.bounded(event.outcome.errorCode, 40))); the attempt still shows someone probing it."
        }
        text +=
            " Code that runs there acts with the server's cloud identity: look for that identity's calls right after."
        var facts = RuleText.facts(event, target: target)
        facts.append(Fact("authenticated", auth ?? "unknown"))
        facts.append(Fact("action", RuleText.bounded(action, 60)))
        if let m = byPath { facts.append(Fact("matched_path", m.pattern)) }
        signals.append(
            Signal(
                severity: severity, title: title, explanation: text, facts: facts, mitre: Self.mitre, key: target,
                failedAttempt: failed, resource: target))
    }

    /// The path without its query string.
    static func pathOnly(_ p: String) -> String {
        guard let q = p.firstIndex(where: { $0 == "?" || $0 == "#" }) else { return p }
        return String(p[..<q])
    }
}

extension String {
    /// The string with its first character upper-cased.
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
