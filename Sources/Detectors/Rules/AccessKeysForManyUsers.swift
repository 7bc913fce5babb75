import Baselines
import Config
import Detection
import EventModel

/// Built-in detector `persistence.access_keys_for_many_users`; `explanation` says what it detects
/// and why (it is the `detectors explain` text, written once).
public final class AccessKeysForManyUsers: BuiltInDetector {
    /// Detector id.
    public static let id = "persistence.access_keys_for_many_users"
    /// One line for `detectors list` and the docs table.
    public static let summary = "One identity creates access keys for many other IAM users in a short window"
    /// Severity when the YAML does not set one.
    public static let defaultSeverity = Severity.high
    /// Every MITRE ATT&CK technique its findings may carry.
    public static let mitre = ["T1098.001"]
    /// What it is built on.
    public static let kind = DetectorKind.rule
    /// What it detects and why: the text of `trailhound detectors explain`.
    public static let explanation = """
        Detects one identity creating access keys for several distinct other IAM users within a
        short window (`iam:CreateAccessKey` with a `userName` that is not the caller's own; by
        default 3 users within 1 hour).

        Why it matters: backdooring every user it can reach is what offensive tooling does once
        it holds IAM write access (Pacu's `iam__backdoor_users_keys`): each key is a long-lived
        credential that survives revoking the identity that made it, and a responder who rotates
        one user's key still misses the others. `persistence.access_key_for_other_user` reports
        each key; this finding says it was a sweep, lists the users (every key to revoke) and
        carries every event as evidence.

        Attempts count too: when every call in the window failed, the finding is a failed
        attempt (the YAML's `failed_severity`). The allow-list resource is the first user.

        False positives: key-rotation or provisioning automation that issues keys to many users
        at once. Allow-list it with `identity:`, or raise `min_users`.

        MITRE ATT&CK: T1098.001 (Account Manipulation: Additional Cloud Credentials).
        """

    /// Settings (`settings:` in `detectors/persistence.access_keys_for_many_users.yaml`).
    public struct Configuration: Sendable {
        /// Sliding window (ms) in which the users are counted.
        public var window: Int64 = 3_600_000
        /// Distinct other users given a key in the window that make a finding.
        public var minUsers = 3
        /// Identities with open windows kept (least recently used dropped), against floods of callers.
        public var maxIdentities = 10_000
        /// Distinct users kept per window (more are counted, not kept), against floods of names.
        public var maxTracked = 256

        /// Defaults.
        public init() {}

        /// Reads `settings:`.
        public init(reading r: ConfigReader) {
            let d = Configuration()
            window = r.duration("window", default: d.window, in: 1000...(7 * 86_400_000))
            minUsers = r.int("min_users", default: d.minUsers, in: 2...10_000)
            maxIdentities = r.int("max_identities", default: d.maxIdentities, in: 16...10_000_000)
            maxTracked = r.int("max_tracked", default: d.maxTracked, in: 8...100_000)
        }
    }

    final class State: RecentState {
        /// Target users in the window (payload: every call for that user failed).
        var users = WindowedCounter<Bool>()
        /// Sample user names kept per window.
        static let maxNames = 8
    }

    /// `CreateAccessKey`.
    public let interest: Interest = .operations(["CreateAccessKey"])
    /// Effective settings.
    public let configuration: Configuration
    var states: BoundedStates<State>

    /// Builds the detector from its `settings:` mapping (problems go to the reader).
    public convenience init(settings: ConfigReader) { self.init(configuration: Configuration(reading: settings)) }

    /// Creates the detector.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.states = BoundedStates(capacity: configuration.maxIdentities)
    }

    /// Counts a key created for another user; signals when the window holds `min_users`.
    public func evaluate(_ e: Event, context: DetectionContext, into signals: inout [Signal]) {
        guard e.action.service == "iam", e.action.operation == "CreateAccessKey", !e.identity.key.isEmpty,
            let user = e.ruleRequest("userName"), !user.isEmpty
        else { return }
        if let own = RuleValue.ownUserName(e.identity), own == user { return }
        let now = e.time
        let st = states.get(Hash64.of(e.identity.key), now: now) { State() }
        st.users.slide(now: now, window: configuration.window)
        let counted = st.users.count(
            Hash64.of(user), now: now, payload: !e.outcome.isSuccess, capacity: configuration.maxTracked
        ) { $0 = $0 && $1 }
        if counted == .added { st.users.sample(RuleText.bounded(user, 128), max: State.maxNames) }
        st.users.evidence.add(e.eventId)
        let distinct = st.users.total
        guard distinct >= configuration.minUsers, st.users.mayReport(now: now, window: configuration.window) else {
            return
        }
        st.users.reportedAt = now
        signals.append(signal(e, st.users, distinct, severity: context.spec.severity))
    }

    private func signal(_ e: Event, _ w: WindowedCounter<Bool>, _ distinct: Int, severity: Severity) -> Signal {
        let who = RuleText.name(e.identity)
        let span = e.time - w.start
        let failed = w.entries.allSatisfy(\.payload)
        let verb = failed ? "tried to create" : "created"
        var users = w.names.joined(separator: ", ")
        if distinct > w.names.count { users += " and \(distinct - w.names.count) more" }
        let text =
            "\(RuleText.describe(e.identity)) \(verb) access keys for \(distinct) other IAM users in "
            + "\(BaselineText.duration(span)) (\(users)), \(RuleText.origin(e)). Keys for many users at once are "
            + "a sweep for persistence: each one survives revoking the identity that made it, so every user "
            + "listed needs its keys reviewed."
        let facts = [
            Fact("observed_users", String(distinct)), Fact("observed_window", BaselineText.duration(span)),
            Fact("window", BaselineText.duration(configuration.window)),
            Fact("min_users", String(configuration.minUsers)), Fact("target_users", w.names.joined(separator: ", ")),
        ]
        return Signal(
            severity: severity, title: "\(who) \(verb) access keys for \(distinct) other IAM users",
            explanation: text, facts: facts, mitre: Self.mitre, key: "many-users", eventIds: w.evidence.ids,
            firstSeen: w.start, count: distinct, failedAttempt: failed, resource: w.names.first ?? "")
    }
}

extension AccessKeysForManyUsers {
    /// Format of `snapshot()`.
    static let snapshotVersion: UInt8 = 1

    /// Saves every identity's window, its evidence and report mark (for `--state` and `watch`).
    public func snapshot() -> [UInt8]? {
        BinaryWriter.encoded(version: Self.snapshotVersion) { w in
            states.encode(into: &w) { st, w in
                st.users.encodeFlagged(into: &w)
                w.uint(st.users.overflow)
                w.strings(st.users.names)
                w.evidence(st.users.evidence)
                w.int(st.users.start)
                w.int(st.users.reportedAt)
            }
        }
    }

    /// Restores state saved by `snapshot()`; bad data is ignored as a whole.
    public func restore(_ bytes: [UInt8]) {
        let restored = StateCodec.decode(bytes, versions: 1...1) { _, r throws(BinaryDecodeError) in
            try states.decoded(from: &r) { r throws(BinaryDecodeError) in
                let users = try WindowedCounter<Bool>.decodeFlagged(from: &r, max: configuration.maxTracked)
                let overflow = try r.uint()
                let names = try r.strings(max: State.maxNames, maxLength: StateCodec.maxText)
                let evidence = try r.evidence()
                let st = State()
                st.users = WindowedCounter(
                    entries: users, overflow: overflow, names: names, evidence: evidence, start: try r.time(),
                    reportedAt: try r.mark())
                return st
            }
        }
        if let restored { states = restored }
    }
}
