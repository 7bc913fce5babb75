import EventModel

/// One line of an incident's timeline: a finding or a chain step.
public struct IncidentEntry: Sendable, Hashable {
    /// What the entry is.
    public enum Kind: String, Sendable, Hashable {
        /// A finding (detector, severity, title).
        case finding
        /// A chain step (role assumed, user or key created, trust changed).
        case chain
    }

    /// Finding or chain step.
    public var kind: Kind
    /// Event time (ms): the finding's first evidence, or the chain event.
    public var time: Int64
    /// Identity the entry is about (the finding's identity, the chain step's caller).
    public var identity: String
    /// Severity of a finding; nil for chain steps.
    public var severity: Severity?
    /// Detector id of a finding, or the chain kind (`assumed_role`, …).
    public var what: String
    /// One-line text: the finding title or "assumed role X".
    public var title: String
    /// Evidence event ids (at most 5).
    public var eventIds: [String]

    /// Creates an entry.
    public init(
        kind: Kind, time: Int64, identity: String, severity: Severity?, what: String, title: String,
        eventIds: [String]
    ) {
        self.kind = kind
        self.time = time
        self.identity = identity
        self.severity = severity
        self.what = what
        self.title = title
        self.eventIds = Array(eventIds.prefix(5))
    }
}

/// Findings about one identity and the identities it chained into, within a
/// window, with an overall severity, a title and a timeline.
public struct Incident: Sendable {
    /// Stable id: `inc-` + 16 hex digits of a hash of the root identity and the first time.
    public var id: String
    /// Overall severity (the worst finding, raised one step for a chain; see `IncidentBuilder`).
    public var severity: Severity
    /// One-line title.
    public var title: String
    /// The identity the incident starts from (earliest finding that no other member chained into).
    public var root: String
    /// Every identity involved: the root first, then the others sorted.
    public var identities: [String]
    /// Account of the root's first finding.
    public var account: String
    /// Earliest evidence time (ms).
    public var firstSeen: Int64
    /// Latest evidence time (ms).
    public var lastSeen: Int64
    /// Findings grouped here.
    public var findingCount: Int
    /// Stable ids (`Finding.id`) of the findings grouped here, in time order: in streamed JSON a
    /// finding is printed before its incident exists, so the incident names its findings.
    public var findingIds: [String] = []
    /// Distinct detectors, sorted.
    public var detectors: [String]
    /// MITRE techniques of the findings, sorted.
    public var mitre: [String]
    /// Chain steps between the identities, in time order.
    public var chain: [ChainEdge]
    /// Findings and chain steps in time order (at most `IncidentBuilder.Configuration.maxTimeline`).
    public var timeline: [IncidentEntry]
    /// Timeline entries left out by the cap.
    public var timelineOmitted: Int
    /// Evidence event ids of the findings and chain steps (at most 50), in time order.
    public var eventIds: [String]
    /// Where the incident is in its life: a live service reports it when it opens, again when it
    /// changes, and once more when it closes; a scan reports each incident once, closed.
    public var status: Status = .closed

    /// Life of an incident in a live service's output.
    public enum Status: String, Sendable {
        /// First reached `minSeverity`: reported at once, not when it closes.
        case open
        /// New findings, chain steps or severity since it was last reported (same `id`).
        case updated
        /// No activity for `window` of event time, or the input ended: its final form.
        case closed
    }

    /// A digest of what a reader would see change: findings, chain steps, severity, last activity.
    public var revision: UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for v in [UInt64(findingCount), UInt64(chain.count), UInt64(severity.rawValue), UInt64(bitPattern: lastSeen)] {
            h = (h ^ v) &* 0x100_0000_01b3
        }
        return h
    }
}
