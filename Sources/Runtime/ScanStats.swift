import EventModel

/// What a scan did, for the summary line and for tests.
public struct ScanStats: Sendable {
    /// Input files read (digest files skipped are not counted).
    public var files = 0
    /// Files skipped on purpose (digests, already scanned per the state file).
    public var filesSkipped = 0
    /// Compressed bytes read.
    public var compressedBytes: Int64 = 0
    /// Bytes after decompression.
    public var decompressedBytes: Int64 = 0
    /// Records framed.
    public var records = 0
    /// Events decoded and offered to detection.
    public var events = 0
    /// Duplicate deliveries dropped.
    public var duplicates = 0
    /// Diagnostics by code.
    public var diagnostics: [String: Int] = [:]
    /// Findings by severity.
    public var findingsBySeverity: [Severity: Int] = [:]
    /// Wall time of the scan in seconds (Runtime is the only layer that reads clocks).
    public var seconds: Double = 0
    /// Events that had no identity (`decode.missing_identity`).
    public var missingIdentity = 0

    /// Creates empty stats.
    public init() {}

    /// Total findings.
    public var findings: Int { findingsBySeverity.values.reduce(0, +) }

    /// The summary printed on stderr at the end of a scan.
    public func summaryLines() -> [String] {
        let mb = Double(decompressedBytes) / 1_000_000
        let secs = max(seconds, 0.000_001)
        var lines = [
            "trailhound: scanned \(files) file(s)\(filesSkipped > 0 ? " (+\(filesSkipped) skipped)" : ""), "
                + "\(fmt(Double(compressedBytes) / 1_000_000)) MB compressed, \(fmt(mb)) MB decompressed, "
                + "\(records) records, \(events) events (\(duplicates) duplicates) in \(fmt(seconds)) s "
                + "(\(Int(Double(events) / secs)) events/s, \(fmt(mb / secs)) MB/s)"
        ]
        let diagTotal = diagnostics.values.reduce(0, +)
        let diag = diagnostics.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        lines.append("trailhound: diagnostics: \(diagTotal)" + (diag.isEmpty ? "" : " (\(diag))"))
        let sev = Severity.allCases.reversed().map { "\($0)=\(findingsBySeverity[$0, default: 0])" }
        lines.append("trailhound: findings: \(findings) (" + sev.joined(separator: " ") + ")")
        return lines
    }

    private func fmt(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) + ".0" : String(r)
    }
}
