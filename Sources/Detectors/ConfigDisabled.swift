import Detection
import EventModel

/// Detects AWS Config being switched off: `StopConfigurationRecorder`,
/// `DeleteConfigurationRecorder` and `DeleteDeliveryChannel`.
///
/// Why it matters: AWS Config records how resources are configured over time
/// and evaluates compliance rules. An attacker stops the recorder or deletes its
/// delivery channel so that the security groups, policies and buckets they change
/// next leave no configuration history and trip no Config rules.
///
/// The key and allow-list resource is the recorder or delivery channel name.
///
/// False positives: account decommissioning, migrating to an organization-wide
/// Config setup, cost clean-ups. Allow-list the platform role with `identity:`.
///
/// MITRE ATT&CK: T1562.001 (Impair Defenses: Disable or Modify Tools).
public final class ConfigDisabled: Detector {
    /// Detector id.
    public static let id = "evasion.config_disabled"
    /// Text of `trailhound detectors explain` (same as this type's doc comment).
    public static let explanation = """
        Detects AWS Config being switched off: `StopConfigurationRecorder`,
        `DeleteConfigurationRecorder` and `DeleteDeliveryChannel`.

        Why it matters: AWS Config records how resources are configured over time
        and evaluates compliance rules. An attacker stops the recorder or deletes its
        delivery channel so that the security groups, policies and buckets they change
        next leave no configuration history and trip no Config rules.

        The key and allow-list resource is the recorder or delivery channel name.

        False positives: account decommissioning, migrating to an organization-wide
        Config setup, cost clean-ups. Allow-list the platform role with `identity:`.

        MITRE ATT&CK: T1562.001 (Impair Defenses: Disable or Modify Tools).
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
    /// AWS Config's stop and delete calls.
    public let interest: Interest = .operations([
        "StopConfigurationRecorder", "DeleteConfigurationRecorder", "DeleteDeliveryChannel",
    ])
    /// Effective settings.
    public let configuration: Configuration

    /// Creates the detector.
    public init(configuration: Configuration = .init()) { self.configuration = configuration }

    /// Raises a signal for every stop or delete call.
    public func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
        guard event.action.service == "config" else { return }
        let recorder = event.ruleRequest("configurationRecorderName") ?? "unknown"
        let hit: RuleHit
        switch event.action.operation {
        case "StopConfigurationRecorder":
            hit = RuleHit(
                severity: context.spec.severity, past: "stopped", base: "stop",
                object: "AWS Config recorder \(RuleText.bounded(recorder))", target: recorder,
                why: "Configuration changes are no longer recorded and Config rules stop evaluating them.",
                mitre: ["T1562.001"])
        case "DeleteConfigurationRecorder":
            hit = RuleHit(
                severity: context.spec.severity, past: "deleted", base: "delete",
                object: "AWS Config recorder \(RuleText.bounded(recorder))", target: recorder,
                why: "Configuration changes are no longer recorded and Config rules stop evaluating them.",
                mitre: ["T1562.001"])
        case "DeleteDeliveryChannel":
            let channel = event.ruleRequest(anyOf: ["deliveryChannelName", "configurationRecorderName"]) ?? "unknown"
            hit = RuleHit(
                severity: context.spec.severity, past: "deleted", base: "delete",
                object: "AWS Config delivery channel \(RuleText.bounded(channel))", target: channel,
                why:
                    "Configuration snapshots and history are no longer delivered, and the recorder cannot run without a channel.",
                mitre: ["T1562.001"])
        default:
            return
        }
        signals.append(hit.signal(for: event))
    }
}
