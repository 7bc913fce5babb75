import EventModel

/// What `trailhound investigate IDENTITY` names: a canonical identity key, an
/// access key id, an assumed-role session ARN, or a short name resolved
/// against the identities seen (`role/web-app`, `web-app`, `user/alice`). The
/// rules are `IdentityQuery`'s, shared with `trailhound baseline show`.
public struct InvestigationTarget: Sendable, Hashable, CustomStringConvertible {
    /// How the text was understood.
    public typealias Kind = IdentityQuery.Kind

    /// The parsed text.
    public let query: IdentityQuery
    /// How `text` was understood.
    public var kind: Kind { query.kind }
    /// The text as given.
    public var text: String { query.text }

    /// Parses the command-line argument.
    public init(_ text: String) { query = IdentityQuery(text) }

    /// True when the event's principal is the target (before any chain is followed).
    public func matches(_ e: Event) -> Bool { query.matches(e.identity) }

    /// `text` (`kind`).
    public var description: String { query.description }
}

/// An optional event-time range, both ends inclusive (ms).
public struct TimeWindow: Sendable, Hashable {
    /// Start; nil for the beginning of the input.
    public var from: Int64?
    /// End; nil for the end of the input.
    public var to: Int64?

    /// Creates a window.
    public init(from: Int64? = nil, to: Int64? = nil) {
        self.from = from
        self.to = to
    }

    /// True when `t` is inside.
    @inline(__always) public func contains(_ t: Int64) -> Bool {
        (from.map { t >= $0 } ?? true) && (to.map { t <= $0 } ?? true)
    }

    /// True when `t` is after the end.
    @inline(__always) public func isAfter(_ t: Int64) -> Bool { to.map { t > $0 } ?? false }

    /// True when `t` is before the start.
    @inline(__always) public func isBefore(_ t: Int64) -> Bool { from.map { t < $0 } ?? false }

    /// True when `[first, last]` overlaps the window.
    public func overlaps(_ first: Int64, _ last: Int64) -> Bool {
        (from.map { last >= $0 } ?? true) && (to.map { first <= $0 } ?? true)
    }
}
