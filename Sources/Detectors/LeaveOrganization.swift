import Detection
import EventModel

/// Detects an account leaving its AWS Organization (`organizations:LeaveOrganization`).
///
/// Why it matters: once an account leaves, the organization's service control
/// policies, organization trail, delegated GuardDuty / Security Hub
/// administration and central backups no longer apply to it. An attacker who
/// controls a privileged identity in a member account leaves the organization to
/// escape those guardrails and the central security team's view, then uses the
/// account as their own.
///
/// The key and allow-list resource is the account id.
///
/// False positives: planned account migrations between organizations (rare and
/// change-managed). Allow-list them with `account:` and an `expires:` date.
///
/// MITRE ATT&CK: T1666 (Modify Cloud Resource Hierarchy), T1562 (Impair Defenses).
public final class LeaveOrganization: Detector {
    /// Detector id.
    public static let id = "evasion.leave_organization"
    /// Text of `trailhound detectors explain` (same as this type's doc comment).
    public static let explanation = """
        Detects an account leaving its AWS Organization (`organizations:LeaveOrganization`).

        Why it matters: once an account leaves, the organization's service control
        policies, organization trail, delegated GuardDuty / Security Hub
        administration and central backups no longer apply to it. An attacker who
        controls a privileged identity in a member account leaves the organization to
        escape those guardrails and the central security team's view, then uses the
        account as their own.

        The key and allow-list resource is the account id.

        False positives: planned account migrations between organizations (rare and
        change-managed). Allow-list them with `account:` and an `expires:` date.

        MITRE ATT&CK: T1666 (Modify Cloud Resource Hierarchy), T1562 (Impair Defenses).
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
    /// `LeaveOrganization`.
    public let interest: Interest = .operations(["LeaveOrganization"])
    /// Effective settings.
    public let configuration: Configuration

    /// Creates the detector.
    public init(configuration: Configuration = .init()) { self.configuration = configuration }

    /// Raises a signal for every `LeaveOrganization` call.
    public func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
        guard event.action.service == "organizations", event.action.operation == "LeaveOrganization" else { return }
        let account =
            event.account.isEmpty
            ? (event.identity.accountId.isEmpty ? "unknown" : event.identity.accountId) : event.account
        let hit = RuleHit(
            severity: context.spec.severity, past: "took", base: "take",
            object: "account \(RuleText.bounded(account, 40)) out of its AWS Organization", target: account,
            why:
                "Outside the organization the account escapes its service control policies, organization trail and central security tooling.",
            mitre: ["T1666", "T1562"])
        signals.append(hit.signal(for: event))
    }
}
