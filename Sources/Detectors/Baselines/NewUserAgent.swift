import Baselines
import Config
import Detection
import EventModel

/// Built-in detector `identity.new_user_agent`; `explanation` says what it detects and why (it is the
/// `detectors explain` text, written once).
public final class NewUserAgent: BuiltInDetector {
    /// Detector id.
    public static let id = "identity.new_user_agent"
    /// One line for `detectors list` and the docs table.
    public static let summary = "An identity switches to a user-agent family never seen for it"
    /// Severity when the YAML does not set one.
    public static let defaultSeverity = Severity.medium
    /// Every MITRE ATT&CK technique its findings may carry.
    public static let mitre = ["T1078.004"]
    /// What it is built on.
    public static let kind = DetectorKind.baseline
    /// What it detects and why: the text of `trailhound detectors explain`.
    public static let explanation = """
        An identity calls with a user-agent family never seen for it (Boto3 -> python-requests, SDK -> aws-cli, \
        anything -> offensive tool). Version bumps are not findings; aws-internal and empty agents are ignored. \
        Automation switching family: configured severity; humans with many clients: low; offensive tools: one \
        step higher, even while the identity is learning. MITRE: T1078.004.
        """

    /// Settings (`settings:` in `detectors/identity.new_user_agent.yaml`).
    public struct Configuration: Sendable {
        /// Groups of families that count as one, written `a=b=c`.
        public var sameFamily: [String] = ["boto3=botocore", "console=browser"]
        /// Families reported one step above the configured severity, even while learning.
        public var highFamilies: [String] = ["offensive-tool"]
        /// Families never reported (besides `aws-internal` and `empty`, always ignored).
        public var ignoreFamilies: [String] = []
        /// An identity with at most this many client families (none of them console/browser) is automation.
        public var automationMaxFamilies = 2
        /// Minimum events in the baseline before a new family is reported.
        public var minBaselineEvents = 20

        /// Defaults.
        public init() {}

        /// Reads `settings:`.
        public init(reading r: ConfigReader) {
            let d = Configuration()
            sameFamily = r.strings("same_family", default: d.sameFamily)
            highFamilies = r.strings("high_families", default: d.highFamilies)
            ignoreFamilies = r.strings("ignore_families", default: d.ignoreFamilies)
            automationMaxFamilies = r.int("automation_max_families", default: d.automationMaxFamilies, in: 1...16)
            minBaselineEvents = r.int("min_baseline_events", default: d.minBaselineEvents, in: 0...1_000_000)
            let lists = [
                ("same_family", sameFamily.flatMap { $0.split(separator: "=").map(String.init) }),
                ("high_families", highFamilies), ("ignore_families", ignoreFamilies),
            ]
            for (key, names) in lists {
                for f in names where UserAgentFamily(rawValue: f) == nil {
                    r.report(key, code: "config.value", "unknown user-agent family '\(f)'")
                }
            }
        }
    }

    /// Every event.
    public let interest = Interest.all
    /// Effective settings.
    public let configuration: Configuration
    private var group: [UserAgentFamily: [UserAgentFamily]] = [:]
    private let high: Set<UserAgentFamily>
    private let ignored: Set<UserAgentFamily>

    /// Builds the detector from its `settings:` mapping (problems go to the reader).
    public convenience init(settings: ConfigReader) { self.init(configuration: Configuration(reading: settings)) }

    /// Creates the detector.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        for g in configuration.sameFamily {
            let members = g.split(separator: "=").compactMap { UserAgentFamily(rawValue: String($0)) }
            for m in members { group[m, default: [m]] += members.filter { $0 != m } }
        }
        high = Set(configuration.highFamilies.compactMap(UserAgentFamily.init(rawValue:)))
        ignored = Set(configuration.ignoreFamilies.compactMap(UserAgentFamily.init(rawValue:)))
    }

    /// Looks at one event.
    public func evaluate(_ e: Event, context: DetectionContext, into signals: inout [Signal]) {
        let fam = e.userAgent.family
        if fam.isNonClient || e.identity.key.isEmpty { return }
        let now = e.time
        let p = context.baselines.profile(e.identity.key)
        if let p {
            if p.userAgent(fam, now: now) != nil { return }
            if let g = group[fam], g.contains(where: { p.userAgent($0, now: now) != nil }) { return }
        }
        if ignored.contains(fam) { return }
        let isHigh = high.contains(fam)
        if !isHigh {
            guard let p, !p.isLearning(now: now), p.events >= UInt64(configuration.minBaselineEvents),
                !p.clientFamilies(now: now).isEmpty
            else { return }
        }
        signals.append(signal(e, p, isHigh, context))
    }

    private func signal(_ e: Event, _ p: IdentityProfile?, _ isHigh: Bool, _ context: DetectionContext) -> Signal {
        let now = e.time
        let who = BaselineWords.who(e)
        let fam = e.userAgent.family.rawValue
        let version = e.userAgent.version.isEmpty ? "" : " \(BaselineWords.clip(e.userAgent.version, 32))"
        let known = p?.clientFamilies(now: now) ?? []
        let knownText = known.map { k in
            "\(k.family.rawValue)\(k.stat.tag > 0 ? " v\(k.stat.tag - 1)" : "") ×\(BaselineText.count(k.stat.count))"
        }
        let automation =
            !known.isEmpty && known.count <= configuration.automationMaxFamilies
            && !known.contains { $0.family == .console || $0.family == .browser }
        var text =
            "\(who) called \(e.action.key) with \(fam)\(version) "
            + "(\"\(BaselineWords.clip(e.userAgent.raw, 100))\"), a client family never seen for it"
        if let p { text += " in \(BaselineWords.span(p, now))" }
        text += "; known clients: \(BaselineText.list(knownText))."
        if isHigh { text += " \(fam) is an offensive or attack tool family." }
        let severity: Severity =
            isHigh
            ? context.spec.severity.raised : (automation ? context.spec.severity : min(context.spec.severity, .low))
        var facts = [
            Fact("observed_user_agent", BaselineWords.clip(e.userAgent.raw, 200)),
            Fact("observed_family", fam), Fact("observed_version", e.userAgent.version),
            Fact("baseline_families", knownText.joined(separator: ", ")),
            Fact("profile_kind", automation ? "automation" : "human"),
        ]
        if let p { facts += BaselineWords.facts(p, now) }
        return Signal(
            severity: severity, title: "\(who) used a new client: \(fam)", explanation: text, facts: facts,
            mitre: ["T1078.004"], key: fam, failedAttempt: !e.outcome.isSuccess, resource: fam)
    }
}
