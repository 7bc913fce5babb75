import Config
import Detection
import EventModel

/// Built-in detector `privesc.admin_policy`; `explanation` says what it detects and why (it is the
/// `detectors explain` text, written once).
public final class AdminPolicy: BuiltInDetector {
    /// Detector id.
    public static let id = "privesc.admin_policy"
    /// One line for `detectors list` and the docs table.
    public static let summary = "Administrator policy attached, or policy allowing * / iam:* on * written"
    /// Severity when the YAML does not set one.
    public static let defaultSeverity = Severity.critical
    /// Every MITRE ATT&CK technique its findings may carry.
    public static let mitre = ["T1098.003", "T1078.004"]
    /// What it is built on.
    public static let kind = DetectorKind.rule
    /// What it detects and why: the text of `trailhound detectors explain`.
    public static let explanation = """
        Detects administrator-level permissions being granted: an administrator
        managed policy attached to a user, role or group (`AttachUserPolicy`,
        `AttachRolePolicy`, `AttachGroupPolicy` with a policy in `policy_arns`), or a
        policy document that allows a dangerous action on every resource written
        inline (`PutUserPolicy`, `PutRolePolicy`, `PutGroupPolicy`), as a new default
        version (`CreatePolicyVersion` with `setAsDefault`) or as a new managed policy
        (`CreatePolicy`, `include_create_policy`).

        Why it matters: a compromised workload identity that can write IAM policies
        grants itself (or a user it controls) administrator rights, and from there
        owns the account. Workloads almost never attach administrator policies.

        A document is dangerous when an `Allow` statement has `Resource: "*"` and an
        `Action` that covers one of `dangerous_actions` (default `*`, `iam:*`,
        `sts:AssumeRole`; IAM wildcards apply, so `sts:*` covers `sts:AssumeRole`), or
        (`flag_not_action`) uses `NotAction`, which allows every action not listed.
        Documents may be plain or URL-encoded JSON; `Statement`, `Action` and
        `Resource` may be a string or a list. Conditions are reported but do not
        lower the severity.

        The key and allow-list resource is the principal that gains the permissions
        (`user/NAME`, `role/NAME`, `group/NAME`), the policy ARN for
        `CreatePolicyVersion`, or `policy/NAME` for `CreatePolicy`.

        False positives: break-glass and account-bootstrap automation, identity
        provisioning. Allow-list the automation role with `identity:`, and known
        admin roles with `resource:` (`role/OrganizationAccountAccessRole`).

        MITRE ATT&CK: T1098.003 (Account Manipulation: Additional Cloud Roles),
        T1078.004 (Valid Accounts: Cloud Accounts).
        """

    /// Settings read from the `settings:` mapping.
    public struct Configuration: Sendable {
        /// Globs over managed policy ARNs that count as administrator access when
        /// attached (`policy_arns`).
        public var policyArns: [String] = [
            "arn:aws*:iam::*:policy/AdministratorAccess",
            "arn:aws*:iam::*:policy/*/AdministratorAccess",
            "arn:aws*:iam::aws:policy/IAMFullAccess",
            "arn:aws*:iam::aws:policy/PowerUserAccess",
        ]
        /// Actions that make a document dangerous when allowed on `*`
        /// (`dangerous_actions`); compared case-insensitively, IAM wildcards in the
        /// document apply.
        public var dangerousActions: [String] = ["*", "iam:*", "sts:AssumeRole"]
        /// Whether an `Allow` with `NotAction` on `*` counts as dangerous (`flag_not_action`).
        public var flagNotAction = true
        /// Whether `CreatePolicy` with a dangerous document is a finding before the
        /// policy is attached (`include_create_policy`).
        public var includeCreatePolicy = true

        /// Defaults.
        public init() {}

        /// Reads the settings, reporting problems to the reader.
        public init(reading r: ConfigReader) {
            policyArns = r.strings("policy_arns", default: policyArns)
            dangerousActions = r.strings("dangerous_actions", default: dangerousActions)
            flagNotAction = r.bool("flag_not_action", default: flagNotAction)
            includeCreatePolicy = r.bool("include_create_policy", default: includeCreatePolicy)
            if r.has("dangerous_actions") && dangerousActions.isEmpty {
                r.report("dangerous_actions", code: "config.value", "must list at least one action")
            }
        }
    }

    /// IAM attach, inline-policy and policy-creation calls.
    public let interest: Interest = .operations([
        "AttachUserPolicy", "AttachRolePolicy", "AttachGroupPolicy", "PutUserPolicy", "PutRolePolicy",
        "PutGroupPolicy", "CreatePolicyVersion", "CreatePolicy",
    ])
    /// Effective settings.
    public let configuration: Configuration
    private let policyGlobs: [Glob]

    /// Builds the detector from its `settings:` mapping (problems go to the reader).
    public convenience init(settings: ConfigReader) { self.init(configuration: Configuration(reading: settings)) }

    /// Creates the detector.
    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        self.policyGlobs = configuration.policyArns.map { Glob($0) }
    }

    /// Raises a signal for administrator attachments and dangerous documents.
    public func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
        guard event.action.service == "iam" else { return }
        let op = event.action.operation
        var hit: RuleHit?
        if op.hasPrefix("Attach"), let principal = Self.principal(event) {
            hit = attach(event, principal: principal, severity: context.spec.severity)
        } else if op.hasPrefix("Put"), op.hasSuffix("Policy"), let principal = Self.principal(event) {
            let name = event.ruleRequest("policyName") ?? "unnamed"
            hit = document(
                event, target: principal, severity: context.spec.severity,
                object: "inline policy \(RuleText.bounded(name)) on \(RuleText.bounded(principal))",
                extraFacts: [Fact("policy_name", RuleText.bounded(name))])
        } else if op == "CreatePolicyVersion", RuleValue.isTrue(event.ruleRequest("setAsDefault")) {
            let arn = event.ruleRequest("policyArn") ?? "unknown"
            hit = document(
                event, target: arn, severity: context.spec.severity,
                object: "a new default version of policy \(RuleText.bounded(arn))",
                extraFacts: [Fact("policy_arn", RuleText.bounded(arn))])
        } else if op == "CreatePolicy", configuration.includeCreatePolicy {
            let name = event.ruleRequest("policyName") ?? "unnamed"
            hit = document(
                event, target: "policy/\(name)", severity: context.spec.severity,
                object: "managed policy \(RuleText.bounded(name))",
                extraFacts: [Fact("policy_name", RuleText.bounded(name))])
        }
        if let hit { signals.append(hit.signal(for: event)) }
    }

    /// `user/NAME`, `role/NAME` or `group/NAME` from the request.
    static func principal(_ event: Event) -> String? {
        for (param, kind) in [("userName", "user"), ("roleName", "role"), ("groupName", "group")] {
            if let name = event.ruleRequest(param) { return "\(kind)/\(name)" }
        }
        return nil
    }

    private func attach(_ event: Event, principal: String, severity: Severity) -> RuleHit? {
        guard let arn = event.ruleRequest("policyArn"), policyGlobs.contains(where: { $0.matches(arn) }) else {
            return nil
        }
        return RuleHit(
            severity: severity, past: "attached", base: "attach",
            object: "\(RuleText.bounded(arn)) to \(RuleText.bounded(principal))", target: principal,
            facts: [Fact("policy_arn", RuleText.bounded(arn)), Fact("grantee", RuleText.bounded(principal))],
            why:
                "This managed policy gives broad administrative control of the account to \(RuleText.bounded(principal)).",
            mitre: Self.mitre)
    }

    private func document(
        _ event: Event, target: String, severity: Severity, object: String, extraFacts: [Fact]
    ) -> RuleHit? {
        guard let text = event.ruleRequest("policyDocument"), let doc = PolicyDocument(text: text) else { return nil }
        let grants = dangerousGrants(doc)
        guard !grants.isEmpty else { return nil }
        let conditions = doc.statements.filter(\.allows).flatMap(\.conditions)
        var details = ["The document \(RuleText.list(grants))."]
        var facts = extraFacts + [Fact("grants", RuleText.bounded(grants.joined(separator: "; "), 400))]
        if !conditions.isEmpty {
            details.append("Conditions: \(RuleText.list(conditions)).")
            facts.append(Fact("conditions", RuleText.bounded(conditions.joined(separator: ","), 400)))
        }
        return RuleHit(
            severity: severity, past: "wrote", base: "write", object: object, target: target,
            details: details, facts: facts,
            why: "Allowing these actions on every resource amounts to administrator access, or a direct path to it.",
            mitre: Self.mitre)
    }

    /// Phrases describing each dangerous `Allow` statement (`allows iam:* on *`).
    func dangerousGrants(_ doc: PolicyDocument) -> [String] {
        var out: [String] = []
        for s in doc.statements where s.allows && s.onAllResources {
            let sid = s.sid.isEmpty ? "" : " (statement \(RuleText.bounded(s.sid, 60)))"
            let dangerous = configuration.dangerousActions.map { $0.lowercased() }
            let hits = s.actions.filter { a in dangerous.contains { Glob(a.lowercased()).matches($0) } }
            if !hits.isEmpty {
                out.append("allows \(RuleText.list(hits)) on *\(sid)")
            } else if configuration.flagNotAction && !s.notActions.isEmpty {
                out.append("allows every action except \(RuleText.list(s.notActions)) on *\(sid)")
            }
        }
        return out
    }
}
