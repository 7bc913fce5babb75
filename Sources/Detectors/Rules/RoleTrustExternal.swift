import Config
import Detection
import EventModel

/// Built-in detector `persistence.role_trust_external`; `explanation` says what it detects and why (it is the
/// `detectors explain` text, written once).
public final class RoleTrustExternal: BuiltInDetector {
    /// Detector id.
    public static let id = "persistence.role_trust_external"
    /// One line for `detectors list` and the docs table.
    public static let summary = "Role trust policy opened to any principal or a foreign account"
    /// Severity when the YAML does not set one.
    public static let defaultSeverity = Severity.high
    /// Every MITRE ATT&CK technique its findings may carry.
    public static let mitre = ["T1098"]
    /// What it is built on.
    public static let kind = DetectorKind.rule
    /// What it detects and why: the text of `trailhound detectors explain`.
    public static let explanation = """
        Detects a role being made assumable from outside the account: a trust policy
        written by `iam:UpdateAssumeRolePolicy` (`policyDocument`) or `iam:CreateRole`
        (`assumeRolePolicyDocument`) that lets any principal (`"Principal": "*"` or
        `{"AWS": "*"}`) or an AWS account other than the role's own and not in
        `trusted_accounts` assume it.

        Why it matters: a trust policy naming the attacker's own account is a
        backdoor that needs no credentials from the victim at all: the attacker
        assumes the role from home whenever they like, and revoking the compromised
        workload's credentials does not close it. A wildcard principal opens the
        role to every AWS account in the world.

        Severity: a wildcard principal without conditions gets `wildcard_severity`
        (default critical); a wildcard restricted by conditions (for example
        `aws:PrincipalOrgID`) and a foreign account get the detector's severity. Only
        `Allow` statements whose actions cover `sts:AssumeRole` count; service and
        federated principals are not considered.

        The key and allow-list resource is the role name.

        False positives: cross-account access for vendors, auditors and your other
        accounts. List your own accounts and known vendors in `trusted_accounts`.

        MITRE ATT&CK: T1098 (Account Manipulation).
        """

    /// Settings read from the `settings:` mapping.
    public struct Configuration: Sendable {
        /// Account ids (12 digits) that may be trusted without a finding (`trusted_accounts`).
        public var trustedAccounts: [String] = []
        /// Severity of a wildcard principal without conditions (`wildcard_severity`).
        public var wildcardSeverity: Severity = .critical

        /// Defaults.
        public init() {}

        /// Reads the settings, reporting problems to the reader.
        public init(reading r: ConfigReader) {
            trustedAccounts = r.strings("trusted_accounts", default: trustedAccounts)
            wildcardSeverity = r.severity("wildcard_severity", default: wildcardSeverity)
            for a in trustedAccounts where RuleValue.accountId(a) != a {
                r.report("trusted_accounts", code: "config.value", "'\(a)' is not a 12-digit account id")
            }
        }
    }

    /// `UpdateAssumeRolePolicy`, `CreateRole`.
    public let interest: Interest = .operations(["UpdateAssumeRolePolicy", "CreateRole"])
    /// Effective settings.
    public let configuration: Configuration
    private let trusted: Set<String>

    /// Builds the detector from its `settings:` mapping (problems go to the reader).
    public convenience init(settings: ConfigReader) { self.init(configuration: Configuration(reading: settings)) }

    /// Creates the detector.
    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        self.trusted = Set(configuration.trustedAccounts)
    }

    /// Raises a signal for trust policies open to `*` or to foreign accounts.
    public func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
        guard event.action.service == "iam" else { return }
        let param: String
        switch event.action.operation {
        case "UpdateAssumeRolePolicy": param = "policyDocument"
        case "CreateRole": param = "assumeRolePolicyDocument"
        default: return
        }
        guard let text = event.ruleRequest(param), let doc = PolicyDocument(text: text) else { return }
        let own = event.account.isEmpty ? event.identity.accountId : event.account
        let trust = analyze(doc, ownAccount: own)
        guard trust.wildcard || !trust.foreign.isEmpty else { return }
        let role = event.ruleRequest("roleName") ?? event.resources(of: .role).first?.id ?? "unknown"
        signals.append(hit(event, role: role, trust: trust, severity: context.spec.severity).signal(for: event))
    }

    /// Who a trust policy lets assume the role, as far as this detector cares.
    struct Trust {
        /// Some statement allows `*`.
        var wildcard = false
        /// Some statement allows `*` without any condition.
        var wildcardUnconditioned = false
        /// Foreign, untrusted account ids, in document order.
        var foreign: [String] = []
        /// Conditions of the statements that open the role (`Operator key`).
        var conditions: [String] = []
    }

    /// Reads the `Allow` statements that cover `sts:AssumeRole`.
    func analyze(_ doc: PolicyDocument, ownAccount: String) -> Trust {
        var t = Trust()
        for s in doc.statements where s.allows && s.grants("sts:AssumeRole") {
            if s.anyPrincipal {
                t.wildcard = true
                if s.conditions.isEmpty { t.wildcardUnconditioned = true }
            }
            for p in s.awsPrincipals {
                guard let acct = RuleValue.accountId(p), acct != ownAccount, !trusted.contains(acct) else { continue }
                if !t.foreign.contains(acct) { t.foreign.append(acct) }
            }
            if s.anyPrincipal || !s.awsPrincipals.isEmpty { t.conditions += s.conditions }
        }
        return t
    }

    private func hit(_ event: Event, role: String, trust: Trust, severity: Severity) -> RuleHit {
        var details: [String] = []
        var facts: [Fact] = [
            Fact("role", RuleText.bounded(role)), Fact("wildcard_principal", trust.wildcard ? "true" : "false"),
        ]
        if trust.wildcard {
            details.append(
                trust.wildcardUnconditioned
                    ? "The trust policy allows any AWS principal (\"*\") to assume the role, with no conditions."
                    : "The trust policy allows any AWS principal (\"*\") to assume the role, limited only by conditions."
            )
        }
        if !trust.foreign.isEmpty {
            details.append(
                "It trusts account(s) \(RuleText.list(trust.foreign)), which are neither this account nor listed in trusted_accounts."
            )
            facts.append(Fact("external_accounts", trust.foreign.prefix(20).joined(separator: ",")))
        }
        if !trust.conditions.isEmpty {
            details.append("Conditions: \(RuleText.list(trust.conditions)).")
            facts.append(Fact("conditions", RuleText.bounded(trust.conditions.joined(separator: ","), 400)))
        }
        let created = event.action.operation == "CreateRole"
        let whom = trust.wildcard ? "any AWS principal" : "external account(s) \(RuleText.list(trust.foreign))"
        return RuleHit(
            severity: trust.wildcardUnconditioned ? configuration.wildcardSeverity : severity,
            past: created ? "created" : "changed", base: created ? "create" : "change",
            object: created
                ? "role \(RuleText.bounded(role)) trusting \(whom)"
                : "the trust policy of role \(RuleText.bounded(role)) to trust \(whom)",
            target: role, details: details, facts: facts,
            why:
                "Principals outside the account can assume this role without any of the account's own credentials, and revoking the compromised identity does not remove that access.",
            mitre: ["T1098"])
    }
}
