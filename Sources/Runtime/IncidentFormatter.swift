import Detection
import EventModel
import Investigation

/// Renders incidents as JSON lines (`{"type":"incident",…}`, stable key order,
/// documented in docs/usage.md) or as the text section printed before the findings.
public enum IncidentFormatter {
    /// One incident as a single-line JSON object.
    public static func json(_ i: Incident) -> String {
        var p: [String] = []
        p.append("\"type\":\"incident\"")
        p.append("\"id\":" + JSONText.quote(i.id))
        p.append("\"status\":" + JSONText.quote(i.status.rawValue))
        p.append("\"severity\":" + JSONText.quote(i.severity.description))
        p.append("\"title\":" + JSONText.quote(i.title))
        p.append("\"identity\":" + JSONText.quote(i.root))
        p.append("\"identities\":" + JSONText.array(i.identities))
        p.append("\"account\":" + JSONText.quote(i.account))
        p.append("\"first_seen\":" + JSONText.quote(Timestamp.format(i.firstSeen)))
        p.append("\"last_seen\":" + JSONText.quote(Timestamp.format(i.lastSeen)))
        p.append("\"finding_count\":\(i.findingCount)")
        p.append("\"finding_ids\":" + JSONText.array(i.findingIds))
        p.append("\"detectors\":" + JSONText.array(i.detectors))
        p.append("\"mitre\":" + JSONText.array(i.mitre))
        p.append("\"chain\":[" + i.chain.map(edge).joined(separator: ",") + "]")
        p.append("\"timeline\":[" + i.timeline.map(entry).joined(separator: ",") + "]")
        p.append("\"timeline_omitted\":\(i.timelineOmitted)")
        p.append("\"event_ids\":" + JSONText.array(i.eventIds))
        return "{" + p.joined(separator: ",") + "}"
    }

    private static func edge(_ e: ChainEdge) -> String {
        "{\"kind\":\(JSONText.quote(e.kind.rawValue)),\"from\":\(JSONText.quote(e.from)),\"to\":\(JSONText.quote(e.to)),"
            + "\"credential\":\(JSONText.quote(e.credential)),\"time\":\(JSONText.quote(Timestamp.format(e.time))),"
            + "\"event_id\":\(JSONText.quote(e.eventId))}"
    }

    private static func entry(_ t: IncidentEntry) -> String {
        "{\"time\":\(JSONText.quote(Timestamp.format(t.time))),\"kind\":\(JSONText.quote(t.kind.rawValue)),"
            + "\"severity\":\(t.severity.map { JSONText.quote($0.description) } ?? "null"),"
            + "\"identity\":\(JSONText.quote(t.identity)),\"what\":\(JSONText.quote(t.what)),"
            + "\"title\":\(JSONText.quote(t.title)),\"event_ids\":\(JSONText.array(t.eventIds))}"
    }
}
