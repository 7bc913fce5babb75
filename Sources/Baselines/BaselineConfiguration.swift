import EventModel

/// Settings of the baselines. A plain struct: the Runtime fills it from CLI
/// flags or the service config (it is not a detector YAML file). Durations are
/// milliseconds of event time. Every cap bounds memory whatever the input;
/// what a full set refuses is counted and shown by `baseline show`.
public struct BaselineConfiguration: Sendable, Hashable {
    /// One day in milliseconds.
    public static let day: Int64 = 86_400_000

    /// How long an identity is observed before novelty detectors alert on it.
    /// Default 7 days.
    public var learningPeriod: Int64 = 7 * day
    /// Entries (APIs, networks, user agents, regions, resources, sessions) not
    /// seen for this long are forgotten, and per-window maxima older than this
    /// fade out. Checked lazily, at most once per `sweepInterval` per identity.
    /// Default 30 days.
    public var forgetAfter: Int64 = 30 * day
    /// How often (event time) one identity's entries are checked for aging, on
    /// its next event. Default 1 day.
    public var sweepInterval: Int64 = day
    /// Length of the tumbling window behind the per-window maxima (distinct
    /// secrets read, distinct read APIs, access-denied calls), e.g. "its previous
    /// maximum was 2 per 10 min". Default 10 minutes.
    public var burstWindow: Int64 = 600_000
    /// Most identities kept; beyond it the longest-idle ones (1/16 of the cap at
    /// a time) are evicted. Default 200,000.
    public var maxIdentities = 200_000
    /// Most accounts with account-wide facts; the longest-idle are evicted. Default 10,000.
    public var maxAccounts = 10_000
    /// Most distinct APIs (`service:Operation`) per identity. Default 512.
    public var maxAPIs = 512
    /// Most source networks (IPv4 /24, IPv6 /48, "via AWS service") per identity. Default 64.
    public var maxNetworks = 64
    /// An identity with at least this many live source networks (or a full network set)
    /// churns by design (Lambda cold starts, CI runners, pods, scale-outs): a new /24 inside
    /// a network class it already uses (`NetworkClasses`) is not novel for it. Default 4, one
    /// more than `identity.new_source`'s `automation_max_networks` default, so a stable
    /// workload is still judged by /24.
    public var churnMinNetworks = 4
    /// Most user-agent families per identity. Default 16.
    public var maxUserAgents = 16
    /// Most regions per identity. Default 32.
    public var maxRegions = 32
    /// Most resources (secrets, parameters, KMS keys, buckets, roles assumed,
    /// instances whose password data was read) per identity. Default 256.
    public var maxResources = 256
    /// Most session names / instance ids per identity; the least recently seen
    /// is replaced when full (sessions are context, not novelty). Default 32.
    public var maxSessions = 32
    /// Most distinct APIs remembered per account. Default 8,192.
    public var maxAccountAPIs = 8192
    /// Most regions remembered per account. Default 64.
    public var maxAccountRegions = 64
    /// Most edges (who assumed which role) in the trust graph. Default 100,000.
    public var maxTrustEdges = 100_000
    /// Most display names kept per name table (APIs, resources, principals;
    /// a quarter of it for session names, at most 1,024 regions); names are
    /// for display only, cut to 256 bytes. Default 65,536.
    public var maxNames = 65_536

    /// How long quarantined observations (events of a suspect identity, or
    /// evidence of a finding at `quarantineSeverity` or above) wait for an
    /// analyst's `baseline accept` before they are dropped, never learned.
    /// Event time. Default 14 days.
    public var quarantinePeriod: Int64 = 14 * day
    /// An identity is *suspect* for this long after its latest finding at
    /// `quarantineSeverity` or above (an approximation of "it has an open
    /// incident"): every event it makes meanwhile is quarantined instead of
    /// learned. Event time. Default 24 hours.
    public var suspectWindow: Int64 = 24 * 3_600_000
    /// Lowest finding severity whose evidence is quarantined and which makes its
    /// identity suspect. Default medium.
    public var quarantineSeverity: Severity = .medium
    /// Most distinct quarantined observations per identity (repeats of the same
    /// call from the same network and client are folded into one, counted);
    /// beyond it new ones are dropped, unlearned, and counted. Default 1,000.
    public var maxQuarantinedPerIdentity = 1_000
    /// Most quarantined observations in total. Default 50,000.
    public var maxQuarantined = 50_000
    /// Most bytes (approximate) held by the quarantine in total. Default 32 MiB.
    public var maxQuarantineBytes = 32 << 20
    /// Most suspect identities remembered; the one whose suspicion ends first is
    /// replaced when full. Default 10,000.
    public var maxSuspects = 10_000

    /// Creates the default configuration.
    public init() {}

    /// The default configuration.
    public static let `default` = BaselineConfiguration()
}
