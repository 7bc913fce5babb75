import EventModel
import Foundation

/// Kubernetes and workflow events built directly, with the parameters the formats set (see
/// `Sources/Formats/Kubernetes.swift` and `WorkflowLog.swift`): the non-AWS half of the direct
/// builders (`TestEvents` is the AWS half; `K8sFixture`, `GCPFixture` and `AzureFixture` write the
/// raw records the decoders read).
public enum SourceEvents {
    /// 2026-01-01T00:00:00Z, the same origin as `TestEvents.t0`.
    public static let t0 = TestEvents.t0
    /// One day in milliseconds.
    public static let day: Int64 = 86_400_000

    /// A Kubernetes service-account identity.
    public static func sa(_ ns: String, _ name: String) -> Identity {
        let u = "system:serviceaccount:\(ns):\(name)"
        return Identity(key: "k8s:" + u, type: .serviceAccount, accountId: "prod-eks", displayName: u)
    }

    /// A Kubernetes user.
    public static func k8sUser(_ name: String) -> Identity {
        Identity(key: "k8s:" + name, type: .user, accountId: "prod-eks", displayName: name)
    }

    /// One Kubernetes request at `t0 + ms`.
    public static func k8s(
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
}
