/// An AI-workflow server and the cloud identity its code runs as (an instance role, a pod's
/// service account, a managed identity): code executed on the server acts with that identity,
/// so a suspicious request to the server and the identity's behaviour right after belong to one
/// story. Configured in `detectors/workflow.workload_activity.yaml` (`workloads:`) and read by
/// that detector, by incidents (`scan --incidents`) and by `investigate`.
public struct Workload: Sendable, Hashable, Codable {
    /// Server name, as workflow events carry it in `account` (the front-door deployment mapping's
    /// `name`, or the server log mapping's `server`).
    public var server: String
    /// Canonical identity key of the workload identity: a role ARN
    /// (`arn:aws:iam::123456789012:role/langflow-host`), `k8s:system:serviceaccount:ns:name`, …
    public var identity: String
    /// Optional instance id (`i-…`): only sessions of the identity on that instance count.
    public var instance: String

    /// Creates a workload link.
    public init(server: String, identity: String, instance: String = "") {
        self.server = server
        self.identity = identity
        self.instance = instance
    }

    /// The workload identity key for a role session ARN
    /// (`arn:aws:sts::123:assumed-role/NAME/SESSION` → `arn:aws:iam::123:role/NAME`); other keys unchanged.
    public static func canonical(_ key: String) -> String {
        let parts = key.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[2] == "sts", parts[5].hasPrefix("assumed-role/") else { return key }
        let role = parts[5].dropFirst("assumed-role/".count).split(separator: "/").first.map(String.init) ?? ""
        return "arn:\(parts[1]):iam::\(parts[4]):role/\(role)"
    }
}
