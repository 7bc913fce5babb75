import Baselines
import Config
import Detection
import EventModel

/// Built-in detector `identity.new_api`; `explanation` says what it detects and why (it is the
/// `detectors explain` text, written once).
public final class NewAPI: BuiltInDetector {
    /// Detector id.
    public static let id = "identity.new_api"
    /// One line for `detectors list` and the docs table.
    public static let summary = "An identity calls an API it never called, scored by sensitivity and rarity"
    /// Severity when the YAML does not set one.
    public static let defaultSeverity = Severity.medium
    /// Every MITRE ATT&CK technique its findings may carry.
    public static let mitre = ["T1078.004", "T1087.004", "T1098", "T1526", "T1555.006", "T1562.008"]
    /// What it is built on.
    public static let kind = DetectorKind.baseline
    /// What it detects and why: the text of `trailhound detectors explain`.
    public static let explanation = """
        An identity calls an API (service:Operation) it has never called before. Scored by sensitivity \
        (secret reads, IAM/STS/KMS/logging writes, sts:GetCallerIdentity) and by rarity across the account \
        (how many identities call it); common read-only calls stay quiet or info/low unless the risk \
        correlator sees other signals for the same identity. Quiet while the identity is learning, except \
        sensitive calls by a brand-new identity in an established account. \
        MITRE: T1078.004, T1555.006, T1087.004, T1098, T1562.008.
        """

    /// Settings (`settings:` in `detectors/identity.new_api.yaml`).
    public struct Configuration: Sendable {
        /// Sensitivity (0…1) of APIs by `service:Operation` glob; the highest matching weight wins.
        /// When set in YAML it replaces the built-in table.
        public var sensitivity: [String: Double] = NewAPI.defaultSensitivity
        /// Sensitivity of `ssm:GetParameter(s)` / `GetParametersByPath` with `withDecryption: true`.
        public var decryptedParameterSensitivity = 0.85
        /// Sensitivity of a read-only API not in the table.
        public var defaultReadSensitivity = 0.1
        /// Sensitivity of a write API not in the table.
        public var defaultWriteSensitivity = 0.3
        /// Share of the score given to sensitivity; the rest is rarity across the account.
        public var sensitivityWeight = 0.7
        /// Below this score no finding is raised.
        public var minScore = 0.2
        /// From this score: low.
        public var lowScore = 0.35
        /// From this score: the configured severity.
        public var mediumScore = 0.55
        /// From this score: one step above the configured severity.
        public var highScore = 0.8
        /// During the identity's learning period, only APIs at least this sensitive
        /// are reported, and only when the account is past its own learning period.
        public var learningMinSensitivity = 0.8

        /// Defaults.
        public init() {}

        /// Reads `settings:`.
        public init(reading r: ConfigReader) {
            let d = Configuration()
            sensitivity = r.numberMap("sensitivity", default: d.sensitivity)
            for (k, v) in sensitivity where !(0...1).contains(v) {
                r.report("sensitivity", code: "config.range", "weight of '\(k)' must be within 0...1 (got \(v))")
            }
            decryptedParameterSensitivity = r.double(
                "decrypted_parameter_sensitivity",
                default: d.decryptedParameterSensitivity, in: 0...1)
            defaultReadSensitivity = r.double("default_read_sensitivity", default: d.defaultReadSensitivity, in: 0...1)
            defaultWriteSensitivity = r.double(
                "default_write_sensitivity", default: d.defaultWriteSensitivity, in: 0...1)
            sensitivityWeight = r.double("sensitivity_weight", default: d.sensitivityWeight, in: 0...1)
            minScore = r.double("min_score", default: d.minScore, in: 0...1)
            lowScore = r.double("low_score", default: d.lowScore, in: 0...1)
            mediumScore = r.double("medium_score", default: d.mediumScore, in: 0...1)
            highScore = r.double("high_score", default: d.highScore, in: 0...1)
            learningMinSensitivity = r.double("learning_min_sensitivity", default: d.learningMinSensitivity, in: 0...1)
        }
    }

    /// Built-in sensitivity table (mirrors `detectors/identity.new_api.yaml`).
    public static let defaultSensitivity: [String: Double] = [
        "secretsmanager:GetSecretValue": 0.9, "secretsmanager:BatchGetSecretValue": 0.9,
        "ssm:GetParameter": 0.5, "ssm:GetParameters": 0.5, "ssm:GetParametersByPath": 0.7,
        "kms:Decrypt": 0.6, "ec2:GetPasswordData": 0.9,
        "sts:GetCallerIdentity": 0.6, "sts:GetSessionToken": 0.6, "sts:GetFederationToken": 0.7,
        "iam:Create*": 0.8, "iam:Attach*": 0.8, "iam:Put*": 0.8, "iam:Update*": 0.7, "iam:Add*": 0.7,
        "iam:Delete*": 0.6, "iam:List*": 0.3, "iam:Get*": 0.3,
        "kms:Create*": 0.6, "kms:PutKeyPolicy": 0.8, "kms:ScheduleKeyDeletion": 0.9, "kms:Disable*": 0.8,
        "cloudtrail:StopLogging": 1.0, "cloudtrail:DeleteTrail": 1.0, "cloudtrail:Update*": 0.8,
        "cloudtrail:Put*": 0.8, "logs:Delete*": 0.8, "guardduty:Delete*": 0.9, "guardduty:Update*": 0.8,
        "guardduty:Disassociate*": 0.9, "config:Stop*": 0.9, "config:Delete*": 0.9,
        "organizations:Leave*": 1.0, "ec2:CreateKeyPair": 0.6, "ec2:ImportKeyPair": 0.7,
        "ec2:ModifyInstanceAttribute": 0.6, "ec2:ModifySnapshotAttribute": 0.8,
        "ec2:AuthorizeSecurityGroupIngress": 0.5,
        "s3:PutBucketPolicy": 0.7, "s3:PutBucketAcl": 0.7, "s3:DeleteBucketPolicy": 0.6,
        "s3:PutBucketPublicAccessBlock": 0.7, "lambda:CreateFunction*": 0.6, "lambda:UpdateFunctionCode*": 0.6,
        "lambda:AddPermission*": 0.6, "ec2:RunInstances": 0.5, "ssm:SendCommand": 0.7, "ssm:StartSession": 0.7,
        "ec2-instance-connect:SendSSHPublicKey": 0.8,
        // Kubernetes (operation = verb resource[/subresource]).
        "k8s:get secrets": 0.7, "k8s:list secrets": 0.8, "k8s:watch secrets": 0.7, "k8s:create pods/exec": 0.8,
        "k8s:get pods/exec": 0.8, "k8s:create pods/attach": 0.7, "k8s:create pods/portforward": 0.6,
        "k8s:create serviceaccounts/token": 0.8, "k8s:create clusterrolebindings": 0.9,
        "k8s:update clusterrolebindings": 0.8, "k8s:patch clusterrolebindings": 0.8, "k8s:create rolebindings": 0.7,
        "k8s:create clusterroles": 0.7, "k8s:create mutatingwebhookconfigurations": 0.8,
        "k8s:create validatingwebhookconfigurations": 0.6, "k8s:create certificatesigningrequests": 0.7,
        "k8s:update certificatesigningrequests/approval": 0.8, "k8s:create selfsubjectrulesreviews": 0.5,
        // GCP (operation = methodName).
        "secretmanager:*AccessSecretVersion": 0.9, "secretmanager:*ListSecrets": 0.5,
        "iam:*CreateServiceAccountKey": 0.9, "iam:*CreateServiceAccount": 0.7, "iam:*UploadServiceAccountKey": 0.9,
        "*:*SetIamPolicy": 0.8, "*:*setIamPolicy": 0.8, "iamcredentials:*GenerateAccessToken": 0.7,
        "iamcredentials:*SignJwt": 0.7, "iamcredentials:*SignBlob": 0.6, "logging:*DeleteSink": 0.9,
        "logging:*UpdateSink": 0.7, "logging:*DeleteLog": 0.8, "cloudkms:*Decrypt": 0.6,
        "compute:*instances.setMetadata": 0.7, "compute:*projects.setCommonInstanceMetadata": 0.8,
        // Azure (ARM operations lower-cased; data-plane and Entra operations as logged).
        "keyvault:microsoft.keyvault/vaults/secrets/read": 0.8, "keyvault:SecretGet": 0.9, "keyvault:SecretList": 0.5,
        "keyvault:microsoft.keyvault/vaults/accesspolicies/write": 0.8,
        "storage:microsoft.storage/storageaccounts/listkeys/action": 0.9,
        "storage:microsoft.storage/storageaccounts/regeneratekey/action": 0.7,
        "authorization:microsoft.authorization/roleassignments/write": 0.9,
        "authorization:microsoft.authorization/roledefinitions/write": 0.8,
        "authorization:microsoft.authorization/elevateaccess/action": 1.0,
        "web:microsoft.web/sites/config/list/action": 0.8,
        "compute:microsoft.compute/virtualmachines/runcommand/action": 0.8,
        "insights:microsoft.insights/diagnosticsettings/delete": 0.9, "aadiam:Add service principal credentials": 0.9,
        "aadiam:Update application*Certificates and secrets*": 0.9, "aadiam:Add member to role": 0.9,
        "aadiam:Add app role assignment*": 0.8,
        // AI-workflow servers (operation = action).
        "workflow:validate_code": 0.9, "workflow:load_component": 0.8, "workflow:execute_code": 0.9,
    ]

    /// Every event (the known-API check is one hash lookup).
    public let interest = Interest.all
    /// Effective settings.
    public let configuration: Configuration
    private let exact: [UInt64: Double]
    /// Glob keys of the sensitivity table, sorted by pattern, and their weights (same order).
    private let globs: [Glob]
    private let globWeights: [Double]

    /// Builds the detector from its `settings:` mapping (problems go to the reader).
    public convenience init(settings: ConfigReader) { self.init(configuration: Configuration(reading: settings)) }

    /// Creates the detector.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        var exact: [UInt64: Double] = [:]
        var globs: [(Glob, Double)] = []
        for (k, v) in configuration.sensitivity {
            if k.contains("*") || k.contains("?") { globs.append((Glob(k), v)) } else { exact[Hash64.api(k)] = v }
        }
        self.exact = exact
        let sorted = globs.sorted { $0.0.pattern < $1.0.pattern }
        self.globs = sorted.map(\.0)
        self.globWeights = sorted.map(\.1)
    }

    /// Sensitivity of an API call (0…1) and whether it came from the table.
    public func sensitivity(_ e: Event, apiHash: UInt64) -> Double {
        var s = exact[apiHash] ?? -1
        if !globs.isEmpty {
            let key = e.action.key
            // Through a buffer pointer: a glob read out of the array is a copy (two retains).
            globs.withUnsafeBufferPointer { g in
                for i in g.indices where globWeights[i] > s && g[i].matches(key) { s = globWeights[i] }
            }
        }
        if e.action.service == "ssm" && e.action.operation.hasPrefix("GetParameter"),
            e.parameters["requestParameters.withDecryption"] == "true"
        {
            s = max(s, configuration.decryptedParameterSensitivity)
        }
        if s >= 0 { return s }
        return e.action.isReadOnly ? configuration.defaultReadSensitivity : configuration.defaultWriteSensitivity
    }

    /// Looks at one event.
    public func evaluate(_ e: Event, context: DetectionContext, into signals: inout [Signal]) {
        let now = e.time
        let h = Hash64.api(service: e.action.service, operation: e.action.operation)
        let p = context.baselines.profile(e.identity.key)
        if let p, p.api(h, now: now) != nil { return }
        if e.identity.key.isEmpty { return }
        let account = context.baselines.account(e.account)
        let sens = sensitivity(e, apiHash: h)
        let learning = p?.isLearning(now: now) ?? true
        if learning {
            guard sens >= configuration.learningMinSensitivity, let account, !account.isLearning(now: now) else {
                return
            }
        }
        let users = account?.identitiesUsing(h, now: now) ?? 0
        let rarity = 1.0 / Double(1 + users)
        let w = configuration.sensitivityWeight
        let score = w * sens + (1 - w) * rarity
        guard score >= configuration.minScore else { return }
        signals.append(signal(e, p, account, sens: sens, users: users, score: score, learning: learning, context))
    }

    private func severity(_ score: Double, _ base: Severity) -> Severity {
        let c = configuration
        if score >= c.highScore { return base.raised }
        if score >= c.mediumScore { return base }
        if score >= c.lowScore { return min(base, .low) }
        return .info
    }

    private func signal(
        _ e: Event, _ p: IdentityProfile?, _ account: AccountFacts?, sens: Double, users: Int, score: Double,
        learning: Bool, _ context: DetectionContext
    ) -> Signal {
        let now = e.time
        let api = e.action.key
        let who = BaselineWords.who(e)
        let accountIdentities = Int(account?.identities ?? 0)
        var text: String
        var facts = [
            Fact("api", api), Fact("sensitivity", BaselineText.decimal(sens * 100) + "%"),
            Fact("account_identities_using", String(users)), Fact("account_identities", String(accountIdentities)),
            Fact("score", BaselineText.decimal(score * 100) + "%"),
        ]
        if let p, !learning {
            let apis = p.liveCount(p.apis, now: now)
            text =
                "\(api) was never called by \(who) in \(BaselineWords.span(p, now)), which used \(apis) distinct APIs"
            facts += BaselineWords.facts(p, now) + [Fact("baseline_apis", String(apis))]
            if p.apis.overflow > 0 { text += " (its API set is full: \(p.apis.overflow) events not tracked)" }
        } else {
            let age = p.map { BaselineText.duration(now - $0.firstSeen) } ?? "0 s"
            text =
                "\(who) is a brand-new identity (first seen \(age) ago, \(p?.events ?? 0) earlier events) "
                + "calling the sensitive \(api) in an account with "
                + "\(BaselineText.days(Double(now - (account?.firstSeen ?? now)) / 86_400_000)) of baseline"
            facts.append(Fact("identity_learning", "true"))
        }
        text +=
            "; \(users) of \(accountIdentities) identities in account \(e.account) call it; "
            + "sensitivity \(BaselineText.decimal(sens * 100))%, score \(BaselineText.decimal(score * 100))%."
        if e.userAgent.family != .empty { facts.append(Fact("user_agent_family", e.userAgent.family.rawValue)) }
        return Signal(
            severity: severity(score, context.spec.severity),
            title: "\(who) called \(api) for the first time", explanation: text, facts: facts,
            mitre: Self.mitre(e), key: api, failedAttempt: !e.outcome.isSuccess, resource: api)
    }

    static func mitre(_ e: Event) -> [String] {
        let s = e.action.service
        let op = e.action.operation
        if APIClass.isSecretRead(service: s, operation: op) { return ["T1555.006", "T1078.004"] }
        if s == "sts" && op == "GetCallerIdentity" { return ["T1087.004", "T1078.004"] }
        let write = !e.action.isReadOnly
        if write && ["cloudtrail", "logs", "guardduty", "config"].contains(s) { return ["T1562.008", "T1078.004"] }
        if write && s == "iam" { return ["T1098", "T1078.004"] }
        if !write { return ["T1526", "T1078.004"] }
        return ["T1078.004"]
    }
}
