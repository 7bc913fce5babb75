import EventModel
import Foundation
import Testing

@testable import Runtime

/// OCSF Detection Finding output (`scan --format ocsf`, sinks' `format: ocsf`) against the class's
/// required attributes and enumerations.
///
/// Required attributes, OCSF schema 1.3.0 (events/base_event.json, events/findings/finding.json,
/// events/findings/detection_finding.json; objects/metadata.json, objects/finding_info.json,
/// objects/analytic.json, objects/attack.json): the event needs activity_id, category_uid,
/// class_uid, finding_info, metadata, severity_id, time, type_uid; metadata needs product and
/// version; finding_info needs uid (title is recommended, and required before 1.4, so always
/// written); analytic needs type_id; an attack names its technique by uid.
@Suite("OCSF Detection Finding")
struct OCSFFormatterTests {
    static let requiredEvent = [
        "activity_id", "category_uid", "class_uid", "finding_info", "metadata", "severity_id", "time", "type_uid",
    ]

    static func finding(severity: Severity = .high, mitre: [String] = ["T1562.008", "T1078.004"]) -> Finding {
        Finding(
            detector: "cloudtrail.stop_logging", severity: severity,
            identity: "arn:aws:iam::123456789012:user/alice", identityType: .iamUser, account: "123456789012",
            firstSeen: 1_700_000_000_000, lastSeen: 1_700_000_060_000, eventIds: ["ev-1", "ev-2"], count: 2,
            title: "CloudTrail logging stopped", explanation: "alice stopped the trail",
            facts: [
                Fact("source_ip", "203.0.113.9"), Fact("operation", "StopLogging"),
                Fact("service", "cloudtrail.amazonaws.com"),
            ],
            mitre: mitre, key: "trail-1")
    }

    static func object(_ f: Finding) throws -> [String: Any] {
        let line = OCSFFormatter.json(f)
        #expect(!line.contains("\n"), "one line per finding")
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func everyRequiredAttributeIsPresentWithTheClassIdentity() throws {
        let o = try Self.object(Self.finding())
        for key in Self.requiredEvent { #expect(o[key] != nil, "required \(key) missing") }
        #expect(o["class_uid"] as? Int == 2004)
        #expect(o["category_uid"] as? Int == 2)
        #expect(o["activity_id"] as? Int == 1)
        #expect(o["type_uid"] as? Int == 200401, "type_uid = class_uid * 100 + activity_id")
        #expect(o["time"] as? Int == 1_700_000_060_000, "event time in ms, never the wall clock")
        let metadata = try #require(o["metadata"] as? [String: Any])
        let version = try #require(metadata["version"] as? String)
        let parts = version.split(separator: ".").compactMap { Int($0) }
        #expect(parts.count == 3 && (parts[0] > 1 || parts[0] == 1 && parts[1] >= 3), "OCSF 1.3.0 or later")
        let product = try #require(metadata["product"] as? [String: Any])
        #expect(product["name"] as? String == "Trailhound")
        #expect(product["vendor_name"] as? String != nil)
        #expect(product["version"] as? String == BuildInfo.version)
    }

    @Test func findingInfoCarriesTheStableIdAnalyticAndAttacks() throws {
        let f = Self.finding()
        let info = try #require(try Self.object(f)["finding_info"] as? [String: Any])
        #expect(info["uid"] as? String == f.id)
        #expect(info["title"] as? String == "CloudTrail logging stopped")
        #expect(info["desc"] as? String == "alice stopped the trail")
        #expect(info["first_seen_time"] as? Int == 1_700_000_000_000)
        #expect(info["last_seen_time"] as? Int == 1_700_000_060_000)
        #expect(info["types"] as? [String] == ["cloudtrail.stop_logging"])
        let analytic = try #require(info["analytic"] as? [String: Any])
        #expect(analytic["name"] as? String == "cloudtrail.stop_logging")
        let typeID = try #require(analytic["type_id"] as? Int)
        #expect(OCSFFormatter.analyticTypes[typeID] == analytic["type"] as? String)
        let attacks = try #require(info["attacks"] as? [[String: Any]])
        #expect(attacks.count == 2)
        let first = try #require(attacks.first)
        #expect((first["technique"] as? [String: Any])?["uid"] as? String == "T1562.008")
        #expect((first["technique"] as? [String: Any])?["name"] as? String == MitreTechniques.name("T1562.008"))
        #expect((first["tactic"] as? [String: Any])?["uid"] as? String == "TA0005")
        #expect((first["tactic"] as? [String: Any])?["name"] as? String == "Defense Evasion")
        #expect(((attacks[1]["tactic"] as? [String: Any])?["uid"] as? String) == "TA0001")
    }

    @Test func evidencesNameTheActorSourceAndAPI() throws {
        let evidences = try #require(try Self.object(Self.finding())["evidences"] as? [[String: Any]])
        let e = try #require(evidences.first)
        let user = try #require((e["actor"] as? [String: Any])?["user"] as? [String: Any])
        #expect(user["uid"] as? String == "arn:aws:iam::123456789012:user/alice")
        #expect((e["src_endpoint"] as? [String: Any])?["ip"] as? String == "203.0.113.9")
        let api = try #require(e["api"] as? [String: Any])
        #expect(api["operation"] as? String == "StopLogging")
        #expect((api["service"] as? [String: Any])?["name"] as? String == "cloudtrail.amazonaws.com")
        #expect((e["data"] as? [String: Any])?["event_ids"] as? [String] == ["ev-1", "ev-2"])
    }

    @Test(arguments: [
        (Severity.info, 1, "Informational"), (.low, 2, "Low"), (.medium, 3, "Medium"), (.high, 4, "High"),
        (.critical, 5, "Critical"),
    ])
    func severityEnumeration(_ severity: Severity, _ id: Int, _ caption: String) throws {
        let o = try Self.object(Self.finding(severity: severity))
        #expect(o["severity_id"] as? Int == id)
        #expect(o["severity"] as? String == caption)
        #expect(o["is_alert"] as? Bool == (id >= 4))
    }

    @Test func enumeratedValuesAreInTheirSchemaEnumerations() throws {
        let o = try Self.object(Self.finding())
        let status = try #require(o["status_id"] as? Int)
        #expect([0, 1, 2, 3, 4, 5, 99].contains(status))
        #expect(OCSFFormatter.statusNames[status] == o["status"] as? String)
        #expect(OCSFFormatter.activityNames[o["activity_id"] as? Int ?? -1] == o["activity_name"] as? String)
        #expect(o["class_name"] as? String == "Detection Finding")
        #expect(o["category_name"] as? String == "Findings")
    }

    @Test func incidentRecordsFollowTheirLifecycleActivities() throws {
        let line =
            "{\"type\":\"incident\",\"id\":\"i-1\",\"status\":\"closed\",\"severity\":\"critical\",\"title\":\"chain\","
            + "\"identity\":\"arn:aws:iam::1:user/a\",\"first_seen\":\"2023-11-14T22:13:20Z\",\"last_seen\":\"2023-11-14T22:14:20Z\","
            + "\"detectors\":[\"a.b\",\"c.d\"],\"mitre\":[\"T1098\"],\"event_ids\":[\"e1\"]}"
        let text = try #require(OCSFFormatter.detectionFinding(json: line))
        let o = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(o["activity_id"] as? Int == 3)
        #expect(o["type_uid"] as? Int == 200403)
        let info = try #require(o["finding_info"] as? [String: Any])
        #expect(info["uid"] as? String == "i-1")
        #expect(info["types"] as? [String] == ["incident", "a.b", "c.d"])
        #expect(OCSFFormatter.detectionFinding(json: "not json") == nil)
    }
}
