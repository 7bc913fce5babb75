import Detection
import EventModel

/// Detects federation tokens being minted (`sts:GetFederationToken`).
///
/// Why it matters: `GetFederationToken` turns an IAM user's access key into
/// temporary credentials (up to 36 hours) that keep working after the key is
/// deactivated or deleted, and console sign-in URLs can be built from them.
/// Attackers who steal a long-lived key call it first, so that the incident
/// response step "disable the key" does not lock them out. Legitimate use is
/// rare today (it predates IAM roles and Identity Center).
///
/// The key and allow-list resource is the federated user name requested
/// (`name`); the requested duration and whether a session policy was passed are
/// reported.
///
/// False positives: old broker applications that still vend federation tokens.
/// Allow-list their IAM user with `identity:`.
///
/// MITRE ATT&CK: T1550 (Use Alternate Authentication Material), T1078 (Valid Accounts).
public final class FederationToken: Detector {
    /// Detector id.
    public static let id = "persistence.federation_token"
    /// Text of `trailhound detectors explain` (same as this type's doc comment).
    public static let explanation = """
        Detects federation tokens being minted (`sts:GetFederationToken`).

        Why it matters: `GetFederationToken` turns an IAM user's access key into
        temporary credentials (up to 36 hours) that keep working after the key is
        deactivated or deleted, and console sign-in URLs can be built from them.
        Attackers who steal a long-lived key call it first, so that the incident
        response step "disable the key" does not lock them out. Legitimate use is
        rare today (it predates IAM roles and Identity Center).

        The key and allow-list resource is the federated user name requested
        (`name`); the requested duration and whether a session policy was passed are
        reported.

        False positives: old broker applications that still vend federation tokens.
        Allow-list their IAM user with `identity:`.

        MITRE ATT&CK: T1550 (Use Alternate Authentication Material), T1078 (Valid Accounts).
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
    /// `GetFederationToken`.
    public let interest: Interest = .operations(["GetFederationToken"])
    /// Effective settings.
    public let configuration: Configuration

    /// Creates the detector.
    public init(configuration: Configuration = .init()) { self.configuration = configuration }

    /// Raises a signal for every `GetFederationToken` call.
    public func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
        guard event.action.service == "sts", event.action.operation == "GetFederationToken" else { return }
        let name = event.ruleRequest("name") ?? "unknown"
        var details: [String] = []
        var facts = [Fact("federated_name", RuleText.bounded(name))]
        if let d = RuleValue.unquoted(event.ruleRequest("durationSeconds")), let secs = Int(d) {
            details.append("The requested lifetime is \(secs / 3600) h \(secs % 3600 / 60) min.")
            facts.append(Fact("duration_seconds", String(secs)))
        }
        let hasPolicy = event.ruleRequest("policy") != nil || event.ruleRequest("policyArns") != nil
        facts.append(Fact("session_policy", hasPolicy ? "true" : "false"))
        details.append(
            hasPolicy
                ? "A session policy was passed, which limits the token to the intersection with the user's permissions."
                : "No session policy was passed.")
        let hit = RuleHit(
            severity: context.spec.severity, past: "minted", base: "mint",
            object: "a federation token named \(RuleText.bounded(name))", target: name,
            details: details, facts: facts,
            why:
                "Federation tokens keep working after the access key that minted them is disabled, so they are used to outlast key revocation.",
            mitre: ["T1550", "T1078"])
        signals.append(hit.signal(for: event))
    }
}
