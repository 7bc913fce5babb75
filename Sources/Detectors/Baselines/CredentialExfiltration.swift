import Baselines
import Config
import Detection
import EventModel

/// Built-in detector `credentials.exfiltration`; `explanation` says what it detects and why (it is the
/// `detectors explain` text, written once).
public final class CredentialExfiltration: BuiltInDetector {
    /// Detector id.
    public static let id = "credentials.exfiltration"
    /// One line for `detectors list` and the docs table.
    public static let summary = "A session key used outside the workload's networks or from two places"
    /// Severity when the YAML does not set one.
    public static let defaultSeverity = Severity.critical
    /// Every MITRE ATT&CK technique its findings may carry.
    public static let mitre = ["T1078.004", "T1552.005"]
    /// What it is built on.
    public static let kind = DetectorKind.baseline
    /// What it detects and why: the text of `trailhound detectors explain`.
    public static let explanation = """
        A temporary session key (ASIA...) is used from a network outside the workload's baseline networks \
        (instance-profile sessions: GuardDuty's InstanceCredentialExfiltration) after it was first used from \
        another, or from two networks within a few minutes unless the baseline already holds both (a NAT \
        gateway's addresses). Keys are tracked in a bounded LRU map. MITRE: T1552.005, T1078.004.
        """

    /// Settings (`settings:` in `detectors/credentials.exfiltration.yaml`).
    public struct Configuration: Sendable {
        /// Two networks for one key within this time are "at once" (ms).
        public var concurrentWindow: Int64 = 300_000
        /// Apply the outside-the-baseline check to every session key, not only instance-profile sessions.
        public var allSessionsOutsideBaseline = false
        /// Do not pair an IPv4 with an IPv6 network (dual-stack clients switch address family).
        public var ignoreMixedIPVersions = true
        /// Session keys tracked (least recently used dropped).
        public var maxKeys = 50_000
        /// Networks remembered per key.
        public var maxNetworksPerKey = 8

        /// Defaults.
        public init() {}

        /// Reads `settings:`.
        public init(reading r: ConfigReader) {
            let d = Configuration()
            concurrentWindow = r.duration("concurrent_window", default: d.concurrentWindow, in: 1000...86_400_000)
            allSessionsOutsideBaseline = r.bool("all_sessions_outside_baseline", default: d.allSessionsOutsideBaseline)
            ignoreMixedIPVersions = r.bool("ignore_mixed_ip_versions", default: d.ignoreMixedIPVersions)
            maxKeys = r.int("max_keys", default: d.maxKeys, in: 16...10_000_000)
            maxNetworksPerKey = r.int("max_networks_per_key", default: d.maxNetworksPerKey, in: 2...64)
        }
    }

    final class KeyState: RecentState {
        var firstSeen: Int64
        var nets: [(net: UInt64, ip: String, first: Int64, last: Int64)] = []
        var reportedOutside = false
        var reportedConcurrent = false
        init(_ t: Int64) { firstSeen = t }
    }

    /// Every event (session-key calls from an IP).
    public let interest = Interest.all
    /// Effective settings.
    public let configuration: Configuration
    var keys: BoundedStates<KeyState>

    /// Builds the detector from its `settings:` mapping (problems go to the reader).
    public convenience init(settings: ConfigReader) { self.init(configuration: Configuration(reading: settings)) }

    /// Creates the detector.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.keys = BoundedStates(capacity: configuration.maxKeys)
    }

    /// Looks at one event.
    public func evaluate(_ e: Event, context: DetectionContext, into signals: inout [Signal]) {
        guard e.identity.keyKind == .session, e.source.kind == .ip, let ip = e.source.ips.first,
            let net = NetworkKey.of(ip: ip)
        else { return }
        let now = e.time
        let ks = keys.get(Hash64.of(e.identity.accessKeyId), now: now) { KeyState(now) }
        if let i = ks.nets.firstIndex(where: { $0.net == net }) {
            ks.nets[i].last = max(ks.nets[i].last, now)
            ks.nets[i].first = min(ks.nets[i].first, now)
            return
        }
        let other = concurrent(ks, net, now, e, context)
        // A key is tied to the network it was first used from: an instance that replaced another (Auto Scaling)
        // uses its fresh session from its own new address, which is no theft. Only a key already seen elsewhere
        // and now used from outside the role's networks is.
        let outside = ks.nets.isEmpty ? nil : outsideBaseline(e, net, context)
        if ks.nets.count < configuration.maxNetworksPerKey {
            ks.nets.append((net, BaselineWords.clip(ip, 64), now, now))
        }
        let reportOther = other != nil && !ks.reportedConcurrent
        let reportOutside = outside != nil && !ks.reportedOutside
        guard reportOther || reportOutside else { return }
        if reportOther { ks.reportedConcurrent = true }
        if reportOutside { ks.reportedOutside = true }
        signals.append(
            signal(e, ks, net, ip, other: reportOther ? other : nil, outside: reportOutside ? outside : nil, context))
    }

    /// Another network this key was used from within the window. Two networks the identity's baseline
    /// already holds are not "two places": a NAT gateway with several addresses, or an egress pool, hands
    /// one workload's connections out over all of them. Before there is a baseline (a new identity, or
    /// one still learning), two networks of the same cloud class (one provider's region: the NAT
    /// gateways of a VPC) are not either; networks of two classes, or outside every published range, are.
    private func concurrent(_ ks: KeyState, _ net: UInt64, _ now: Int64, _ e: Event, _ context: DetectionContext)
        -> (net: UInt64, ip: String, last: Int64)?
    {
        let profile = context.baselines.profile(e.identity.key)
        let known = profile.map { $0.network(net, now: now) != nil } ?? false
        let classes = context.baselines.networkClasses
        let poolClass = (profile?.isLearning(now: now) ?? true) ? classes.classKey(ofNetwork: net) : nil
        for n in ks.nets where abs(now - n.last) <= configuration.concurrentWindow {
            if configuration.ignoreMixedIPVersions && NetworkKey.isV6(n.net) != NetworkKey.isV6(net) { continue }
            if known, let p = profile, p.network(n.net, now: now) != nil { continue }
            if let c = poolClass, NetworkClasses.isCloud(classKey: c), classes.classKey(ofNetwork: n.net) == c {
                continue
            }
            return (n.net, n.ip, n.last)
        }
        return nil
    }

    /// The profile when the key's identity is a workload whose learnt networks do not include `net`.
    private func outsideBaseline(_ e: Event, _ net: UInt64, _ context: DetectionContext) -> IdentityProfile? {
        let instance = e.identity.isInstanceProfile || !e.identity.instanceId.isEmpty
        guard instance || configuration.allSessionsOutsideBaseline,
            let p = context.baselines.profile(e.identity.key), !p.isLearning(now: e.time),
            p.network(net, now: e.time) == nil
        else { return nil }
        return p
    }

    private func signal(
        _ e: Event, _ ks: KeyState, _ net: UInt64, _ ip: String, other: (net: UInt64, ip: String, last: Int64)?,
        outside: IdentityProfile?, _ context: DetectionContext
    ) -> Signal {
        let now = e.time
        let who = BaselineWords.who(e)
        let key = BaselineWords.clip(e.identity.accessKeyId, 40)
        let instance = e.identity.instanceId
        let netText = NetworkKey.describe(net)
        var parts: [String] = []
        var facts = [
            Fact("access_key_id", key), Fact("observed_ip", BaselineWords.clip(ip, 64)),
            Fact("observed_network", netText), Fact("key_first_seen", BaselineText.date(ks.firstSeen)),
            Fact("key_networks", ks.nets.map { NetworkKey.describe($0.net) }.joined(separator: ", ")),
        ]
        if !instance.isEmpty { facts.append(Fact("instance_id", BaselineWords.clip(instance, 64))) }
        let owner = instance.isEmpty ? who : "instance \(BaselineWords.clip(instance, 64)) (\(who))"
        if let p = outside {
            let known = BaselineWords.networks(p, now)
            parts.append(
                "session key \(key) of \(owner) was used from \(BaselineWords.clip(ip, 64)) (\(netText)), outside the role's "
                    + "baseline networks (\(BaselineText.list(known))) learnt in \(BaselineWords.span(p, now)). "
                    + "Instance-profile credentials should only be used from the instance's own networks; use elsewhere "
                    + "means they were taken from the instance (GuardDuty: InstanceCredentialExfiltration)")
            facts += [Fact("baseline_networks", known.joined(separator: ", "))] + BaselineWords.facts(p, now)
        }
        if let o = other {
            let gap = BaselineText.duration(abs(now - o.last))
            parts.append(
                "the same session key \(key) was used from \(NetworkKey.describe(o.net)) (\(o.ip)) and from "
                    + "\(netText) (\(BaselineWords.clip(ip, 64))) within \(gap): one credential in two places at once")
            facts += [
                Fact("other_network", NetworkKey.describe(o.net)), Fact("other_ip", o.ip),
                Fact("seconds_between", String(abs(now - o.last) / 1000)),
            ]
        }
        var text = parts.joined(separator: "; and ")
        text = text.prefix(1).uppercased() + text.dropFirst() + "."
        let severity = outside != nil && other != nil ? context.spec.severity.raised : context.spec.severity
        return Signal(
            severity: severity, title: "Session credentials of \(owner) used from \(netText)", explanation: text,
            facts: facts, mitre: ["T1552.005", "T1078.004"], key: key,
            failedAttempt: !e.outcome.isSuccess, resource: key)
    }
}

extension CredentialExfiltration {
    /// Format of `snapshot()` (unchanged since the first release: it always held the whole state).
    static let snapshotVersion: UInt8 = 1

    /// Saves the tracked session keys: networks seen (with their first and last use) and report marks.
    public func snapshot() -> [UInt8]? {
        BinaryWriter.encoded(version: Self.snapshotVersion) { w in
            keys.encode(into: &w) { ks, w in
                w.int(ks.firstSeen)
                w.bool(ks.reportedOutside)
                w.bool(ks.reportedConcurrent)
                w.uint(ks.nets.count)
                for n in ks.nets {
                    w.u64(n.net)
                    w.string(n.ip)
                    w.int(n.first)
                    w.int(n.last)
                }
            }
        }
    }

    /// Restores keys saved by `snapshot()`; bad data is ignored as a whole.
    public func restore(_ bytes: [UInt8]) {
        let restored = StateCodec.decode(bytes, versions: 1...1) { _, r throws(BinaryDecodeError) in
            try keys.decoded(from: &r) { r throws(BinaryDecodeError) in
                let ks = KeyState(try r.time())
                ks.reportedOutside = try r.bool()
                ks.reportedConcurrent = try r.bool()
                for _ in 0..<(try r.uint(max: configuration.maxNetworksPerKey)) {
                    ks.nets.append((try r.u64(), try r.text(), try r.time(), try r.time()))
                }
                return ks
            }
        }
        if let restored { keys = restored }
    }
}
