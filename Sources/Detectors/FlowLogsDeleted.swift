import Detection
import EventModel

/// Detects VPC flow logs being deleted (`ec2:DeleteFlowLogs`).
///
/// Why it matters: flow logs are the network record of a VPC: which hosts talked
/// to which addresses, and how much data left. An attacker using a workload's
/// credentials deletes them before exfiltrating data or reaching out to command
/// and control, so that the traffic leaves no trace.
///
/// The finding names the flow log ids found in the request (`fl-…`). Key and
/// allow-list resource are those ids, comma-separated and sorted.
///
/// False positives: tearing down a VPC or environment deletes its flow logs, and
/// infrastructure-as-code replaces flow logs when their settings change. Allow-list
/// the deployment role with `identity:` (optionally with `user_agent_family:
/// terraform`).
///
/// MITRE ATT&CK: T1562.008 (Impair Defenses: Disable or Modify Cloud Logs).
public final class FlowLogsDeleted: Detector {
    /// Detector id.
    public static let id = "evasion.flow_logs_deleted"
    /// Text of `trailhound detectors explain` (same as this type's doc comment).
    public static let explanation = """
        Detects VPC flow logs being deleted (`ec2:DeleteFlowLogs`).

        Why it matters: flow logs are the network record of a VPC: which hosts talked
        to which addresses, and how much data left. An attacker using a workload's
        credentials deletes them before exfiltrating data or reaching out to command
        and control, so that the traffic leaves no trace.

        The finding names the flow log ids found in the request (`fl-…`). Key and
        allow-list resource are those ids, comma-separated and sorted.

        False positives: tearing down a VPC or environment deletes its flow logs, and
        infrastructure-as-code replaces flow logs when their settings change. Allow-list
        the deployment role with `identity:` (optionally with `user_agent_family:
        terraform`).

        MITRE ATT&CK: T1562.008 (Impair Defenses: Disable or Modify Cloud Logs).
        """

    /// Settings read from the `settings:` mapping (this detector has none).
    public struct Configuration: Sendable {
        /// Defaults.
        public init() {}
        /// Reads the settings, reporting problems to the reader.
        public init(reading r: ConfigReader) {}
    }

    /// Detector id.
    public var id: String { Self.id }
    /// EC2's `DeleteFlowLogs`.
    public let interest: Interest = .operations(["DeleteFlowLogs"])
    /// Effective settings.
    public let configuration: Configuration

    /// Creates the detector.
    public init(configuration: Configuration = .init()) { self.configuration = configuration }

    /// Raises a signal for every `DeleteFlowLogs` call.
    public func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
        guard event.action.service == "ec2", event.action.operation == "DeleteFlowLogs" else { return }
        let ids = Self.flowLogIds(event)
        let target = ids.isEmpty ? "unknown" : ids.joined(separator: ",")
        let object =
            ids.count == 1
            ? "VPC flow log \(RuleText.bounded(target))"
            : (ids.isEmpty ? "VPC flow logs" : "VPC flow logs \(RuleText.list(ids))")
        let hit = RuleHit(
            severity: context.spec.severity, past: "deleted", base: "delete", object: object,
            target: RuleText.bounded(target, 400),
            facts: [Fact("flow_log_count", String(ids.count))],
            why: "Network traffic of the affected VPCs, subnets or interfaces is no longer recorded.",
            mitre: ["T1562.008"])
        signals.append(hit.signal(for: event))
    }

    /// Flow log ids (`fl-` followed by hex digits) anywhere in the request
    /// parameters or resources, sorted and unique, at most 20. EC2 logs them in
    /// several shapes (`flowLogIds`, `DeleteFlowLogsRequest.FlowLogId.content`, lists).
    static func flowLogIds(_ event: Event) -> [String] {
        var found = Set<String>()
        let texts =
            event.parameters.filter { $0.key.hasPrefix("requestParameters") }.map(\.value)
            + event.resources.map(\.id)
        for text in texts {
            var rest = Substring(text)
            while found.count < 20, let r = rest.firstRange(of: "fl-") {
                let tail = rest[r.upperBound...]
                let hex = tail.prefix { $0.isHexDigit }
                let before = r.lowerBound == rest.startIndex ? nil : rest[rest.index(before: r.lowerBound)]
                if hex.count >= 8, before.map({ !$0.isLetter && !$0.isNumber }) ?? true { found.insert("fl-" + hex) }
                rest = tail[hex.endIndex...]
            }
        }
        return found.sorted()
    }
}
