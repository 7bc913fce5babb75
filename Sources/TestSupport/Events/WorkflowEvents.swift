import EventModel
import Foundation

extension SourceEvents {
    /// One AI-workflow server record at `t0 + ms` with the given schema fields (`action`,
    /// `principal`, `authenticated`, `status`, `tool_name`, …), as `WorkflowLog` maps them.
    public static func workflow(
        _ fields: [String: String], at ms: Int64 = 0, server: String = "lf-prod", client: String = "198.51.100.77"
    ) -> Event {
        var p = fields
        p["server"] = server
        let auth = fields["authenticated"]
        let principal = fields["principal"] ?? ""
        let identity =
            auth != "false" && !principal.isEmpty
            ? Identity(key: "workflow:\(server)/\(principal)", type: .user, accountId: server, displayName: principal)
            : Identity(
                key: "workflow:\(server)/anonymous", type: .anonymous, accountId: server,
                displayName: "anonymous@\(server)")
        let status = Int(fields["status"] ?? "") ?? 200
        return Event(
            time: t0 + ms, provider: .workflow, eventSource: server, account: server, identity: identity,
            action: Action(service: "workflow", operation: fields["action"] ?? "POST /api/v1"),
            source: Source(kind: .ip, raw: client, ips: [client]),
            userAgent: UserAgent(raw: "python-requests/2.31.0", family: .pythonRequests),
            outcome: status >= 400 ? Outcome(errorCode: status == 403 ? "Forbidden" : "Unauthorized") : .success,
            parameters: p, eventId: UUID().uuidString, origin: Origin(path: "workflow.log", record: 1))
    }
}
