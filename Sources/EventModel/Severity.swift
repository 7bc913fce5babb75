/// How urgent a finding is. Ordered: `info < low < medium < high < critical`.
public enum Severity: Int, Sendable, Comparable, CaseIterable, Codable, CustomStringConvertible {
    /// Context only; never raised alone by default detectors.
    case info = 0
    /// Worth a look when correlated with something else.
    case low = 1
    /// Suspicious on its own; triage within a day.
    case medium = 2
    /// Likely malicious; triage now.
    case high = 3
    /// Active compromise or loss of visibility.
    case critical = 4

    /// Lower-case name used in config, JSON and text output.
    public var description: String {
        switch self {
        case .info: "info"
        case .low: "low"
        case .medium: "medium"
        case .high: "high"
        case .critical: "critical"
        }
    }

    /// Parses the lower-case name (`"high"`); nil for anything else.
    public init?(name: String) {
        guard let s = Severity.allCases.first(where: { $0.description == name.lowercased() }) else { return nil }
        self = s
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }

    /// One step up, saturating at `.critical`.
    public var raised: Severity { Severity(rawValue: min(rawValue + 1, 4))! }
    /// One step down, saturating at `.info`.
    public var lowered: Severity { Severity(rawValue: max(rawValue - 1, 0))! }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        let s = try c.decode(String.self)
        guard let v = Severity(name: s) else {
            throw DecodingError.dataCorruptedError(in: c, debugDescription: "unknown severity \(s)")
        }
        self = v
    }
}
