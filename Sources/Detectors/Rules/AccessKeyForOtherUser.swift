import Config
import Detection
import EventModel

/// Built-in detector `persistence.access_key_for_other_user`; `explanation` says what it detects and why (it is the
/// `detectors explain` text, written once).
public final class AccessKeyForOtherUser: BuiltInDetector {
    /// Detector id.
    public static let id = "persistence.access_key_for_other_user"
    /// One line for `detectors list` and the docs table.
    public static let summary = "Access key created for another IAM user"
    /// Severity when the YAML does not set one.
    public static let defaultSeverity = Severity.high
    /// Every MITRE ATT&CK technique its findings may carry.
    public static let mitre = ["T1098.001"]
    /// What it is built on.
    public static let kind = DetectorKind.rule
    /// What it detects and why: the text of `trailhound detectors explain`.
    public static let explanation = """
        Detects an access key being created for another IAM user
        (`iam:CreateAccessKey` with a `userName` that is not the caller's own).

        Why it matters: a new access key for an existing user gives an attacker
        long-lived credentials under an identity the defenders already trust, and the
        key keeps working after the compromised session or key that created it is
        revoked. IAM users rotating their own key are not findings; any assumed role,
        federated session or root creating a key for a user is, because workloads
        have no reason to mint keys for people or service users.

        The key and allow-list resource is the target user's name. The new key's id
        is reported when the response carries it.

        False positives: key-rotation automation and identity provisioning roles.
        Allow-list them with `identity:`.

        MITRE ATT&CK: T1098.001 (Account Manipulation: Additional Cloud Credentials).
        """

    /// Settings read from the `settings:` mapping (this detector has none).
    public struct Configuration: Sendable {
        /// Defaults.
        public init() {}
        /// Reads the settings, reporting problems to the reader.
        public init(reading r: ConfigReader) {}
    }

    /// `CreateAccessKey`.
    public let interest: Interest = .operations(["CreateAccessKey"])
    /// Effective settings.
    public let configuration: Configuration

    /// Builds the detector from its `settings:` mapping (problems go to the reader).
    public convenience init(settings: ConfigReader) { self.init(configuration: Configuration(reading: settings)) }

    /// Creates the detector.
    public init(configuration: Configuration = .init()) { self.configuration = configuration }

    /// Raises a signal when the key is for a user other than the caller.
    public func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
        guard event.action.service == "iam", event.action.operation == "CreateAccessKey",
            let user = event.ruleRequest("userName")
        else { return }
        if let own = RuleValue.ownUserName(event.identity), own == user { return }
        var facts = [Fact("target_user", RuleText.bounded(user))]
        var details: [String] = []
        if let key = Self.newKeyId(event) {
            facts.append(Fact("new_access_key_id", key))
            details.append("The new key is \(key).")
        }
        let hit = RuleHit(
            severity: context.spec.severity, past: "created", base: "create",
            object: "an access key for IAM user \(RuleText.bounded(user))", target: user,
            details: details, facts: facts,
            why:
                "An access key for another user is a long-lived credential that survives revoking the identity that created it.",
            mitre: ["T1098.001"])
        signals.append(hit.signal(for: event))
    }

    /// The `AKIA…` id in `responseElements.accessKey` (raw JSON) or
    /// `responseElements.accessKey.accessKeyId`, when logged.
    static func newKeyId(_ event: Event) -> String? {
        for text in [event.ruleResponse("accessKey.accessKeyId"), event.ruleResponse("accessKey")].compactMap({ $0 }) {
            guard let r = text.firstRange(of: "AKIA") else { continue }
            let id = text[r.lowerBound...].prefix { $0.isASCII && ($0.isLetter || $0.isNumber) }
            if id.count >= 16 && id.count <= 128 { return String(id) }
        }
        return nil
    }
}
