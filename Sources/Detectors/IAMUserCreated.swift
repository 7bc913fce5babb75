import Detection
import EventModel

/// Detects a new IAM user being created (`iam:CreateUser`).
///
/// Why it matters: a workload identity (an instance profile, a CI role, a Lambda
/// role) has no business creating IAM users. An attacker holding its credentials
/// creates a user to get long-lived access keys or a console password that
/// survive the rotation or revocation of the stolen session.
///
/// The key and allow-list resource is the new user's name.
///
/// False positives: identity provisioning and infrastructure-as-code roles that
/// manage IAM users, and administrators onboarding people. Allow-list those roles
/// with `identity:` (and `user_agent_family: terraform` or `cloudformation`), and
/// service users with `resource:` patterns (`svc-*`).
///
/// MITRE ATT&CK: T1136.003 (Create Account: Cloud Account).
public final class IAMUserCreated: Detector {
    /// Detector id.
    public static let id = "persistence.iam_user_created"
    /// Text of `trailhound detectors explain` (same as this type's doc comment).
    public static let explanation = """
        Detects a new IAM user being created (`iam:CreateUser`).

        Why it matters: a workload identity (an instance profile, a CI role, a Lambda
        role) has no business creating IAM users. An attacker holding its credentials
        creates a user to get long-lived access keys or a console password that
        survive the rotation or revocation of the stolen session.

        The key and allow-list resource is the new user's name.

        False positives: identity provisioning and infrastructure-as-code roles that
        manage IAM users, and administrators onboarding people. Allow-list those roles
        with `identity:` (and `user_agent_family: terraform` or `cloudformation`), and
        service users with `resource:` patterns (`svc-*`).

        MITRE ATT&CK: T1136.003 (Create Account: Cloud Account).
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
    /// `CreateUser`.
    public let interest: Interest = .operations(["CreateUser"])
    /// Effective settings.
    public let configuration: Configuration

    /// Creates the detector.
    public init(configuration: Configuration = .init()) { self.configuration = configuration }

    /// Raises a signal for every `CreateUser` call.
    public func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
        guard event.action.service == "iam", event.action.operation == "CreateUser" else { return }
        let user = event.ruleRequest("userName") ?? event.resources(of: .user).first?.id ?? "unknown"
        var details: [String] = []
        var facts = [Fact("new_user", RuleText.bounded(user))]
        if let path = event.ruleRequest("path"), path != "/" {
            details.append("The user was created under path \(RuleText.bounded(path, 120)).")
            facts.append(Fact("path", RuleText.bounded(path, 120)))
        }
        let hit = RuleHit(
            severity: context.spec.severity, past: "created", base: "create",
            object: "IAM user \(RuleText.bounded(user))", target: user, details: details, facts: facts,
            why:
                "A new user can be given access keys or a console password that outlive the credentials used to create it.",
            mitre: ["T1136.003"])
        signals.append(hit.signal(for: event))
    }
}
