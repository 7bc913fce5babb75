import Baselines
import Detection
import EventModel

/// What the AI-workflow detectors read from a `provider: workflow` event: one request seen by
/// the server or its front door (nginx, a load balancer), or one of the server's own records.
struct WorkflowRequest {
    /// Server name (the event's account).
    let server: String
    /// Client address (first source address), empty when the log has none.
    let client: String
    /// Request path without its query string.
    let path: String
    /// The `action` parameter (`validate_code`, `login`, `code_error`, …), empty when none.
    let action: String
    /// `authenticated`: true / false, nil when the log does not say.
    let auth: Bool?
    /// True when the server refused or failed the request (HTTP status ≥ 400).
    let refused: Bool

    /// Nil for events of other providers. Inlined, so that the four detectors that see every
    /// event turn the others away with one comparison; the rest is built out of line, once per
    /// event for the four (`memo`).
    @inline(__always) init?(_ e: Event, _ memo: EventMemo) {
        guard e.provider == .workflow else { return nil }
        self = memo.value(WorkflowRequest.self, for: e) { WorkflowRequest(workflow: e) }
    }

    /// The request of a workflow event.
    private init(workflow e: Event) {
        server = e.account
        client = e.source.ips.first ?? (e.source.kind == .ip ? e.source.raw : "")
        path = WorkflowUnauthenticatedExecution.pathOnly(e.parameters["path"] ?? "")
        action = e.parameters["action"] ?? ""
        switch e.parameters["authenticated"] {
        case "true": auth = true
        case "false": auth = false
        default: auth = nil
        }
        refused = !e.outcome.isSuccess
    }

    /// True when the request reaches an endpoint that runs caller-supplied code (by action or path).
    func runsCode(actions: [String], paths: [Glob]) -> Bool {
        (!action.isEmpty && actions.contains(action)) || (!path.isEmpty && paths.contains { $0.matches(path) })
    }

    /// Hash of (server, client), for per-client memories.
    var clientKey: UInt64 { Hash64.combine(Hash64.of(server), Hash64.of(client)) }
}

/// Successful logins per (server, client address): with access logs that do not say whether a
/// request carried credentials, a code request from an address that logged in shortly before is
/// most likely that user's session. Bounded least-recently-used map.
struct WorkflowSessions {
    private var logins: BoundedStates<SeenKey>

    /// Remembers at most `capacity` (server, client) pairs.
    init(capacity: Int) { logins = BoundedStates(capacity: capacity) }

    /// Records a successful login (action in `actions`, not refused) from a known address.
    mutating func note(_ r: WorkflowRequest, time: Int64, actions: [String]) {
        guard !r.client.isEmpty, !r.refused, actions.contains(r.action) else { return }
        let s = logins.get(r.clientKey, now: time) { SeenKey() }
        s.since = time
    }

    /// Time of the client's latest successful login within `window` before `time`, if any.
    func loggedIn(_ r: WorkflowRequest, time: Int64, window: Int64) -> Int64? {
        guard !r.client.isEmpty, let s = logins.peek(r.clientKey) else { return nil }
        return time >= s.since && time - s.since <= window ? s.since : nil
    }
}

/// Text shared by the AI-workflow detectors.
enum WorkflowText {
    /// `workflow server NAME`, or `the workflow server`.
    static func server(_ name: String) -> String {
        name.isEmpty ? "the workflow server" : "workflow server \(RuleText.bounded(name, 80))"
    }

    /// `from 203.0.113.7`, or empty.
    static func client(_ address: String) -> String {
        address.isEmpty ? "" : "from \(RuleText.bounded(address, 64))"
    }
}
