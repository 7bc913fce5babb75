import EventModel

/// The settings every detector YAML file has, besides its own `settings:`.
public struct DetectorSpec: Sendable {
    /// Detector id (must name a registered detector).
    public var id: String
    /// Config format version; only `1` exists.
    public var version: Int
    /// File the spec was read from.
    public var file: String
    /// When false the detector is not run.
    public var enabled: Bool
    /// Severity of a successful occurrence.
    public var severity: Severity
    /// Severity when the evidence is a failed attempt (AccessDenied etc.).
    public var failedSeverity: Severity
    /// Repeated findings for the same identity inside this window (whatever their key) are
    /// folded into the first, with a count and the other keys (milliseconds).
    public var dedupWindow: Int64
    /// Structured exceptions.
    public var allowlist: [AllowEntry]

    /// Creates a spec with defaults.
    public init(
        id: String, version: Int = 1, file: String = "", enabled: Bool = true, severity: Severity,
        failedSeverity: Severity = .low, dedupWindow: Int64 = 3_600_000, allowlist: [AllowEntry] = []
    ) {
        self.id = id
        self.version = version
        self.file = file
        self.enabled = enabled
        self.severity = severity
        self.failedSeverity = failedSeverity
        self.dedupWindow = dedupWindow
        self.allowlist = allowlist
    }
}

/// One allow-list entry: every field that is set must match; `reason` is
/// required; after `expires` the entry no longer applies (by event time).
public struct AllowEntry: Sendable, Hashable {
    /// Glob over the identity key (`arn:aws:iam::*:role/terraform-*`).
    public var identity: String?
    /// Glob over the account id.
    public var account: String?
    /// CIDR (`10.0.0.0/8`) or glob over the raw source (`*.amazonaws.com`).
    public var source: String?
    /// Exact user-agent family (`terraform`).
    public var userAgentFamily: String?
    /// Glob over the operation (`Put*Policy`).
    public var operation: String?
    /// Glob over the signal's resource.
    public var resource: String?
    /// Glob over the signal's dedup key.
    public var key: String?
    /// Why this exception exists (required; shown by `detectors explain`).
    public var reason: String
    /// Event time after which the entry stops applying (ms), nil for never.
    public var expires: Int64?
    /// Config line, for reporting.
    public var line: Int

    /// Creates an entry.
    public init(
        identity: String? = nil, account: String? = nil, source: String? = nil, userAgentFamily: String? = nil,
        operation: String? = nil, resource: String? = nil, key: String? = nil, reason: String,
        expires: Int64? = nil, line: Int = 0
    ) {
        self.identity = identity
        self.account = account
        self.source = source
        self.userAgentFamily = userAgentFamily
        self.operation = operation
        self.resource = resource
        self.key = key
        self.reason = reason
        self.expires = expires
        self.line = line
    }
}
