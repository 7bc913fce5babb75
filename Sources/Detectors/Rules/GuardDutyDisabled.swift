import Config
import Detection
import EventModel

/// Built-in detector `evasion.guardduty_disabled`; `explanation` says what it detects and why (it is the
/// `detectors explain` text, written once).
public final class GuardDutyDisabled: BuiltInDetector {
    /// Detector id.
    public static let id = "evasion.guardduty_disabled"
    /// One line for `detectors list` and the docs table.
    public static let summary = "GuardDuty deleted, disabled, disconnected or blinded by a trusted IP list"
    /// Severity when the YAML does not set one.
    public static let defaultSeverity = Severity.critical
    /// Every MITRE ATT&CK technique its findings may carry.
    public static let mitre = ["T1562.001"]
    /// What it is built on.
    public static let kind = DetectorKind.rule
    /// What it detects and why: the text of `trailhound detectors explain`.
    public static let explanation = """
        Detects GuardDuty being disabled or blinded: `DeleteDetector`, `UpdateDetector`
        with `enable: false`, a member account leaving its GuardDuty administrator
        (`DisassociateFromMasterAccount`, `DisassociateFromAdministratorAccount`),
        `DeletePublishingDestination` (findings no longer exported), and trusted IP
        lists (`CreateIPSet`, `UpdateIPSet`) or protection plans turned off
        (`UpdateDetector` with `features` / `dataSources` disabled).

        Why it matters: GuardDuty is often the only thing watching a workload's
        credentials being used from odd places. An attacker disables the detector,
        cuts it from the administrator account that the security team watches, or
        adds their own addresses to a trusted IP list, whose traffic GuardDuty then
        never reports.

        Severity: deleting or disabling the detector, leaving the administrator and
        deleting the publishing destination get the detector's severity; trusted IP
        lists get `ip_list_severity` and disabled protection plans
        `feature_disable_severity` (both capped at the detector's severity).

        False positives: account decommissioning, moving GuardDuty administration to
        another account, security teams maintaining trusted IP lists for scanners.
        Allow-list those roles with `identity:`; the allow-list resource is the
        detector id (or the IP list name for IP lists).

        MITRE ATT&CK: T1562.001 (Impair Defenses: Disable or Modify Tools).
        """

    /// Settings read from the `settings:` mapping.
    public struct Configuration: Sendable {
        /// Severity of `CreateIPSet` / `UpdateIPSet` (`ip_list_severity`); capped at
        /// the detector's severity.
        public var ipListSeverity: Severity = .medium
        /// Severity of `UpdateDetector` calls that disable protection plans
        /// (`feature_disable_severity`); capped at the detector's severity.
        public var featureDisableSeverity: Severity = .medium

        /// Defaults.
        public init() {}

        /// Reads the settings, reporting problems to the reader.
        public init(reading r: ConfigReader) {
            ipListSeverity = r.severity("ip_list_severity", default: ipListSeverity)
            featureDisableSeverity = r.severity("feature_disable_severity", default: featureDisableSeverity)
        }
    }

    /// GuardDuty's delete, disable, disassociate and IP-list calls.
    public let interest: Interest = .operations([
        "DeleteDetector", "UpdateDetector", "DisassociateFromMasterAccount", "DisassociateFromAdministratorAccount",
        "DeletePublishingDestination", "CreateIPSet", "UpdateIPSet",
    ])
    /// Effective settings.
    public let configuration: Configuration

    /// Builds the detector from its `settings:` mapping (problems go to the reader).
    public convenience init(settings: ConfigReader) { self.init(configuration: Configuration(reading: settings)) }

    /// Creates the detector.
    public init(configuration: Configuration = .init()) { self.configuration = configuration }

    /// Raises a signal for calls that disable or blind GuardDuty.
    public func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
        guard event.action.service == "guardduty" else { return }
        let detector = event.ruleRequest("detectorId") ?? event.resources(of: .detector).first?.id ?? "unknown"
        let d = RuleText.bounded(detector)
        let full = context.spec.severity
        var hit: RuleHit?
        switch event.action.operation {
        case "DeleteDetector":
            hit = simple(
                full, "deleted", "delete", "GuardDuty detector \(d)", detector,
                "No GuardDuty findings are produced in this account and region any more.")
        case "UpdateDetector":
            hit = updateDetector(event, detector: detector, full: full)
        case "DisassociateFromMasterAccount", "DisassociateFromAdministratorAccount":
            hit = simple(
                full, "disconnected", "disconnect", "GuardDuty detector \(d) from its administrator account", detector,
                "The administrator account, usually watched by the security team, no longer receives this account's findings."
            )
        case "DeletePublishingDestination":
            var h = simple(
                full, "deleted", "delete", "the publishing destination of GuardDuty detector \(d)", detector,
                "GuardDuty findings are no longer exported to the destination (often the SIEM's bucket).")
            if let dest = event.ruleRequest("destinationId") {
                h.facts.append(Fact("destination_id", RuleText.bounded(dest)))
            }
            hit = h
        case "CreateIPSet", "UpdateIPSet":
            hit = ipSet(event, detector: detector, severity: min(full, configuration.ipListSeverity))
        default:
            hit = nil
        }
        if let hit { signals.append(hit.signal(for: event)) }
    }

    private func simple(
        _ severity: Severity, _ past: String, _ base: String, _ object: String, _ target: String, _ why: String
    ) -> RuleHit {
        RuleHit(severity: severity, past: past, base: base, object: object, target: target, why: why, mitre: Self.mitre)
    }

    private func updateDetector(_ event: Event, detector: String, full: Severity) -> RuleHit? {
        let d = RuleText.bounded(detector)
        if RuleValue.isFalse(event.ruleRequest("enable")) {
            var h = simple(
                full, "disabled", "disable", "GuardDuty detector \(d)", detector,
                "A disabled detector produces no findings until it is enabled again.")
            h.details = ["The request sets enable: false."]
            h.facts = [Fact("change", "detector_disabled")]
            return h
        }
        let off = Self.disabledFeatures(event)
        guard !off.isEmpty else { return nil }
        var h = simple(
            min(full, configuration.featureDisableSeverity), "turned off", "turn off",
            "GuardDuty protection plans on detector \(d)", detector,
            "Threats in the areas these plans cover are no longer reported.")
        h.details = ["The request disables \(RuleText.list(off))."]
        h.facts = [Fact("change", "features_disabled"), Fact("features", RuleText.bounded(off.joined(separator: ",")))]
        return h
    }

    /// Protection plans disabled by `features` (`status: DISABLED`) or the older
    /// `dataSources` (`enable: false` at any depth), as names or dotted paths.
    static func disabledFeatures(_ event: Event) -> [String] {
        var out: [String] = []
        if let text = event.ruleRequest("features"), let list = RuleJSON.parse(text) as? [Any] {
            for case let f as [String: Any] in list where (f["status"] as? String)?.uppercased() == "DISABLED" {
                out.append(f["name"] as? String ?? "unnamed feature")
            }
        }
        if let text = event.ruleRequest("dataSources"), let root = RuleJSON.parse(text) as? [String: Any] {
            collectDisabled(root, path: "dataSources", into: &out)
        }
        return out
    }

    private static func collectDisabled(_ obj: [String: Any], path: String, into out: inout [String]) {
        for (k, v) in obj.sorted(by: { $0.key < $1.key }) {
            if k == "enable", RuleJSON.bool(v) == false { out.append(path) }
            if let child = v as? [String: Any], out.count < 20 {
                collectDisabled(child, path: path + "." + k, into: &out)
            }
        }
    }

    private func ipSet(_ event: Event, detector: String, severity: Severity) -> RuleHit {
        let name = event.ruleRequest("name") ?? event.ruleRequest("ipSetId") ?? "unknown"
        var details: [String] = []
        var facts = [Fact("detector_id", RuleText.bounded(detector))]
        if let location = event.ruleRequest("location") {
            details.append("The list is read from \(RuleText.bounded(location)).")
            facts.append(Fact("location", RuleText.bounded(location)))
        }
        if let activate = RuleValue.unquoted(event.ruleRequest("activate")) {
            facts.append(Fact("activate", RuleText.bounded(activate, 10)))
        }
        let created = event.action.operation == "CreateIPSet"
        return RuleHit(
            severity: severity, past: created ? "created" : "changed", base: created ? "create" : "change",
            object: "GuardDuty trusted IP list \(RuleText.bounded(name)) on detector \(RuleText.bounded(detector))",
            target: name, details: details, facts: facts,
            why: "GuardDuty raises no findings for traffic from addresses on a trusted IP list.",
            mitre: Self.mitre)
    }
}
