import Config
import Detection
import EventModel

/// Built-in detector `persistence.lambda_backdoor`; `explanation` says what it detects and why (it is the
/// `detectors explain` text, written once).
public final class LambdaBackdoor: BuiltInDetector {
    /// Detector id.
    public static let id = "persistence.lambda_backdoor"
    /// One line for `detectors list` and the docs table.
    public static let summary = "Lambda layer added, public function URL, or open invoke permission"
    /// Severity when the YAML does not set one.
    public static let defaultSeverity = Severity.medium
    /// Every MITRE ATT&CK technique its findings may carry.
    public static let mitre = ["T1546", "T1098"]
    /// What it is built on.
    public static let kind = DetectorKind.rule
    /// What it detects and why: the text of `trailhound detectors explain`.
    public static let explanation = """
        Detects Lambda changes that plant a backdoor or open a function to the world:
        a function created or reconfigured with layers (`CreateFunction`,
        `UpdateFunctionConfiguration`), a function URL with `authType: NONE`
        (`CreateFunctionUrlConfig`, `UpdateFunctionUrlConfig`), a resource policy
        letting anyone (`"*"`) or another account invoke a function (`AddPermission`),
        and a layer shared with anyone or another account (`AddLayerVersionPermission`).

        Why it matters: a layer runs its code inside every invocation of the function,
        with the function's role; an attacker adds a layer (often from their own
        account) to read secrets and events or to keep a foothold that survives the
        revocation of the credentials used to add it. A public function URL or an
        invoke permission for `*` turns a function, and its role, into an
        unauthenticated entry point.

        Severity: layers from this account get the detector's severity; layers from
        another account not in `trusted_layer_accounts` get `foreign_layer_severity`;
        a public URL and an unrestricted `*` invoke permission get
        `public_access_severity`; `*` restricted by `sourceArn` / `sourceAccount` /
        `principalOrgID`, other accounts, and shared layers get the detector's severity.

        CloudTrail names Lambda events with an API version suffix
        (`UpdateFunctionConfiguration20150331v2`). Events are routed to this detector
        by exact name, so it listens to the bare names and every suffixed name known
        (`CreateFunction20150331`, `UpdateFunctionConfiguration20150331`,
        `UpdateFunctionConfiguration20150331v2`, `CreateFunctionUrlConfig20211031`,
        `UpdateFunctionUrlConfig20211031`, `AddPermission20150331`,
        `AddPermission20150331v2`, `AddLayerVersionPermission20181031`), and matches
        them by prefix; add new suffixes with `extra_operation_names`. Layers are read
        from the request; for `CreateFunction` also from the response (every layer of
        a new function is new), not for updates, whose response lists layers the
        function already had.

        The key and allow-list resource is the function name as logged (or the layer
        name for layer permissions).

        False positives: deployment pipelines that ship functions with layers
        (allow-list the pipeline role with `identity:`), vendor monitoring layers
        (list the vendor's account in `trusted_layer_accounts`), intentionally public
        webhooks (allow-list the function with `resource:`).

        MITRE ATT&CK: T1546 (Event Triggered Execution), T1098 (Account Manipulation).
        """

    /// Settings read from the `settings:` mapping.
    public struct Configuration: Sendable {
        /// Severity of a layer from another account (`foreign_layer_severity`).
        public var foreignLayerSeverity: Severity = .high
        /// Severity of a public function URL or an unrestricted `*` invoke
        /// permission (`public_access_severity`).
        public var publicAccessSeverity: Severity = .high
        /// Accounts whose layers count as this account's (`trusted_layer_accounts`),
        /// e.g. AWS's or a monitoring vendor's layer publishing accounts.
        public var trustedLayerAccounts: [String] = []
        /// Further versioned event names to route here (`extra_operation_names`),
        /// for suffixes AWS introduces after this build.
        public var extraOperationNames: [String] = []

        /// Defaults.
        public init() {}

        /// Reads the settings, reporting problems to the reader.
        public init(reading r: ConfigReader) {
            foreignLayerSeverity = r.severity("foreign_layer_severity", default: foreignLayerSeverity)
            publicAccessSeverity = r.severity("public_access_severity", default: publicAccessSeverity)
            trustedLayerAccounts = r.strings("trusted_layer_accounts", default: trustedLayerAccounts)
            extraOperationNames = r.strings("extra_operation_names", default: extraOperationNames)
            for a in trustedLayerAccounts where RuleValue.accountId(a) != a {
                r.report("trusted_layer_accounts", code: "config.value", "'\(a)' is not a 12-digit account id")
            }
            for n in extraOperationNames where !LambdaBackdoor.baseOperations.contains(RuleValue.baseOperation(n)) {
                r.report(
                    "extra_operation_names", code: "config.value",
                    "'\(n)' is not a versioned name of \(LambdaBackdoor.baseOperations.sorted().joined(separator: ", "))"
                )
            }
        }
    }

    /// Operations this detector understands, without version suffix.
    static let baseOperations: Set<String> = [
        "CreateFunction", "UpdateFunctionConfiguration", "CreateFunctionUrlConfig", "UpdateFunctionUrlConfig",
        "AddPermission", "AddLayerVersionPermission",
    ]
    /// Versioned event names seen in CloudTrail for those operations.
    static let versionedOperations: Set<String> = [
        "CreateFunction20150331", "UpdateFunctionConfiguration20150331", "UpdateFunctionConfiguration20150331v2",
        "CreateFunctionUrlConfig20211031", "UpdateFunctionUrlConfig20211031", "AddPermission20150331",
        "AddPermission20150331v2", "AddLayerVersionPermission20181031",
    ]

    /// Bare and versioned names of the Lambda calls above, plus `extra_operation_names`.
    public let interest: Interest
    /// Effective settings.
    public let configuration: Configuration
    private let trustedLayers: Set<String>

    /// Builds the detector from its `settings:` mapping (problems go to the reader).
    public convenience init(settings: ConfigReader) { self.init(configuration: Configuration(reading: settings)) }

    /// Creates the detector.
    public init(configuration: Configuration = .init()) {
        self.configuration = configuration
        self.trustedLayers = Set(configuration.trustedLayerAccounts)
        self.interest = .operations(
            Self.baseOperations.union(Self.versionedOperations).union(configuration.extraOperationNames))
    }

    /// Raises a signal for layers, public URLs and open permissions.
    public func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
        guard event.action.service == "lambda" else { return }
        let function = event.ruleRequest("functionName") ?? event.resources(of: .function).first?.id ?? "unknown"
        let sev = context.spec.severity
        var hit: RuleHit?
        switch RuleValue.baseOperation(event.action.operation) {
        case "CreateFunction": hit = layers(event, function: function, severity: sev, created: true)
        case "UpdateFunctionConfiguration": hit = layers(event, function: function, severity: sev, created: false)
        case "CreateFunctionUrlConfig", "UpdateFunctionUrlConfig": hit = functionURL(event, function: function)
        case "AddPermission": hit = permission(event, function: function, severity: sev)
        case "AddLayerVersionPermission": hit = layerPermission(event, severity: sev)
        default: hit = nil
        }
        if let hit { signals.append(hit.signal(for: event)) }
    }

    private func layers(_ event: Event, function: String, severity: Severity, created: Bool) -> RuleHit? {
        var text = event.ruleRequest("layers")
        if text == nil && created { text = event.ruleResponse("layers") }
        let arns = text.map { RuleValue.arns(in: $0) } ?? []
        guard !arns.isEmpty else { return nil }
        let own = event.account.isEmpty ? event.identity.accountId : event.account
        let foreign = arns.filter { arn in
            guard let acct = RuleValue.accountId(arn) else { return false }
            return acct != own && !trustedLayers.contains(acct)
        }
        var details = ["Layers: \(RuleText.list(arns))."]
        if !foreign.isEmpty { details.append("\(foreign.count) of them come from another account.") }
        return RuleHit(
            severity: foreign.isEmpty ? severity : configuration.foreignLayerSeverity,
            past: created ? "created" : "added layers to", base: created ? "create" : "add layers to",
            object: created
                ? "Lambda function \(RuleText.bounded(function)) with layers"
                : "Lambda function \(RuleText.bounded(function))",
            target: function, details: details,
            facts: [
                Fact("layers", RuleText.bounded(arns.joined(separator: ","), 1000)),
                Fact("foreign_layers", RuleText.bounded(foreign.joined(separator: ","), 1000)),
            ],
            why:
                "Layer code runs inside every invocation with the function's role, which makes it a durable and quiet backdoor.",
            mitre: Self.mitre)
    }

    private func functionURL(_ event: Event, function: String) -> RuleHit? {
        guard RuleValue.unquoted(event.ruleRequest("authType"))?.uppercased() == "NONE" else { return nil }
        let created = RuleValue.baseOperation(event.action.operation) == "CreateFunctionUrlConfig"
        return RuleHit(
            severity: configuration.publicAccessSeverity, past: created ? "created" : "changed",
            base: created ? "create" : "change",
            object: "a public function URL (authType NONE) for Lambda function \(RuleText.bounded(function))",
            target: function, facts: [Fact("auth_type", "NONE")],
            why: "Anyone on the internet can invoke the function, and through it use its role, without credentials.",
            mitre: Self.mitre)
    }

    private func permission(_ event: Event, function: String, severity: Severity) -> RuleHit? {
        guard let principal = RuleValue.unquoted(event.ruleRequest("principal")) else { return nil }
        let own = event.account.isEmpty ? event.identity.accountId : event.account
        let restrictions = ["sourceArn", "sourceAccount", "principalOrgID"].filter { event.ruleRequest($0) != nil }
        let sev: Severity
        let whom: String
        if principal == "*" {
            sev = restrictions.isEmpty ? configuration.publicAccessSeverity : severity
            whom =
                restrictions.isEmpty
                ? "anyone (\"*\")" : "anyone (\"*\") restricted by \(restrictions.joined(separator: ", "))"
        } else if let acct = RuleValue.accountId(principal), acct != own {
            sev = severity
            whom = "account \(acct)"
        } else {
            return nil
        }
        let action = event.ruleRequest("action") ?? "lambda:InvokeFunction"
        return RuleHit(
            severity: sev, past: "allowed", base: "allow",
            object: "\(whom) to call \(RuleText.bounded(action, 80)) on Lambda function \(RuleText.bounded(function))",
            target: function,
            facts: [
                Fact("principal", RuleText.bounded(principal)), Fact("action", RuleText.bounded(action, 80)),
                Fact("restrictions", restrictions.joined(separator: ",")),
            ],
            why: "Principals outside the account can run the function, and with it its role's permissions.",
            mitre: Self.mitre)
    }

    private func layerPermission(_ event: Event, severity: Severity) -> RuleHit? {
        guard let principal = RuleValue.unquoted(event.ruleRequest("principal")) else { return nil }
        let own = event.account.isEmpty ? event.identity.accountId : event.account
        let foreign = RuleValue.accountId(principal).map { $0 != own } ?? false
        guard principal == "*" || foreign else { return nil }
        let layer = event.ruleRequest("layerName") ?? "unknown"
        return RuleHit(
            severity: severity, past: "shared", base: "share",
            object:
                "Lambda layer \(RuleText.bounded(layer)) with \(principal == "*" ? "every account (\"*\")" : "account \(RuleText.bounded(principal))")",
            target: layer, facts: [Fact("principal", RuleText.bounded(principal))],
            why:
                "A shared layer lets functions in other accounts run this code, the usual way to stage a layer backdoor across accounts.",
            mitre: Self.mitre)
    }
}
