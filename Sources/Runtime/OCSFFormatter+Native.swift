import EventModel
import Foundation

/// A parsed native finding or incident line, read through bounded accessors (the line came from
/// our own formatter, but a finding kept in the outbox across an upgrade may lack newer keys).
struct NativeRecord {
    let obj: [String: Any]

    init(_ obj: [String: Any]) { self.obj = obj }

    var isIncident: Bool { string("type") == "incident" }

    func string(_ key: String) -> String { (obj[key] as? String).map { String($0.prefix(8192)) } ?? "" }

    func int(_ key: String) -> Int {
        (obj[key] as? Int) ?? (obj[key] as? Double).map { Int(exactly: $0.rounded()) ?? 0 } ?? 0
    }

    func strings(_ key: String) -> [String] { ((obj[key] as? [Any]) ?? []).prefix(100).compactMap { $0 as? String } }

    /// The first of `names` present in `facts` with a non-empty value.
    func fact(_ names: [String]) -> String? {
        guard let facts = obj["facts"] as? [String: Any] else { return nil }
        for n in names { if let v = facts[n] as? String, !v.isEmpty { return String(v.prefix(1024)) } }
        return nil
    }

    var firstSeen: Int64 { Timestamp.parse(string("first_seen")) ?? 0 }
    var lastSeen: Int64 { Timestamp.parse(string("last_seen")) ?? firstSeen }

    /// Incidents report their lifecycle (opened, updated, closed); a finding is created once.
    var activityID: Int {
        guard isIncident else { return 1 }
        switch string("status") {
        case "updated": return 2
        case "closed": return 3
        default: return 1
        }
    }

    /// Nothing is triaged by Trailhound itself: every record is new to the receiver.
    var statusID: Int { 1 }

    var analyticName: String {
        isIncident ? "trailhound.incident" : string("detector")
    }

    /// 2 Behavioral for detectors that compare with a learnt baseline, 1 Rule for the others,
    /// 99 Other for incidents (a correlation of findings).
    var analyticType: Int {
        if isIncident { return 99 }
        if let facts = obj["facts"] as? [String: Any], facts.keys.contains(where: { $0.hasPrefix("baseline") }) {
            return 2
        }
        return 1
    }

    var types: [String] {
        isIncident ? ["incident"] + strings("detectors").prefix(20) : [string("detector")]
    }

    var provider: String {
        let id = string("identity")
        if id.hasPrefix("arn:aws") || string("account").count == 12 && string("account").allSatisfy(\.isNumber) {
            return "AWS"
        }
        if id.contains("gserviceaccount.com") || id.hasPrefix("projects/") { return "GCP" }
        if id.hasPrefix("system:") { return "Kubernetes" }
        return "Other"
    }
}

/// ATT&CK tactics (enterprise matrix, v16) of the techniques Trailhound's detectors and the
/// common cloud rules name: the primary tactic per technique, so OCSF `attacks` carry both.
enum MitreTactics {
    /// Tactic id → name.
    static let names = [
        "TA0001": "Initial Access", "TA0002": "Execution", "TA0003": "Persistence", "TA0004": "Privilege Escalation",
        "TA0005": "Defense Evasion", "TA0006": "Credential Access", "TA0007": "Discovery",
        "TA0008": "Lateral Movement", "TA0009": "Collection", "TA0010": "Exfiltration",
        "TA0011": "Command and Control", "TA0040": "Impact", "TA0042": "Resource Development",
        "TA0043": "Reconnaissance",
    ]

    /// Base technique id → its primary tactic.
    static let primary = [
        "T1003": "TA0006", "T1005": "TA0009", "T1020": "TA0010", "T1021": "TA0008", "T1036": "TA0005",
        "T1053": "TA0002", "T1059": "TA0002", "T1069": "TA0007", "T1070": "TA0005", "T1071": "TA0011",
        "T1074": "TA0009", "T1078": "TA0001", "T1087": "TA0007", "T1098": "TA0003", "T1110": "TA0006",
        "T1119": "TA0009", "T1136": "TA0003", "T1190": "TA0001", "T1485": "TA0040", "T1486": "TA0040",
        "T1489": "TA0040", "T1490": "TA0040", "T1496": "TA0040", "T1498": "TA0040", "T1525": "TA0003",
        "T1526": "TA0007", "T1528": "TA0006", "T1530": "TA0009", "T1531": "TA0040", "T1535": "TA0005",
        "T1537": "TA0010", "T1538": "TA0007", "T1546": "TA0003", "T1548": "TA0004", "T1550": "TA0005",
        "T1552": "TA0006", "T1555": "TA0006", "T1556": "TA0006", "T1562": "TA0005", "T1565": "TA0040",
        "T1566": "TA0001", "T1578": "TA0005", "T1580": "TA0007", "T1595": "TA0043", "T1608": "TA0042",
        "T1609": "TA0002", "T1610": "TA0002", "T1611": "TA0004", "T1613": "TA0007", "T1619": "TA0007",
        "T1651": "TA0002", "T1666": "TA0005",
    ]
}
