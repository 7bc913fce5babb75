import Config
import Detection
import EventModel

/// Built-in detector `persistence.roles_anywhere`; `explanation` says what it detects and why (it is the
/// `detectors explain` text, written once).
public final class RolesAnywhere: BuiltInDetector {
    /// Detector id.
    public static let id = "persistence.roles_anywhere"
    /// One line for `detectors list` and the docs table.
    public static let summary = "IAM Roles Anywhere trust anchor or profile created or changed"
    /// Severity when the YAML does not set one.
    public static let defaultSeverity = Severity.high
    /// Every MITRE ATT&CK technique its findings may carry.
    public static let mitre = ["T1098"]
    /// What it is built on.
    public static let kind = DetectorKind.rule
    /// What it detects and why: the text of `trailhound detectors explain`.
    public static let explanation = """
        Detects IAM Roles Anywhere being set up or changed: `CreateTrustAnchor`,
        `UpdateTrustAnchor` and `CreateProfile`.

        Why it matters: a Roles Anywhere trust anchor makes the account trust a
        certificate authority, and a profile names the roles that certificates from
        it may assume. An attacker who registers their own CA (`CERTIFICATE_BUNDLE`)
        and a profile for a privileged role can mint role sessions from anywhere with
        certificates they issue themselves, a backdoor that survives the revocation
        of every credential used to build it and that few teams monitor.

        The finding reports the trust anchor's source type (an uploaded
        `CERTIFICATE_BUNDLE` is the attacker's pattern; `AWS_ACM_PCA` is a private CA
        managed in AWS) and the profile's roles. The key and allow-list resource is
        the trust anchor or profile name (or id when no name is logged).

        False positives: teams adopting Roles Anywhere for on-premises workloads
        (rare, change-managed). Allow-list the platform role with `identity:`.

        MITRE ATT&CK: T1098 (Account Manipulation).
        """

    /// Settings read from the `settings:` mapping (this detector has none).
    public struct Configuration: Sendable {
        /// Defaults.
        public init() {}
        /// Reads the settings, reporting problems to the reader.
        public init(reading r: ConfigReader) {}
    }

    /// `CreateTrustAnchor`, `UpdateTrustAnchor`, `CreateProfile`.
    public let interest: Interest = .operations(["CreateTrustAnchor", "UpdateTrustAnchor", "CreateProfile"])
    /// Effective settings.
    public let configuration: Configuration

    /// Builds the detector from its `settings:` mapping (problems go to the reader).
    public convenience init(settings: ConfigReader) { self.init(configuration: Configuration(reading: settings)) }

    /// Creates the detector.
    public init(configuration: Configuration = .init()) { self.configuration = configuration }

    /// Raises a signal for every trust anchor or profile change.
    public func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
        guard event.action.service == "rolesanywhere" else { return }
        let hit: RuleHit
        switch event.action.operation {
        case "CreateTrustAnchor", "UpdateTrustAnchor":
            hit = trustAnchor(event, severity: context.spec.severity)
        case "CreateProfile":
            hit = profile(event, severity: context.spec.severity)
        default:
            return
        }
        signals.append(hit.signal(for: event))
    }

    private func trustAnchor(_ event: Event, severity: Severity) -> RuleHit {
        let name = event.ruleRequest("name") ?? event.ruleRequest("trustAnchorId") ?? "unknown"
        let created = event.action.operation == "CreateTrustAnchor"
        var details: [String] = []
        var facts: [Fact] = []
        let source = event.ruleRequest("source").flatMap { RuleJSON.parse($0) as? [String: Any] }
        if let type = source?["sourceType"] as? String {
            let t = RuleText.bounded(type, 40)
            details.append(
                type == "CERTIFICATE_BUNDLE"
                    ? "The anchor trusts an uploaded certificate bundle (\(t)), a CA outside AWS that whoever uploaded it may control."
                    : "The anchor's source type is \(t).")
            facts.append(Fact("source_type", t))
        }
        return RuleHit(
            severity: severity, past: created ? "created" : "changed", base: created ? "create" : "change",
            object: "IAM Roles Anywhere trust anchor \(RuleText.bounded(name))", target: name,
            details: details, facts: facts,
            why:
                "Certificates issued by a trusted CA can be exchanged for role sessions from anywhere, without any AWS credentials.",
            mitre: ["T1098"])
    }

    private func profile(_ event: Event, severity: Severity) -> RuleHit {
        let name = event.ruleRequest("name") ?? "unknown"
        let roles = event.ruleRequest("roleArns").map { RuleValue.arns(in: $0) } ?? []
        var details: [String] = []
        if !roles.isEmpty { details.append("The profile lets trusted certificates assume \(RuleText.list(roles)).") }
        return RuleHit(
            severity: severity, past: "created", base: "create",
            object: "IAM Roles Anywhere profile \(RuleText.bounded(name))", target: name,
            details: details, facts: [Fact("role_arns", RuleText.bounded(roles.joined(separator: ","), 1000))],
            why: "A profile decides which roles certificates from a trust anchor can assume from outside AWS.",
            mitre: ["T1098"])
    }
}
