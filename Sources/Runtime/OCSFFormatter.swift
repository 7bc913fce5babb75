import EventModel
import Foundation

/// Renders a finding (or an incident record) as an OCSF Detection Finding (class 2004,
/// category 2 Findings, schema 1.3.0), the shape AWS Security Lake, Security Hub and most SIEMs
/// read. Works on the native JSON line (`FindingFormatter.json`, `IncidentFormatter.json`), so
/// `scan --format ocsf` and the sinks' `format: ocsf` give the same object from one mapping.
/// Times are event times (ms), never the wall clock: the same input gives the same output.
public enum OCSFFormatter {
    /// OCSF schema version written in `metadata.version`.
    public static let schemaVersion = "1.3.0"
    /// Detection Finding.
    public static let classUID = 2004
    /// Findings category.
    public static let categoryUID = 2

    /// One native finding or incident JSON line as an OCSF Detection Finding JSON object (one
    /// line, stable key order); nil when the line is not a JSON object.
    public static func detectionFinding(json line: String) -> String? {
        guard let data = line.data(using: .utf8),
            let obj = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else { return nil }
        return render(NativeRecord(obj))
    }

    /// `scan --format ocsf`: one finding as a Detection Finding.
    public static func json(_ f: Finding) -> String {
        detectionFinding(json: FindingFormatter.json(f)) ?? "{}"
    }

    private static func render(_ r: NativeRecord) -> String {
        let activity = r.activityID
        let severity = severityID(r.string("severity"))
        var p: [String] = []
        p.append("\"class_uid\":\(classUID)")
        p.append("\"class_name\":\"Detection Finding\"")
        p.append("\"category_uid\":\(categoryUID)")
        p.append("\"category_name\":\"Findings\"")
        p.append("\"activity_id\":\(activity)")
        p.append("\"activity_name\":" + JSONText.quote(activityNames[activity] ?? "Create"))
        p.append("\"type_uid\":\(classUID * 100 + activity)")
        p.append("\"type_name\":" + JSONText.quote("Detection Finding: " + (activityNames[activity] ?? "Create")))
        p.append("\"severity_id\":\(severity)")
        p.append("\"severity\":" + JSONText.quote(severityNames[severity] ?? "Unknown"))
        p.append("\"status_id\":\(r.statusID)")
        p.append("\"status\":" + JSONText.quote(statusNames[r.statusID] ?? "New"))
        p.append("\"time\":\(r.lastSeen)")
        p.append("\"is_alert\":\(severity >= 4)")
        p.append("\"message\":" + JSONText.quote(r.string("title")))
        p.append("\"finding_info\":" + findingInfo(r))
        let evidence = evidences(r)
        if !evidence.isEmpty { p.append("\"evidences\":[" + evidence + "]") }
        if !r.string("account").isEmpty {
            p.append(
                "\"cloud\":{\"account\":{\"uid\":" + JSONText.quote(r.string("account")) + "},\"provider\":"
                    + JSONText.quote(r.provider) + "}")
        }
        p.append("\"metadata\":" + metadata)
        return "{" + p.joined(separator: ",") + "}"
    }

    private static func findingInfo(_ r: NativeRecord) -> String {
        var p: [String] = []
        p.append("\"uid\":" + JSONText.quote(r.string("id")))
        p.append("\"title\":" + JSONText.quote(r.string("title")))
        let desc = r.string("explanation")
        if !desc.isEmpty { p.append("\"desc\":" + JSONText.quote(desc)) }
        p.append(
            "\"analytic\":{\"name\":" + JSONText.quote(r.analyticName) + ",\"uid\":" + JSONText.quote(r.analyticName)
                + ",\"type_id\":\(r.analyticType),\"type\":" + JSONText.quote(analyticTypes[r.analyticType] ?? "Other")
                + "}")
        p.append("\"first_seen_time\":\(r.firstSeen)")
        p.append("\"last_seen_time\":\(r.lastSeen)")
        p.append("\"types\":" + JSONText.array(r.types))
        let attacks = r.strings("mitre").compactMap(attack)
        if !attacks.isEmpty { p.append("\"attacks\":[" + attacks.joined(separator: ",") + "]") }
        let events = r.strings("event_ids")
        if !events.isEmpty {
            p.append(
                "\"related_events\":[" + events.map { "{\"uid\":" + JSONText.quote($0) + "}" }.joined(separator: ",")
                    + "]")
            p.append("\"related_events_count\":\(max(r.int("count"), events.count))")
        }
        return "{" + p.joined(separator: ",") + "}"
    }

    /// One evidence object: who (actor.user), from where (src_endpoint.ip), what (api), which events.
    private static func evidences(_ r: NativeRecord) -> String {
        var p: [String] = []
        let identity = r.string("identity")
        if !identity.isEmpty {
            var user =
                "\"name\":" + JSONText.quote(FindingFormatter.shortIdentity(identity)) + ",\"uid\":"
                + JSONText.quote(identity)
            let kind = r.string("identity_type")
            if !kind.isEmpty { user += ",\"type\":" + JSONText.quote(kind) }
            p.append("\"actor\":{\"user\":{" + user + "}}")
        }
        if let ip = r.fact(["source_ip", "observed_ip", "ip", "client_ip"]) {
            p.append("\"src_endpoint\":{\"ip\":" + JSONText.quote(ip) + "}")
        }
        if let op = r.fact(["operation", "event_name", "api", "action"]) {
            var api = "\"operation\":" + JSONText.quote(op)
            if let svc = r.fact(["service", "event_source"]) {
                api += ",\"service\":{\"name\":" + JSONText.quote(svc) + "}"
            }
            p.append("\"api\":{" + api + "}")
        }
        let events = r.strings("event_ids")
        if !events.isEmpty { p.append("\"data\":{\"event_ids\":" + JSONText.array(events) + "}") }
        return p.isEmpty ? "" : "{" + p.joined(separator: ",") + "}"
    }

    /// `{"technique":{uid,name},"tactic":{uid,name},"version":…}` for an ATT&CK technique id.
    private static func attack(_ technique: String) -> String? {
        guard technique.hasPrefix("T"), technique.count <= 16 else { return nil }
        var s = "{\"technique\":{\"uid\":" + JSONText.quote(technique)
        let name = MitreTechniques.name(technique)
        if !name.isEmpty { s += ",\"name\":" + JSONText.quote(name) }
        s += "}"
        let base = String(technique.prefix { $0 != "." })
        if let tactic = MitreTactics.primary[base], let tacticName = MitreTactics.names[tactic] {
            s += ",\"tactic\":{\"uid\":" + JSONText.quote(tactic) + ",\"name\":" + JSONText.quote(tacticName) + "}"
        }
        return s + ",\"version\":\"16.1\"}"
    }

    private static let metadata =
        "{\"version\":" + JSONText.quote(schemaVersion) + ",\"product\":{\"name\":\"Trailhound\",\"vendor_name\":"
        + "\"Trailhound\",\"version\":" + JSONText.quote(BuildInfo.version) + "}}"

    /// Trailhound severity → OCSF `severity_id` (1 Informational … 5 Critical).
    public static func severityID(_ severity: String) -> Int {
        switch severity {
        case "info": 1
        case "low": 2
        case "medium": 3
        case "high": 4
        case "critical": 5
        default: 0
        }
    }

    /// `activity_id` captions (finding class).
    public static let activityNames = [0: "Unknown", 1: "Create", 2: "Update", 3: "Close", 99: "Other"]
    /// `severity_id` captions (base event).
    public static let severityNames = [
        0: "Unknown", 1: "Informational", 2: "Low", 3: "Medium", 4: "High", 5: "Critical", 6: "Fatal", 99: "Other",
    ]
    /// `status_id` captions (finding class).
    public static let statusNames = [
        0: "Unknown", 1: "New", 2: "In Progress", 3: "Suppressed", 4: "Resolved", 5: "Archived", 99: "Other",
    ]
    /// `analytic.type_id` captions.
    public static let analyticTypes = [
        0: "Unknown", 1: "Rule", 2: "Behavioral", 3: "Statistical", 4: "Learning (ML/DL)", 5: "Fingerprinting",
        6: "Tagging", 7: "Keyword Match", 8: "Regular Expressions", 9: "Exact Data Match", 10: "Partial Data Match",
        11: "Indexed Data Match", 99: "Other",
    ]
}
