import EventModel

/// What `trailhound investigate IDENTITY` names: a canonical identity key, an
/// access key id, an assumed-role session ARN, or a short name resolved
/// against the identities seen (`role/web-app`, `web-app`, `user/alice`).
public struct InvestigationTarget: Sendable, Hashable, CustomStringConvertible {
    /// How the text was understood.
    public enum Kind: String, Sendable, Hashable {
        /// A canonical identity key (`arn:aws:iam::A:role/R`, `arn:aws:iam::A:user/U`, `service:…`, …).
        case identity
        /// An access key id (`AKIA…` long-lived, `ASIA…` session): only that credential's calls.
        case accessKey = "access_key"
        /// An assumed-role session ARN (`arn:aws:sts::A:assumed-role/R/S`): only that session's calls.
        case session
        /// A short name matched against the end of identity keys.
        case name
    }

    /// How `text` was understood.
    public let kind: Kind
    /// The text as given.
    public let text: String

    /// Parses the command-line argument.
    public init(_ text: String) {
        self.text = text
        if text.count >= 16 && text.count <= 128 && (text.hasPrefix("AKIA") || text.hasPrefix("ASIA"))
            && text.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) })
        {
            kind = .accessKey
        } else if text.hasPrefix("arn:") && text.contains(":assumed-role/") {
            kind = .session
        } else if text.hasPrefix("arn:") || text.contains(":") {
            kind = .identity
        } else {
            kind = .name
        }
    }

    /// True when the event's principal is the target (before any chain is followed).
    public func matches(_ e: Event) -> Bool {
        switch kind {
        case .identity: return e.identity.key == text
        case .accessKey: return e.identity.accessKeyId == text
        case .session: return e.identity.arn == text
        case .name:
            let k = e.identity.key
            guard k.hasSuffix(text) else { return false }
            let cut = k.utf8.count - text.utf8.count
            if cut == 0 { return true }
            let before = k.utf8[k.utf8.index(k.utf8.startIndex, offsetBy: cut - 1)]
            return before == UInt8(ascii: "/") || before == UInt8(ascii: ":")
        }
    }

    /// `text` (`kind`).
    public var description: String { "\(text) (\(kind.rawValue))" }
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
