import Config
import Detection
import EventModel

/// Built-in detector `evasion.cloudtrail_tampering`; `explanation` says what it detects and why (it is the
/// `detectors explain` text, written once).
public final class CloudTrailTampering: BuiltInDetector {
    /// Detector id.
    public static let id = "evasion.cloudtrail_tampering"
    /// One line for `detectors list` and the docs table.
    public static let summary = "CloudTrail stopped, deleted, or narrowed to log less"
    /// Severity when the YAML does not set one.
    public static let defaultSeverity = Severity.critical
    /// Every MITRE ATT&CK technique its findings may carry.
    public static let mitre = ["T1562.008"]
    /// What it is built on.
    public static let kind = DetectorKind.rule
    /// What it detects and why: the text of `trailhound detectors explain`.
    public static let explanation = """
        Detects CloudTrail being switched off or narrowed: `StopLogging`, `DeleteTrail`,
        and `UpdateTrail`, `PutEventSelectors` or `PutInsightSelectors` calls that drop or
        reduce what a trail records.

        Why it matters: an attacker holding a workload's credentials turns the audit
        trail off first, so that everything done next leaves no record. Stopping or
        deleting a trail, or dropping management events from it, is almost never part
        of normal operations.

        Severity: `StopLogging`, `DeleteTrail`, and event selectors that no longer log
        management write events (no selector includes management events, or only
        `ReadOnly` ones) get the detector's severity. Changes that narrow logging get
        `narrowing_severity` (capped at the detector's severity): event selectors that
        keep only write events or exclude event sources (`excludeManagementEventSources`,
        advanced selectors filtering on another field such as `eventSource`);
        `UpdateTrail` with `isMultiRegionTrail: false`, `includeGlobalServiceEvents:
        false`, `enableLogFileValidation: false`, an empty `cloudWatchLogsLogGroupArn`,
        or an `s3BucketName` (log delivery redirected; `flag_bucket_change`);
        `PutInsightSelectors` with an empty list (`flag_insights_disabled`). Selector
        changes that keep full management logging are not findings.

        False positives: infrastructure-as-code applying a trail's whole configuration
        on every run (Terraform sends `isMultiRegionTrail: false` for single-region
        trails and always sends `s3BucketName`); cost-driven selector changes.
        Allow-list the deployment role with `identity:` and, if needed, the trail with
        `resource:` (the trail name or ARN as logged).

        MITRE ATT&CK: T1562.008 (Impair Defenses: Disable or Modify Cloud Logs).
        """

    /// Settings read from the `settings:` mapping.
    public struct Configuration: Sendable {
        /// Severity of changes that narrow what a trail logs without stopping it
        /// (`narrowing_severity`); capped at the detector's severity.
        public var narrowingSeverity: Severity = .high
        /// Whether an `UpdateTrail` that sets `s3BucketName` counts as narrowing,
        /// because it redirects log delivery (`flag_bucket_change`).
        public var flagBucketChange = true
        /// Whether `PutInsightSelectors` with an empty list (Insights turned off)
        /// counts as narrowing (`flag_insights_disabled`).
        public var flagInsightsDisabled = true

        /// Defaults.
        public init() {}

        /// Reads the settings, reporting problems to the reader.
        public init(reading r: ConfigReader) {
            narrowingSeverity = r.severity("narrowing_severity", default: narrowingSeverity)
            flagBucketChange = r.bool("flag_bucket_change", default: flagBucketChange)
            flagInsightsDisabled = r.bool("flag_insights_disabled", default: flagInsightsDisabled)
        }
    }

    /// CloudTrail's stop, delete and configuration calls.
    public let interest: Interest = .operations([
        "StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors", "PutInsightSelectors",
    ])
    /// Effective settings.
    public let configuration: Configuration

    /// Builds the detector from its `settings:` mapping (problems go to the reader).
    public convenience init(settings: ConfigReader) { self.init(configuration: Configuration(reading: settings)) }

    /// Creates the detector.
    public init(configuration: Configuration = .init()) { self.configuration = configuration }

    /// Raises a signal for a stop, a delete or a narrowing change.
    public func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
        guard event.action.service == "cloudtrail" else { return }
        let trail = Self.trailName(event)
        let full = context.spec.severity
        let narrow = min(full, configuration.narrowingSeverity)
        let object = "CloudTrail logging on trail \(RuleText.bounded(trail))"
        var hit: RuleHit?
        switch event.action.operation {
        case "StopLogging":
            hit = RuleHit(
                severity: full, past: "stopped", base: "stop", object: object, target: trail,
                why:
                    "Logging stays off until someone calls StartLogging: nothing done next in this trail's scope is recorded.",
                mitre: Self.mitre)
        case "DeleteTrail":
            hit = RuleHit(
                severity: full, past: "deleted", base: "delete", object: "trail \(RuleText.bounded(trail))",
                target: trail,
                why:
                    "A deleted trail records nothing more, and its configuration must be rebuilt to restore visibility.",
                mitre: Self.mitre)
        case "UpdateTrail":
            hit = updateTrail(event, trail: trail, object: object, severity: narrow)
        case "PutEventSelectors":
            hit = eventSelectors(event, trail: trail, object: object, full: full, narrow: narrow)
        case "PutInsightSelectors":
            hit = insightSelectors(event, trail: trail, severity: narrow)
        default:
            hit = nil
        }
        if let hit { signals.append(hit.signal(for: event)) }
    }

    /// Trail name or ARN as logged, else the trail resource, else `unknown`.
    static func trailName(_ event: Event) -> String {
        event.ruleRequest(anyOf: ["name", "trailName"]) ?? event.resources(of: .trail).first?.id ?? "unknown"
    }

    private func updateTrail(_ event: Event, trail: String, object: String, severity: Severity) -> RuleHit? {
        var reasons: [String] = []
        var changes: [String] = []
        if RuleValue.isFalse(event.ruleRequest("isMultiRegionTrail")) {
            reasons.append("makes the trail single-region (isMultiRegionTrail: false)")
            changes.append("multi_region_off")
        }
        if RuleValue.isFalse(event.ruleRequest("includeGlobalServiceEvents")) {
            reasons.append(
                "stops logging global service events such as IAM and STS (includeGlobalServiceEvents: false)")
            changes.append("global_events_off")
        }
        if RuleValue.isFalse(event.ruleRequest("enableLogFileValidation")) {
            reasons.append("turns off log file integrity validation (enableLogFileValidation: false)")
            changes.append("log_validation_off")
        }
        if let cw = event.parameters["requestParameters.cloudWatchLogsLogGroupArn"],
            RuleValue.unquoted(cw)?.isEmpty == true
        {
            reasons.append("removes delivery to CloudWatch Logs (empty cloudWatchLogsLogGroupArn)")
            changes.append("cloudwatch_delivery_removed")
        }
        var facts: [Fact] = []
        if configuration.flagBucketChange, let bucket = event.ruleRequest("s3BucketName") {
            reasons.append("sends the logs to bucket \(RuleText.bounded(bucket)) (s3BucketName)")
            changes.append("bucket_changed")
            facts.append(Fact("s3_bucket", RuleText.bounded(bucket)))
        }
        guard !reasons.isEmpty else { return nil }
        facts.insert(Fact("change", changes.joined(separator: ",")), at: 0)
        return RuleHit(
            severity: severity, past: "narrowed", base: "narrow", object: object, target: trail,
            details: ["The request \(RuleText.list(reasons))."], facts: facts,
            why: "Each of these changes removes events or evidence that investigations of this account rely on.",
            mitre: Self.mitre)
    }

    private func eventSelectors(
        _ event: Event, trail: String, object: String, full: Severity, narrow: Severity
    ) -> RuleHit? {
        let coverage: TrailSelectors.Coverage?
        if let advanced = event.ruleRequest("advancedEventSelectors") {
            coverage = TrailSelectors.advanced(advanced)
        } else if let basic = event.ruleRequest("eventSelectors") {
            coverage = TrailSelectors.basic(basic)
        } else {
            coverage = nil
        }
        guard let coverage, coverage.severityClass != .full else { return nil }
        let dropped = coverage.severityClass == .writesDropped
        return RuleHit(
            severity: dropped ? full : narrow,
            past: dropped ? "dropped management write events from" : "narrowed",
            base: dropped ? "drop management write events from" : "narrow",
            object: object, target: trail,
            details: ["With the new event selectors \(RuleText.list(coverage.reasons))."],
            facts: [Fact("change", dropped ? "management_writes_dropped" : "management_events_narrowed")],
            why: dropped
                ? "Without management write events the trail no longer shows who changes IAM, networks or data stores: in effect logging is off for an attacker's changes."
                : "Management events that are no longer logged cannot be investigated later.",
            mitre: Self.mitre)
    }

    private func insightSelectors(_ event: Event, trail: String, severity: Severity) -> RuleHit? {
        guard configuration.flagInsightsDisabled, let text = event.ruleRequest("insightSelectors"),
            let list = RuleJSON.parse(text) as? [Any], list.isEmpty
        else { return nil }
        return RuleHit(
            severity: severity, past: "turned off", base: "turn off",
            object: "CloudTrail Insights on trail \(RuleText.bounded(trail))", target: trail,
            details: ["The request sets an empty list of insight selectors."],
            facts: [Fact("change", "insights_off")],
            why:
                "Insights flags unusual API call volumes and error rates, which is how bursts of attacker activity are often noticed.",
            mitre: Self.mitre)
    }
}
