import Config
import Detection
import EventModel

/// Built-in detector `evasion.mfa_device_deactivated`; `explanation` says what it detects and why
/// (it is the `detectors explain` text, written once).
public final class MFADeviceDeactivated: BuiltInDetector {
    /// Detector id.
    public static let id = "evasion.mfa_device_deactivated"
    /// One line for `detectors list` and the docs table.
    public static let summary = "MFA device deactivated or virtual MFA device deleted by a non-root identity"
    /// Severity when the YAML does not set one.
    public static let defaultSeverity = Severity.high
    /// Every MITRE ATT&CK technique its findings may carry.
    public static let mitre = ["T1556.006"]
    /// What it is built on.
    public static let kind = DetectorKind.rule
    /// What it detects and why: the text of `trailhound detectors explain`.
    public static let explanation = """
        Detects an IAM user's MFA device being turned off: `iam:DeactivateMFADevice` and
        `iam:DeleteVirtualMFADevice`, called by anyone but the root user.

        Why it matters: an attacker holding a user's password or keys removes the second factor
        so that the account can be signed into (or its MFA-guarded API calls made) without the
        victim's device, and then enrols a device of their own. Removing another user's MFA is
        rarely routine.

        Severity: removing the MFA of another user gets the detector's severity; an IAM user
        removing their own (or a call that names no user, which applies to the caller) gets
        `own_user_severity`, capped at the detector's severity. The root user is left out: its
        own MFA is managed by the account owner (`identity.root_activity` reports root's calls).

        The key and allow-list resource is the target user's name (from `userName`, else from the
        device's serial number `arn:aws:iam::<account>:mfa/<name>`).

        False positives: help-desk and identity provisioning roles resetting a lost device.
        Allow-list them with `identity:`.

        MITRE ATT&CK: T1556.006 (Modify Authentication Process: Multi-Factor Authentication).
        """

    /// Settings read from the `settings:` mapping.
    public struct Configuration: Sendable {
        /// Severity when an IAM user removes their own MFA device (`own_user_severity`);
        /// capped at the detector's severity.
        public var ownUserSeverity: Severity = .medium

        /// Defaults.
        public init() {}

        /// Reads the settings, reporting problems to the reader.
        public init(reading r: ConfigReader) {
            ownUserSeverity = r.severity("own_user_severity", default: ownUserSeverity)
        }
    }

    /// `DeactivateMFADevice`, `DeleteVirtualMFADevice`.
    public let interest: Interest = .operations(["DeactivateMFADevice", "DeleteVirtualMFADevice"])
    /// Effective settings.
    public let configuration: Configuration

    /// Builds the detector from its `settings:` mapping (problems go to the reader).
    public convenience init(settings: ConfigReader) {
        self.init(configuration: Configuration(reading: settings))
    }

    /// Creates the detector.
    public init(configuration: Configuration = .init()) { self.configuration = configuration }

    /// Raises a signal for every MFA device removed by a non-root identity.
    public func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
        guard event.action.service == "iam", event.identity.type != .root else { return }
        let deleted: Bool
        switch event.action.operation {
        case "DeactivateMFADevice": deleted = false
        case "DeleteVirtualMFADevice": deleted = true
        default: return
        }
        let serial = event.ruleRequest("serialNumber") ?? ""
        let own = RuleValue.ownUserName(event.identity)
        let user = event.ruleRequest("userName") ?? Self.user(ofSerial: serial) ?? own ?? "unknown"
        let isOwn = own != nil && own == user
        var facts = [Fact("target_user", RuleText.bounded(user)), Fact("own_user", isOwn ? "true" : "false")]
        if !serial.isEmpty { facts.append(Fact("serial_number", RuleText.bounded(serial))) }
        let hit = RuleHit(
            severity: isOwn ? min(context.spec.severity, configuration.ownUserSeverity) : context.spec.severity,
            past: deleted ? "deleted" : "deactivated", base: deleted ? "delete" : "deactivate",
            object: "the MFA device of IAM user \(RuleText.bounded(user))", target: user,
            details: [isOwn ? "The user removed their own MFA device." : "The device belongs to another user."],
            facts: facts,
            why: "Without the second factor, a stolen password or key is enough to act as the user.",
            mitre: Self.mitre)
        signals.append(hit.signal(for: event))
    }

    /// The user name of a virtual device's serial number (`arn:aws:iam::1:mfa/alice`, or with a
    /// path `mfa/team/alice`); nil for hardware serials and other text.
    static func user(ofSerial serial: String) -> String? {
        guard let r = serial.range(of: ":mfa/") else { return nil }
        return serial[r.upperBound...].split(separator: "/").last.map(String.init)
    }
}
