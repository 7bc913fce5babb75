import Baselines
import Config
import Detection
import EventModel

/// Built-in detector `identity.new_source`; `explanation` says what it detects and why (it is the
/// `detectors explain` text, written once).
public final class NewSource: BuiltInDetector {
    /// Detector id.
    public static let id = "identity.new_source"
    /// One line for `detectors list` and the docs table.
    public static let summary = "An identity calls from a network (/24, /48) never seen for it"
    /// Severity when the YAML does not set one.
    public static let defaultSeverity = Severity.medium
    /// Every MITRE ATT&CK technique its findings may carry.
    public static let mitre = ["T1078.004"]
    /// What it is built on.
    public static let kind = DetectorKind.baseline
    /// What it detects and why: the text of `trailhound detectors explain`.
    public static let explanation = """
        An identity calls from a source network (IPv4 /24, IPv6 /48) never seen for it. High signal for \
        automation (few networks, one SDK family), low for humans (console/browser, many networks). Calls made \
        by an AWS service on the identity's behalf are ignored; a new address in a known /24 is not new. \
        An identity whose sources churn by design (4 or more networks: Lambda cold starts, hosted CI runners, \
        pods, scale-outs) is judged by network class instead (cloud provider and region from the published \
        ranges in detectors/networks/, or the enclosing private /16): a new /24 inside a class it already uses \
        is not reported, nor is a new region of a provider whose regions it already roams (two or more); a new \
        class is, at the configured severity for a cloud workload with one client. \
        Quiet while the identity is learning. MITRE: T1078.004.
        """

    /// Settings (`settings:` in `detectors/identity.new_source.yaml`).
    public struct Configuration: Sendable {
        /// An identity with at most this many networks and one client user-agent family
        /// (not console/browser) is treated as automation: configured severity; others: low.
        public var automationMaxNetworks = 3
        /// Minimum events in the baseline before a new network is reported.
        public var minBaselineEvents = 20
        /// User-agent families that mark a human (never automation).
        public var humanFamilies: [String] = ["console", "browser"]

        /// Defaults.
        public init() {}

        /// Reads `settings:`.
        public init(reading r: ConfigReader) {
            let d = Configuration()
            automationMaxNetworks = r.int("automation_max_networks", default: d.automationMaxNetworks, in: 1...64)
            minBaselineEvents = r.int("min_baseline_events", default: d.minBaselineEvents, in: 0...1_000_000)
            humanFamilies = r.strings("human_families", default: d.humanFamilies)
            for f in humanFamilies where UserAgentFamily(rawValue: f) == nil {
                r.report("human_families", code: "config.value", "unknown user-agent family '\(f)'")
            }
        }
    }

    /// Every event.
    public let interest = Interest.all
    /// Effective settings.
    public let configuration: Configuration
    private let human: Set<UserAgentFamily>

    /// Builds the detector from its `settings:` mapping (problems go to the reader).
    public convenience init(settings: ConfigReader) { self.init(configuration: Configuration(reading: settings)) }

    /// Creates the detector.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.human = Set(configuration.humanFamilies.compactMap(UserAgentFamily.init(rawValue:)))
    }

    /// Looks at one event.
    public func evaluate(_ e: Event, context: DetectionContext, into signals: inout [Signal]) {
        guard e.source.kind == .ip, !e.source.ips.isEmpty else { return }
        let now = e.time
        guard let p = context.baselines.profile(e.identity.key) else { return }
        var newNet: UInt64? = nil
        var newIP = ""
        for ip in e.source.ips {
            guard let k = NetworkKey.of(ip: ip) else { continue }
            if p.network(k, now: now) != nil { return }
            if newNet == nil {
                newNet = k
                newIP = ip
            }
        }
        guard let net = newNet, !p.isLearning(now: now), p.events >= UInt64(configuration.minBaselineEvents) else {
            return
        }
        var byClass: ClassVerdict? = nil
        if p.churnsNetworks(now: now) {
            let classes = context.baselines.networkClasses
            let c = classes.classKey(ofNetwork: net)
            if let c, p.usesNetworkClass(c, classes, now: now) || p.spansRegions(ofProviderOf: c, classes, now: now) {
                return
            }
            byClass = ClassVerdict(observed: c, known: p.networkClasses(classes, now: now), classes: classes)
        }
        signals.append(signal(e, p, net, newIP, context, byClass))
    }

    /// Why a churning identity's new network is still reported: its class is new.
    struct ClassVerdict {
        /// Class of the new network; nil when outside every published range and not private.
        var observed: UInt64?
        /// The identity's classes (nil = networks outside every class), most used first.
        var known: [(key: UInt64?, networks: Int, events: UInt64)]
        /// The table the classes come from.
        var classes: NetworkClasses

        /// `aws us-east-1` or "outside every published cloud range".
        var observedText: String {
            observed.map { classes.describe(classKey: $0) } ?? "outside every published cloud range"
        }

        /// `aws us-east-1 (12 networks), private 10.244.0.0/16 (3 networks)`.
        var knownText: [String] {
            known.prefix(8).map {
                "\($0.key.map { classes.describe(classKey: $0) } ?? "unclassed") (\($0.networks) network(s))"
            }
        }
    }

    /// A churning identity whose every known network has a class and one non-human client is a
    /// cloud workload: leaving its classes is as telling as a new network for a stable workload.
    func isClassedWorkload(_ p: IdentityProfile, _ e: Event, _ v: ClassVerdict, now: Int64) -> Bool {
        let fams = p.clientFamilies(now: now)
        if fams.count != 1 || human.contains(fams[0].family) || human.contains(e.userAgent.family) { return false }
        return !v.known.isEmpty && v.known.allSatisfy { $0.key != nil }
    }

    /// True when the profile looks like automation rather than a human.
    func isAutomation(_ p: IdentityProfile, _ e: Event, now: Int64) -> Bool {
        let fams = p.clientFamilies(now: now)
        if fams.count != 1 || human.contains(fams[0].family) || human.contains(e.userAgent.family) { return false }
        let nets = p.live(p.networks, now: now).filter { $0.key != NetworkKey.awsService }
        return nets.count <= configuration.automationMaxNetworks && p.networks.overflow == 0
    }

    private func signal(
        _ e: Event, _ p: IdentityProfile, _ net: UInt64, _ ip: String, _ context: DetectionContext,
        _ byClass: ClassVerdict?
    ) -> Signal {
        let now = e.time
        let who = BaselineWords.who(e)
        let automation = byClass.map { isClassedWorkload(p, e, $0, now: now) } ?? isAutomation(p, e, now: now)
        let netText = NetworkKey.describe(net)
        let known = BaselineWords.networks(p, now)
        let count = p.liveCount(p.networks, now: now)
        let fams = p.clientFamilies(now: now).map(\.family.rawValue)
        var text =
            "\(who) called \(e.action.key) from \(BaselineWords.clip(ip, 64)) (\(netText)), a network never seen "
            + "for it in \(BaselineWords.span(p, now)); its \(count) known network(s): \(BaselineText.list(known)). "
        if let v = byClass {
            text +=
                "Its sources churn by design, so it is judged by network class, and this one is new for it: "
                + "\(v.observedText); its classes: \(BaselineText.list(v.knownText)). "
        }
        text +=
            automation
            ? "It behaves like automation (\(count) network(s), one client: \(fams.first ?? "?")), so a new network suggests its credentials are used elsewhere."
            : "It behaves like a human or roaming client (clients: \(BaselineText.list(fams))), so this is low on its own."
        var facts = [
            Fact("observed_ip", BaselineWords.clip(ip, 64)), Fact("observed_network", netText),
            Fact("baseline_networks", known.joined(separator: ", ")), Fact("baseline_network_count", String(count)),
            Fact("profile_kind", automation ? "automation" : "human"),
            Fact("user_agent_family", e.userAgent.family.rawValue),
        ]
        if let v = byClass {
            facts += [
                Fact("judged_by", "network class"), Fact("observed_class", v.observedText),
                Fact("baseline_classes", v.knownText.joined(separator: ", ")),
            ]
        }
        facts += BaselineWords.facts(p, now)
        return Signal(
            severity: automation ? context.spec.severity : min(context.spec.severity, .low),
            title: "\(who) used from a new network \(netText)", explanation: text, facts: facts,
            mitre: ["T1078.004"], key: netText, failedAttempt: !e.outcome.isSuccess, resource: ip)
    }
}
