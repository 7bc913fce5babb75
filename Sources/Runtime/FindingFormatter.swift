import EventModel

/// Renders findings as JSON lines (stable key order, documented in docs/usage.md)
/// or as a readable text table.
public enum FindingFormatter {
    /// The last entry of every finding's `facts`: which build produced it (a finding kept in
    /// the outbox across an upgrade keeps the version that found it).
    static let versionFact = "\"trailhound_version\":" + JSONText.quote(BuildInfo.version)

    /// One finding as a single-line JSON object.
    public static func json(_ f: Finding) -> String {
        var parts: [String] = []
        parts.reserveCapacity(16)
        parts.append("\"id\":" + JSONText.quote(f.id))
        parts.append("\"detector\":" + JSONText.quote(f.detector))
        parts.append("\"severity\":" + JSONText.quote(f.severity.description))
        parts.append("\"identity\":" + JSONText.quote(f.identity))
        parts.append("\"identity_type\":" + JSONText.quote(f.identityType.rawValue))
        parts.append("\"account\":" + JSONText.quote(f.account))
        parts.append("\"first_seen\":" + JSONText.quote(Timestamp.format(f.firstSeen)))
        parts.append("\"last_seen\":" + JSONText.quote(Timestamp.format(f.lastSeen)))
        parts.append("\"count\":\(f.count)")
        parts.append("\"title\":" + JSONText.quote(f.title))
        parts.append("\"explanation\":" + JSONText.quote(f.explanation))
        var facts = f.facts.map { JSONText.quote($0.name) + ":" + JSONText.quote($0.value) }
        facts.append(versionFact)
        parts.append("\"facts\":{" + facts.joined(separator: ",") + "}")
        parts.append("\"mitre\":" + JSONText.array(f.mitre))
        parts.append("\"key\":" + JSONText.quote(f.key))
        parts.append("\"event_ids\":" + JSONText.array(f.eventIds))
        parts.append("\"origin\":" + JSONText.quote(f.origin.description))
        if let incident = f.incident { parts.append("\"incident\":" + JSONText.quote(incident)) }
        return "{" + parts.joined(separator: ",") + "}"
    }

    /// `role/web-app` for `arn:aws:iam::123:role/web-app`; other keys unchanged (bounded to 38 chars).
    public static func shortIdentity(_ key: String) -> String {
        var s = key
        if key.hasPrefix("arn:"), let last = key.split(separator: ":", maxSplits: 5).last { s = String(last) }
        return s.count > 38 ? String(s.prefix(37)) + "…" : s
    }
}
