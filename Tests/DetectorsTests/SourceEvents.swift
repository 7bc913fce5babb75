import EventModel
import Foundation

/// Kubernetes and workflow events built directly, with the parameters the formats set
/// (see Sources/Formats/Kubernetes.swift and WorkflowLog.swift).
enum SourceEvents {
    /// 2026-01-01T00:00:00Z.
    static let t0 = TestEvents.t0
    static let day: Int64 = 86_400_000

    /// A Kubernetes service-account identity.
    static func sa(_ ns: String, _ name: String) -> Identity {
        let u = "system:serviceaccount:\(ns):\(name)"
        return Identity(key: "k8s:" + u, type: .serviceAccount, accountId: "prod-eks", displayName: u)
    }

    /// A Kubernetes user.
    static func k8sUser(_ name: String) -> Identity {
        Identity(key: "k8s:" + name, type: .user, accountId: "prod-eks", displayName: name)
    }

    /// One Kubernetes request at `t0 + ms`.
    static func k8s(
        _ verb: String, _ resource: String, sub: String = "", ns: String = "", name: String = "",
        by identity: Identity = sa("ci", "runner"), at ms: Int64 = 0, status: Int = 200,
        requestObject: String? = nil
    ) -> Event {
        var p: [String: String] = ["verb": verb, "objectRef.resource": resource]
        if !sub.isEmpty { p["objectRef.subresource"] = sub }
        if !ns.isEmpty { p["objectRef.namespace"] = ns }
        if !name.isEmpty { p["objectRef.name"] = name }
        if let requestObject { p["requestObject"] = requestObject }
        let op = verb + " " + (sub.isEmpty ? resource : resource + "/" + sub)
        var resources: [Resource] = []
        if resource == "secrets" && !name.isEmpty { resources.append(Resource(kind: .k8sSecret, id: "\(ns)/\(name)")) }
        return Event(
            time: t0 + ms, provider: .kubernetes, eventSource: "k8s.io", account: "prod-eks", identity: identity,
            action: Action(service: "k8s", operation: op, readOnly: ["get", "list", "watch"].contains(verb)),
            source: Source(kind: .ip, raw: "203.0.113.9", ips: ["203.0.113.9"]),
            userAgent: UserAgent(raw: "kubectl/v1.29.2", family: .kubectl),
            outcome: status >= 400 ? Outcome(errorCode: status == 403 ? "Forbidden" : "\(status)") : .success,
            resources: resources, parameters: p, eventId: UUID().uuidString,
            origin: Origin(path: "audit.log", record: 1))
    }

    /// One workflow record at `t0 + ms` with the given schema fields.
    static func workflow(
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
