import Config
import Detection
import EventModel

/// Built-in detector `persistence.login_profile`; `explanation` says what it detects and why (it is the
/// `detectors explain` text, written once).
public final class LoginProfile: BuiltInDetector {
    /// Detector id.
    public static let id = "persistence.login_profile"
    /// One line for `detectors list` and the docs table.
    public static let summary = "Console password created or reset for an IAM user"
    /// Severity when the YAML does not set one.
    public static let defaultSeverity = Severity.high
    /// Every MITRE ATT&CK technique its findings may carry.
    public static let mitre = ["T1098"]
    /// What it is built on.
    public static let kind = DetectorKind.rule
    /// What it detects and why: the text of `trailhound detectors explain`.
    public static let explanation = """
        Detects a console password being set for an IAM user: `iam:CreateLoginProfile`
        and `iam:UpdateLoginProfile`.

        Why it matters: giving a user a console password (or resetting it) opens
        interactive console access that the attacker controls, under a name the
        defenders already trust, and it survives the revocation of the keys or
        session used to set it. Workload identities never need to do this.

        Severity: setting the password of another user gets the detector's
        severity; an IAM user setting their own (or a call without `userName`, which
        applies to the caller) gets `own_user_severity`, capped at the detector's
        severity. Assumed roles, federated sessions and root always act on another
        user.

        The key and allow-list resource is the target user's name.

        False positives: help-desk and identity provisioning roles resetting
        passwords. Allow-list them with `identity:`.

        MITRE ATT&CK: T1098 (Account Manipulation).
        """

    /// Settings read from the `settings:` mapping.
    public struct Configuration: Sendable {
        /// Severity when an IAM user sets their own console password
        /// (`own_user_severity`); capped at the detector's severity.
        public var ownUserSeverity: Severity = .medium

        /// Defaults.
        public init() {}

        /// Reads the settings, reporting problems to the reader.
        public init(reading r: ConfigReader) {
            ownUserSeverity = r.severity("own_user_severity", default: ownUserSeverity)
        }
    }

    /// `CreateLoginProfile`, `UpdateLoginProfile`.
    public let interest: Interest = .operations(["CreateLoginProfile", "UpdateLoginProfile"])
    /// Effective settings.
    public let configuration: Configuration

    /// Builds the detector from its `settings:` mapping (problems go to the reader).
    public convenience init(settings: ConfigReader) { self.init(configuration: Configuration(reading: settings)) }

    /// Creates the detector.
    public init(configuration: Configuration = .init()) { self.configuration = configuration }

    /// Raises a signal for every password set or reset.
    public func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
        guard event.action.service == "iam" else { return }
        let created: Bool
        switch event.action.operation {
        case "CreateLoginProfile": created = true
        case "UpdateLoginProfile": created = false
        default: return
        }
        let own = RuleValue.ownUserName(event.identity)
        let user = event.ruleRequest("userName") ?? own ?? "unknown"
        let isOwn = own != nil && own == user
        var facts = [Fact("target_user", RuleText.bounded(user)), Fact("own_user", isOwn ? "true" : "false")]
        var details = [
            isOwn ? "The user set their own password." : "The password belongs to another user than the caller."
        ]
        if let reset = RuleValue.unquoted(event.ruleRequest("passwordResetRequired")) {
            facts.append(Fact("password_reset_required", RuleText.bounded(reset, 10)))
            if RuleValue.isFalse(reset) { details.append("No password change is required at the next sign-in.") }
        }
        let hit = RuleHit(
            severity: isOwn ? min(context.spec.severity, configuration.ownUserSeverity) : context.spec.severity,
            past: created ? "created" : "reset", base: created ? "create" : "reset",
            object: "the console password of IAM user \(RuleText.bounded(user))", target: user,
            details: details, facts: facts,
            why: "A console password gives interactive access that outlives the credentials used to set it.",
            mitre: ["T1098"])
        signals.append(hit.signal(for: event))
    }
}
