import EventModel

/// The answer to "what did this identity do, and what must we undo?": built by
/// `Investigator.finish`, rendered by `ReportJSON`, `ReportMarkdown` and
/// `ReportHTML`. Every list is sorted deterministically and capped; the
/// `…Omitted` counts say how much was left out.
public struct InvestigationReport: Sendable {
    /// JSON schema name.
    public static let schema = "trailhound.investigation/v1"

    /// Overall reading of the evidence.
    public enum Verdict: String, Sendable, Comparable {
        /// Nothing out of the ordinary.
        case quiet
        /// Something new or flagged, but no strong sign of compromise.
        case suspicious
        /// Stolen credentials, planted persistence, or high-severity findings.
        case compromised

        public static func < (a: Verdict, b: Verdict) -> Bool { a.rank < b.rank }
        var rank: Int { self == .quiet ? 0 : self == .suspicious ? 1 : 2 }
    }

    /// The identity as asked.
    public var target: InvestigationTarget
    /// Canonical key it resolved to (empty when no event matched).
    public var rootIdentity: String
    /// The time window investigated.
    public var window: TimeWindow
    /// Verdict and the reasons for it, most important first.
    public var verdict: Verdict
    /// Reasons for the verdict.
    public var reasons: [String]
    /// Counters over the input.
    public var input: InputCounts
    /// Identities investigated: the target, then those it chained into (by depth, then key).
    public var principals: [PrincipalReport]
    /// Credentials (access keys and sessions) used in the window.
    public var credentials: [CredentialReport]
    /// Credentials left out by the cap.
    public var credentialsOmitted: Int
    /// Data read: secrets, parameters, KMS keys, buckets, objects, Kubernetes secrets.
    public var reads: [ReadReport]
    /// Reads left out by the caps, by resource kind.
    public var readsOmitted: [String: Int]
    /// Chain edges between the identities (the trust chain), in time order.
    public var chain: [ChainEdge]
    /// Persistence created or changed by the identities.
    public var persistence: [ArtifactReport]
    /// Artifacts left out by the cap.
    public var persistenceOmitted: Int
    /// Other identities that used what the chain created or opened.
    public var adjacent: [AdjacentReport]
    /// Adjacent uses left out by the cap.
    public var adjacentOmitted: Int
    /// What to do, most urgent first.
    public var remediation: [RemediationAction]
    /// Events per time bucket by category, with findings marked.
    public var activity: ActivityReport
    /// Findings from the detectors about these identities in the window, most severe first.
    public var findings: [FindingSummary]
    /// Findings left out by the cap.
    public var findingsOmitted: Int
    /// Caveats: caps hit, missing baselines, unresolved names.
    public var notes: [String]
}

/// Counters over the input.
public struct InputCounts: Sendable, Hashable {
    /// Events read (after duplicate removal).
    public var events = 0
    /// Events attributed to the investigated identities inside the window.
    public var matched = 0
    /// Events before the window (the "before" baseline).
    public var before = 0
    /// Events after the window (read for removals and later use only).
    public var after = 0
    /// Identities known to the "before" baseline.
    public var baselineIdentities = 0

    /// Zero counters.
    public init() {}
}

/// One identity of the investigation.
public struct PrincipalReport: Sendable {
    /// Canonical key.
    public var identity: String
    /// Identity type of its events.
    public var type: IdentityType
    /// Chain depth: 0 for the target, 1 for what it assumed or created, ….
    public var depth: Int
    /// How it was reached: the first chain edge into it (nil for the target).
    public var via: ChainEdge?
    /// Only calls with these credentials count (a role session the chain opened); empty: all calls.
    public var scopeCredentials: [String]
    /// Calls in the window.
    public var events: Int
    /// Calls that failed.
    public var errors: Int
    /// Calls denied.
    public var denied: Int
    /// First call in the window (ms; 0 when none).
    public var firstSeen: Int64
    /// Last call in the window (ms; 0 when none).
    public var lastSeen: Int64
    /// Days of history the "before" baseline has for it (nil when none).
    public var baselineDays: Int?
    /// APIs called, most used first.
    public var apis: [APIUse]
    /// APIs left out by the cap.
    public var apisOmitted: Int
    /// Regions with calls, by count.
    public var regions: [NameCount]
}

/// One API of one identity.
public struct APIUse: Sendable, Hashable {
    /// `service:Operation`.
    public var api: String
    /// Calls.
    public var count: Int
    /// Failed calls.
    public var errors: Int
    /// First call (ms).
    public var firstSeen: Int64
    /// True when the identity never called it before the window; nil when it has no baseline.
    public var firstTime: Bool?
}

/// A name with a count.
public struct NameCount: Sendable, Hashable {
    /// Name.
    public var name: String
    /// Count.
    public var count: Int
}

/// Where and how one credential was used.
public struct CredentialReport: Sendable {
    /// Access key id; empty for calls without one (console sign-in, service calls).
    public var accessKeyId: String
    /// Long-lived, session or none.
    public var keyKind: KeyKind
    /// Identity it belongs to.
    public var identity: String
    /// Session names seen (role sessions), at most 4.
    public var sessionNames: [String]
    /// Instance id for instance-profile sessions.
    public var instanceId: String
    /// First use in the window (ms).
    public var firstSeen: Int64
    /// Last use in the window (ms).
    public var lastSeen: Int64
    /// Calls.
    public var events: Int
    /// Source addresses, most used first.
    public var sources: [SourceUse]
    /// Source addresses left out.
    public var sourcesOmitted: Int
    /// User agents, most used first.
    public var userAgents: [AgentUse]
    /// User agents left out.
    public var userAgentsOmitted: Int
    /// What the evidence says about it (see `CredentialVerdict`).
    public var verdict: CredentialVerdict
    /// Why.
    public var reasons: [String]
}

/// One source address of a credential.
public struct SourceUse: Sendable, Hashable {
    /// IP address or AWS service name.
    public var source: String
    /// Network (`203.0.113.0/24`, `via AWS service`).
    public var network: String
    /// Calls.
    public var count: Int
    /// First call (ms).
    public var firstSeen: Int64
    /// Last call (ms).
    public var lastSeen: Int64
    /// True when the identity's baseline does not know the network; nil without a baseline.
    public var newNetwork: Bool?
}

/// One user agent of a credential.
public struct AgentUse: Sendable, Hashable {
    /// Raw user agent (cut to 160 characters).
    public var userAgent: String
    /// Normalized family.
    public var family: UserAgentFamily
    /// Calls.
    public var count: Int
    /// True when the identity's baseline does not know the family; nil without a baseline.
    public var newFamily: Bool?
}

/// One resource read.
public struct ReadReport: Sendable, Hashable {
    /// Kind: secret, parameter, kms_key, bucket, object, k8s_secret, instance (password data).
    public var kind: ResourceKind
    /// Identifier as logged.
    public var resource: String
    /// Identity that read it.
    public var identity: String
    /// Successful reads.
    public var count: Int
    /// Denied attempts.
    public var denied: Int
    /// First read or attempt (ms).
    public var firstSeen: Int64
    /// Last read or attempt (ms).
    public var lastSeen: Int64
    /// APIs used, sorted.
    public var apis: [String]
    /// True when the identity never read it before the window; nil without a baseline.
    /// Objects are judged by their bucket (baselines do not keep object keys).
    public var firstTime: Bool?
    /// True when an AWS service read it on the identity's behalf (e.g. KMS Decrypt by Secrets Manager).
    public var viaService: Bool
    /// For a parameter: its type as last written in the logs (`PutParameter`), "" when not seen.
    public var parameterType: String = ""
    /// For a `SecureString` parameter: its KMS key as last written in the logs, "" when not seen.
    public var parameterKeyId: String = ""
}

/// One persistence artifact.
public struct ArtifactReport: Sendable, Hashable {
    /// Kind.
    public var kind: ArtifactKind
    /// Identifier.
    public var id: String
    /// User, role or function it hangs on.
    public var owner: String
    /// Detail (policy attached, principals trusted, …).
    public var detail: String
    /// Identity that created or changed it.
    public var createdBy: String
    /// API call.
    public var api: String
    /// When (ms).
    public var time: Int64
    /// Evidence event id.
    public var eventId: String
    /// `active`, `removed`, `deactivated`, `replaced`.
    public var status: String
    /// The call that changed the status (empty when active).
    public var changedBy: String
    /// When the status changed (ms; 0 when active).
    public var changedAt: Int64
    /// Evidence of the status change.
    public var changeEventId: String
    /// For a rewritten trust policy: the last policy the logs show before the rewrite
    /// (`CreateRole` or `UpdateAssumeRolePolicy`, by anyone); nil when the logs hold none.
    public var previous: TrustBefore? = nil
}

/// A role's trust policy as logged before it was rewritten.
public struct TrustBefore: Sendable, Hashable {
    /// The policy document on one line.
    public var document: String
    /// When it was set (ms).
    public var time: Int64
    /// Evidence.
    public var eventId: String
}

/// Another identity (or a later use) of something the chain created or opened.
public struct AdjacentReport: Sendable, Hashable {
    /// What was used: an access key id, a user ARN, a role ARN whose trust changed.
    public var artifact: String
    /// `created_access_key`, `created_user`, `changed_trust`.
    public var relation: String
    /// Identity that used it.
    public var usedBy: String
    /// Credential used.
    public var credential: String
    /// Calls.
    public var count: Int
    /// First use (ms).
    public var firstSeen: Int64
    /// Last use (ms).
    public var lastSeen: Int64
    /// Source addresses (at most 4).
    public var sources: [String]
    /// True when some use was after the window.
    public var afterWindow: Bool
}

/// One thing to do.
public struct RemediationAction: Sendable, Hashable {
    /// 1 = first.
    public var order: Int
    /// How bad leaving it is.
    public var risk: Severity
    /// Imperative sentence: "Deactivate access key AKIA… of user/x".
    public var action: String
    /// The resource acted on.
    public var target: String
    /// Why.
    public var reason: String
    /// AWS CLI commands to run (never executed by trailhound).
    public var commands: [String]
}

/// Activity over time.
public struct ActivityReport: Sendable, Hashable {
    /// Categories, in drawing order.
    public static let categories = ["data_read", "discovery", "change", "auth", "denied"]
    /// Bucket width in hours.
    public var bucketHours: Int
    /// Buckets from the first to the last activity (empty when no activity).
    public var buckets: [ActivityBucket]
    /// Findings to mark on the chart.
    public var markers: [ActivityMarker]
}

/// Events in one time bucket.
public struct ActivityBucket: Sendable, Hashable {
    /// Bucket start (ms).
    public var start: Int64
    /// Counts per category (same order as `ActivityReport.categories`).
    public var counts: [Int]
}

/// A finding on the chart.
public struct ActivityMarker: Sendable, Hashable {
    /// Time (ms).
    public var time: Int64
    /// Severity.
    public var severity: Severity
    /// Detector id.
    public var detector: String
}

/// A finding, shortened for the report.
public struct FindingSummary: Sendable, Hashable {
    /// Detector id.
    public var detector: String
    /// Severity.
    public var severity: Severity
    /// Identity.
    public var identity: String
    /// First evidence (ms).
    public var firstSeen: Int64
    /// Last evidence (ms).
    public var lastSeen: Int64
    /// Events folded in.
    public var count: Int
    /// Title.
    public var title: String
    /// Explanation.
    public var explanation: String
    /// MITRE ids.
    public var mitre: [String]
    /// Evidence event ids.
    public var eventIds: [String]
}
