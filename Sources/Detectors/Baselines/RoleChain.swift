import Baselines
import Config
import Detection
import EventModel

/// Built-in detector `identity.role_chain`; `explanation` says what it detects and why (it is the
/// `detectors explain` text, written once).
public final class RoleChain: BuiltInDetector {
    /// Detector id.
    public static let id = "identity.role_chain"
    /// One line for `detectors list` and the docs table.
    public static let summary = "An identity assumes a role it never assumed"
    /// Severity when the YAML does not set one.
    public static let defaultSeverity = Severity.medium
    /// Every MITRE ATT&CK technique its findings may carry.
    public static let mitre = ["T1078.004", "T1548.005"]
    /// What it is built on.
    public static let kind = DetectorKind.baseline
    /// What it detects and why: the text of `trailhound detectors explain`.
    public static let explanation = """
        An identity assumes (sts:AssumeRole) a role it never assumed before. The baselines keep the trust graph \
        as used, so the finding says who normally assumes the role; a cross-account target is one step higher. \
        Quiet while the identity is learning. MITRE: T1548.005, T1078.004.
        """

    /// Settings (`settings:` in `detectors/identity.role_chain.yaml`).
    public struct Configuration: Sendable {
        /// STS operations looked at.
        public var operations: [String] = ["AssumeRole"]
        /// Raise a role in another account than the caller's one step.
        public var raiseCrossAccount = true

        /// Defaults.
        public init() {}

        /// Reads `settings:`.
        public init(reading r: ConfigReader) {
            let d = Configuration()
            operations = r.strings("operations", default: d.operations)
            for op in operations where !op.hasPrefix("AssumeRole") {
                r.report("operations", code: "config.value", "'\(op)' is not an sts:AssumeRole* operation")
            }
            raiseCrossAccount = r.bool("raise_cross_account", default: d.raiseCrossAccount)
        }
    }

    /// The configured `AssumeRole*` operations.
    public let interest: Interest
    /// Effective settings.
    public let configuration: Configuration

    /// Builds the detector from its `settings:` mapping (problems go to the reader).
    public convenience init(settings: ConfigReader) { self.init(configuration: Configuration(reading: settings)) }

    /// Creates the detector.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.interest = .operations(Set(configuration.operations))
    }

    /// Looks at one event.
    public func evaluate(_ e: Event, context: DetectionContext, into signals: inout [Signal]) {
        guard e.action.service == "sts", let role = APIClass.assumedRole(e) else { return }
        let now = e.time
        guard let p = context.baselines.profile(e.identity.key), !p.isLearning(now: now),
            p.resource(.role, role, now: now) == nil
        else { return }
        let who = BaselineWords.who(e)
        let roleAccount = Self.account(of: role)
        let callerAccount = e.identity.accountId.isEmpty ? e.account : e.identity.accountId
        let cross = !roleAccount.isEmpty && !callerAccount.isEmpty && roleAccount != callerAccount
        let known = p.live(p.resources, now: now).filter { $0.stat.tag == ResourceCode.of(.role) }
            .map { BaselineText.shortIdentity(context.baselines.resourceName($0.key)) }
        let others = context.baselines.assumers(of: role).filter { $0.identity != e.identity.key }
            .map { "\(BaselineText.shortIdentity($0.identity)) ×\(BaselineText.count($0.count))" }
        let roleText = BaselineWords.clip(role, 200)
        var text =
            "\(who) assumed \(roleText), a role it never assumed in \(BaselineWords.span(p, now)); "
            + "roles it assumed before: \(BaselineText.list(known)); this role is normally assumed by: \(BaselineText.list(others))."
        if e.identity.type == .assumedRole { text += " The caller is itself a role session (role chaining)." }
        if cross { text += " The role is in another account (\(roleAccount)) than the caller (\(callerAccount))." }
        var facts = [
            Fact("assumed_role", roleText), Fact("role_account", roleAccount),
            Fact("cross_account", cross ? "true" : "false"),
            Fact("baseline_assumed_roles", known.joined(separator: ", ")),
            Fact("role_assumed_by", others.joined(separator: ", ")), Fact("caller_type", e.identity.type.rawValue),
        ]
        if let s = e.parameters["requestParameters.roleSessionName"] {
            facts.append(Fact("role_session_name", BaselineWords.clip(s, 64)))
        }
        facts += BaselineWords.facts(p, now)
        let severity = cross && configuration.raiseCrossAccount ? context.spec.severity.raised : context.spec.severity
        signals.append(
            Signal(
                severity: severity, title: "\(who) assumed a new role \(BaselineText.shortIdentity(roleText))",
                explanation: text, facts: facts, mitre: ["T1548.005", "T1078.004"], key: roleText,
                failedAttempt: !e.outcome.isSuccess, resource: roleText))
    }

    /// Account id of an ARN (`arn:aws:iam::123456789012:role/x` → `123456789012`).
    static func account(of arn: String) -> String {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return parts.count >= 5 ? String(parts[4]) : ""
    }
}
