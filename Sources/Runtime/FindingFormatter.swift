import EventModel

/// Renders findings as JSON lines (stable key order, documented in docs/usage.md)
/// or as a readable text table.
public enum FindingFormatter {
    /// The last entry of every finding's `facts`: which build produced it (a finding kept in
    /// the outbox across an upgrade keeps the version that found it).
    static let versionFact = Array(("\"trailhound_version\":" + JSONText.quote(BuildInfo.version)).utf8)

    /// One finding as a single-line JSON object, written into one buffer (a hunting rule can
    /// report thousands of findings per scan; quoting and joining fifty strings per line showed
    /// in profiles).
    public static func json(_ f: Finding) -> String {
        var out = ByteWriter(capacity: 1024 + f.explanation.utf8.count)
        write(f, into: &out)
        return out.text
    }

    /// Appends the finding's JSON line (without the newline) to `out`: `scan` writes it straight
    /// into its output buffer. The bytes are valid UTF-8 by construction (whole runs of Swift
    /// strings and ASCII), so they are not validated again.
    public static func write(_ f: Finding, into out: inout ByteWriter) {
        func key(_ k: StaticString) { JSONText.appendASCII(k, to: &out) }
        func text(_ k: StaticString, _ v: String) {
            key(k)
            JSONText.appendQuoted(v, to: &out)
        }
        key("{\"id\":\"")
        f.appendID(to: &out)
        out.append(0x22)
        text(",\"detector\":", f.detector)
        text(",\"severity\":", f.severity.description)
        text(",\"identity\":", f.identity)
        text(",\"identity_type\":", f.identityType.rawValue)
        text(",\"account\":", f.account)
        // Times and the id are plain ASCII: written between quotes, no string made.
        key(",\"first_seen\":\"")
        Timestamp.append(f.firstSeen, to: &out)
        key("\",\"last_seen\":\"")
        Timestamp.append(f.lastSeen, to: &out)
        out.append(0x22)
        key(",\"count\":")
        out.append(decimal: f.count)
        text(",\"title\":", f.title)
        text(",\"explanation\":", f.explanation)
        key(",\"facts\":{")
        for fact in f.facts {
            JSONText.appendQuoted(fact.name, to: &out)
            out.append(0x3A)
            JSONText.appendQuoted(fact.value, to: &out)
            out.append(0x2C)
        }
        out.append(versionFact)
        key("},\"mitre\":")
        JSONText.appendArray(f.mitre, to: &out)
        text(",\"key\":", f.key)
        key(",\"event_ids\":")
        JSONText.appendArray(f.eventIds, to: &out)
        key(",\"origin\":")
        f.origin.appendQuoted(to: &out)
        if let incident = f.incident { text(",\"incident\":", incident) }
        out.append(0x7D)
    }

    /// `role/web-app` for `arn:aws:iam::123:role/web-app`; other keys unchanged (bounded to 38 chars).
    public static func shortIdentity(_ key: String) -> String {
        var s = key
        if key.hasPrefix("arn:"), let last = key.split(separator: ":", maxSplits: 5).last { s = String(last) }
        return s.count > 38 ? String(s.prefix(37)) + "…" : s
    }
}
