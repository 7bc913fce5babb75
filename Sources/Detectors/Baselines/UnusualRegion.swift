import Baselines
import Config
import Detection
import EventModel

/// Built-in detector `identity.unusual_region`; `explanation` says what it detects and why (it is the
/// `detectors explain` text, written once).
public final class UnusualRegion: BuiltInDetector {
    /// Detector id.
    public static let id = "identity.unusual_region"
    /// One line for `detectors list` and the docs table.
    public static let summary = "Activity in a region neither the identity nor its account used"
    /// Severity when the YAML does not set one.
    public static let defaultSeverity = Severity.medium
    /// Every MITRE ATT&CK technique its findings may carry.
    public static let mitre = ["T1496", "T1535"]
    /// What it is built on.
    public static let kind = DetectorKind.baseline
    /// What it detects and why: the text of `trailhound detectors explain`.
    public static let explanation = """
        Activity in a region that neither this identity nor its account ever used (attackers hide miners and \
        resources in unwatched regions). New to the identity but known to the account: quiet. Launching compute \
        there (RunInstances, spot, Lambda, ...): one step higher; read-only calls: low. Quiet while the account \
        is learning. MITRE: T1535, T1496.
        """

    /// Settings (`settings:` in `detectors/identity.unusual_region.yaml`).
    public struct Configuration: Sendable {
        /// Operations (globs) reported one step above the configured severity.
        public var highRiskOperations: [String] = [
            "RunInstances", "RequestSpotInstances", "RequestSpotFleet", "CreateFleet", "CreateFunction*",
            "CreateCluster", "CreateNodegroup", "CreateComputeEnvironment", "ImportKeyPair", "CreateKeyPair",
        ]
        /// Regions never reported (e.g. a global endpoint region).
        public var ignoreRegions: [String] = []

        /// Defaults.
        public init() {}

        /// Reads `settings:`.
        public init(reading r: ConfigReader) {
            let d = Configuration()
            highRiskOperations = r.strings("high_risk_operations", default: d.highRiskOperations)
            ignoreRegions = r.strings("ignore_regions", default: d.ignoreRegions)
        }
    }

    /// Every event.
    public let interest = Interest.all
    /// Effective settings.
    public let configuration: Configuration
    private let highRisk: [Glob]
    private let ignored: Set<String>

    /// Builds the detector from its `settings:` mapping (problems go to the reader).
    public convenience init(settings: ConfigReader) { self.init(configuration: Configuration(reading: settings)) }

    /// Creates the detector.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.highRisk = configuration.highRiskOperations.map(Glob.init)
        self.ignored = Set(configuration.ignoreRegions)
    }

    /// Looks at one event.
    public func evaluate(_ e: Event, context: DetectionContext, into signals: inout [Signal]) {
        let region = e.region
        guard !region.isEmpty, !e.identity.key.isEmpty else { return }
        let now = e.time
        let p = context.baselines.profile(e.identity.key)
        if let p, p.region(region, now: now) != nil { return }
        guard let a = context.baselines.account(e.account), !a.isLearning(now: now), a.region(region, now: now) == nil,
            !ignored.contains(region)
        else { return }
        let who = BaselineWords.who(e)
        let op = e.action.operation
        let risky = highRisk.contains { $0.matches(op) }
        let severity: Severity =
            risky
            ? context.spec.severity.raised
            : (e.action.isReadOnly ? min(context.spec.severity, .low) : context.spec.severity)
        let accountRegions = a.regions.sortedByCount().filter {
            $0.stat.lastSeen >= now - context.baselines.configuration.forgetAfter
        }
        .map { "\(context.baselines.regionName($0.key)) ×\(BaselineText.count($0.stat.count))" }
        let mine = p.map { p in p.live(p.regions, now: now).map { context.baselines.regionName($0.key) } } ?? []
        var text =
            "\(who) called \(e.action.key) in \(BaselineWords.clip(region, 40)), a region no identity of account "
            + "\(e.account) used in \(BaselineText.days(Double(now - a.firstSeen) / 86_400_000)) of baseline "
            + "(\(BaselineText.count(a.events)) events; regions in use: \(BaselineText.list(accountRegions)))"
        if let p { text += "; \(who) itself used \(BaselineText.list(mine)) in \(BaselineWords.span(p, now))" }
        text += risky ? ". Launching resources in an unused region is how miners and backdoors are hidden." : "."
        var facts = [
            Fact("observed_region", BaselineWords.clip(region, 40)), Fact("operation", e.action.key),
            Fact("account_regions", accountRegions.joined(separator: ", ")),
            Fact("identity_regions", mine.joined(separator: ", ")),
            Fact("account_baseline_days", BaselineText.decimal(Double(now - a.firstSeen) / 86_400_000)),
            Fact("high_risk_operation", risky ? "true" : "false"),
        ]
        if let p { facts += BaselineWords.facts(p, now) }
        signals.append(
            Signal(
                severity: severity, title: "\(who) active in unused region \(BaselineWords.clip(region, 40))",
                explanation: text, facts: facts, mitre: risky ? ["T1535", "T1496"] : ["T1535"],
                key: BaselineWords.clip(region, 40), failedAttempt: !e.outcome.isSuccess,
                resource: BaselineWords.clip(region, 40)))
    }
}
