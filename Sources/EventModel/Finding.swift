/// One structured fact in a finding's explanation, e.g. `baseline_days = 9`.
/// OCSF-like: `observed` is what happened, `baseline` what was normal.
public struct Fact: Sendable, Hashable, Codable {
    /// Snake-case name.
    public var name: String
    /// Value as text.
    public var value: String

    /// Creates a fact.
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A detection result that explains itself.
public struct Finding: Sendable, Codable {
    /// Detector id, `<area>.<behaviour>`.
    public var detector: String
    /// Severity after allow-lists, failure downgrades and risk correlation.
    public var severity: Severity
    /// Canonical identity key (see `Identity.key`).
    public var identity: String
    /// Identity type.
    public var identityType: IdentityType
    /// Account / project the evidence belongs to.
    public var account: String
    /// Time of the first evidence event (ms since epoch).
    public var firstSeen: Int64
    /// Time of the last evidence event (ms since epoch).
    public var lastSeen: Int64
    /// Evidence event ids (at most 20; `count` says how many events in all).
    public var eventIds: [String]
    /// Number of events or occurrences folded into this finding.
    public var count: Int
    /// One-line title.
    public var title: String
    /// Explanation in words, with baseline facts and numbers.
    public var explanation: String
    /// The same explanation as structured fields.
    public var facts: [Fact]
    /// MITRE ATT&CK technique ids (`T1562.008`).
    public var mitre: [String]
    /// Dedup key within (detector, identity), e.g. the API or network that was new.
    public var key: String
    /// Where the first evidence event was read.
    public var origin: Origin
    /// Id of the incident the finding belongs to, when known at print time (`scan --incidents`, text output).
    public var incident: String? = nil

    /// Stable id: `f-` + 16 hex digits of an FNV-1a hash of detector, identity, key, first evidence event
    /// id and first-seen time. A pure function of the finding, so the same input gives the same id in
    /// `scan`, `watch` and after a restart; a folded follow-up has its own (its first evidence differs).
    public var id: String {
        var out = ByteWriter(capacity: 18)
        appendID(to: &out)
        return out.text
    }

    /// Appends `id`'s bytes (`f-` and 16 hex digits): the finding writer puts it in the line
    /// without making the string.
    public func appendID(to out: inout ByteWriter) {
        var h = FNV1a()
        func mix(_ part: String) {
            h.add(part)
            h.add(byte: 0x1f)
        }
        mix(detector)
        mix(identity)
        mix(key)
        mix(eventIds.first ?? "")
        mix(String(firstSeen))
        let digits: StaticString = "0123456789abcdef"
        out.append(0x66)
        out.append(0x2D)
        for shift in stride(from: 60, through: 0, by: -4) {
            out.append(digits.utf8Start[Int((h.value >> UInt64(shift)) & 0xF)])
        }
    }

    /// Max evidence ids kept.
    public static let maxEvidence = 20

    /// Creates a finding.
    public init(
        detector: String, severity: Severity, identity: String, identityType: IdentityType, account: String,
        firstSeen: Int64, lastSeen: Int64, eventIds: [String], count: Int = 1, title: String,
        explanation: String, facts: [Fact] = [], mitre: [String] = [], key: String = "",
        origin: Origin = Origin(path: "", record: 0)
    ) {
        self.detector = detector
        self.severity = severity
        self.identity = identity
        self.identityType = identityType
        self.account = account
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.eventIds = Array(eventIds.prefix(Finding.maxEvidence))
        self.count = count
        self.title = title
        self.explanation = explanation
        self.facts = facts
        self.mitre = mitre
        self.key = key
        self.origin = origin
    }
}
