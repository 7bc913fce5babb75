import Detection
import EventModel

/// Detects Amazon Bedrock model invocation logging being deleted
/// (`bedrock:DeleteModelInvocationLoggingConfiguration`).
///
/// Why it matters: invocation logs are the only record of the prompts sent to
/// and the answers returned by foundation models in an account. An attacker
/// using stolen credentials to run models at the victim's expense ("LLMjacking"),
/// or to pull data through a model, deletes the logging configuration first so
/// that the prompts and responses are not kept.
///
/// The logging configuration is per region: the key and allow-list resource is
/// `model-invocation-logging:<region>`.
///
/// False positives: cost clean-ups and tear-downs of experimentation accounts.
/// Allow-list the platform role with `identity:`.
///
/// MITRE ATT&CK: T1562.008 (Impair Defenses: Disable or Modify Cloud Logs).
public final class BedrockLoggingDeleted: Detector {
    /// Detector id.
    public static let id = "evasion.bedrock_logging_deleted"
    /// Text of `trailhound detectors explain` (same as this type's doc comment).
    public static let explanation = """
        Detects Amazon Bedrock model invocation logging being deleted
        (`bedrock:DeleteModelInvocationLoggingConfiguration`).

        Why it matters: invocation logs are the only record of the prompts sent to
        and the answers returned by foundation models in an account. An attacker
        using stolen credentials to run models at the victim's expense ("LLMjacking"),
        or to pull data through a model, deletes the logging configuration first so
        that the prompts and responses are not kept.

        The logging configuration is per region: the key and allow-list resource is
        `model-invocation-logging:<region>`.

        False positives: cost clean-ups and tear-downs of experimentation accounts.
        Allow-list the platform role with `identity:`.

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
    /// `DeleteModelInvocationLoggingConfiguration`.
    public let interest: Interest = .operations(["DeleteModelInvocationLoggingConfiguration"])
    /// Effective settings.
    public let configuration: Configuration

    /// Creates the detector.
    public init(configuration: Configuration = .init()) { self.configuration = configuration }

    /// Raises a signal for every deletion of the logging configuration.
    public func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
        guard event.action.service == "bedrock",
            event.action.operation == "DeleteModelInvocationLoggingConfiguration"
        else { return }
        let region = event.region.isEmpty ? "unknown" : RuleText.bounded(event.region, 40)
        let hit = RuleHit(
            severity: context.spec.severity, past: "deleted", base: "delete",
            object: "Bedrock model invocation logging in \(region)", target: "model-invocation-logging:\(region)",
            why: "Prompts and responses of model invocations in this region are no longer logged.",
            mitre: ["T1562.008"])
        signals.append(hit.signal(for: event))
    }
}
