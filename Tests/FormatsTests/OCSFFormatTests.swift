import EventModel
import Foundation
import TestSupport
import Testing

@testable import Formats

/// OCSF API Activity (class 6003) and Logstash-reshipped CloudTrail decode to the event the
/// original CloudTrail record gives. The OCSF records are made here from CloudTrail records with
/// the field mapping AWS publishes for Security Lake (OCSF 1.1), so every comparison can fail.
@Suite struct OCSFFormatTests {
    /// What a detector reads of an event, as one comparable text.
    static func signature(_ e: Event) -> String {
        let id = e.identity
        let params = e.parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return [
            "\(e.time)", e.eventSource, e.account, e.region, id.key, "\(id.type)", id.accessKeyId, id.sessionName,
            "\(id.mfa)", id.invokedBy, e.action.key, "\(String(describing: e.action.readOnly))", "\(e.action.category)",
            e.source.raw, e.userAgent.raw, e.outcome.errorCode, e.outcome.errorMessage, e.eventId,
            e.resources.map { "\($0.kind):\($0.id)" }.sorted().joined(separator: ","), params.joined(separator: "|"),
        ].joined(separator: "\n")
    }

    /// The OCSF 1.1 API Activity record of a CloudTrail record. `requestAsText` writes
    /// `api.request.data` as JSON text (as Parquet exports do); `keepIdentity` keeps the original
    /// `userIdentity` under `unmapped` instead of only the `actor` mapping.
    static func ocsf(_ ct: [String: Any], requestAsText: Bool, keepIdentity: Bool) throws -> String {
        let ui = ct["userIdentity"] as? [String: Any] ?? [:]
        let session = ui["sessionContext"] as? [String: Any]
        var user: [String: Any] = [:]
        user["type"] = ui["type"]
        user["uid"] = ui["arn"]
        user["uid_alt"] = ui["principalId"]
        user["name"] = ui["userName"]
        user["credential_uid"] = ui["accessKeyId"]
        if let a = ui["accountId"] { user["account"] = ["uid": a] }
        var actor: [String: Any] = ["user": user]
        actor["invoked_by"] = ui["invokedBy"]
        if let s = session {
            var sess: [String: Any] = [:]
            sess["issuer"] = (s["sessionIssuer"] as? [String: Any])?["arn"]
            if let mfa = (s["attributes"] as? [String: Any])?["mfaAuthenticated"] as? String {
                sess["is_mfa"] = mfa == "true"
            }
            actor["session"] = sess
        }
        var request: [String: Any] = [:]
        request["uid"] = ct["requestID"]
        if let p = ct["requestParameters"], !(p is NSNull) {
            request["data"] =
                requestAsText
                ? String(decoding: try JSONSerialization.data(withJSONObject: p, options: [.sortedKeys]), as: UTF8.self)
                : p
        }
        var response: [String: Any] = [:]
        response["error"] = ct["errorCode"]
        response["message"] = ct["errorMessage"]
        response["data"] = ct["responseElements"]
        let timeText = try #require(ct["eventTime"] as? String)
        let time = try #require(Timestamp.parse(timeText))
        var unmapped: [String: Any] = [:]
        for k in ["readOnly", "resources", "additionalEventData", "managementEvent", "vpcEndpointId"] {
            unmapped[k] = ct[k]
        }
        if keepIdentity { unmapped["userIdentity"] = ct["userIdentity"] }
        var cloud: [String: Any] = ["provider": "AWS"]
        cloud["region"] = ct["awsRegion"]
        if let a = ct["recipientAccountId"] { cloud["account"] = ["uid": a] }
        var metadata: [String: Any] = ["version": "1.1.0", "product": ["name": "CloudTrail", "vendor_name": "AWS"]]
        metadata["uid"] = ct["eventID"]
        metadata["event_code"] = ct["eventType"]
        metadata["log_name"] = ct["eventCategory"]
        var src: [String: Any] = [:]
        src["ip"] = ct["sourceIPAddress"]
        let record: [String: Any] = [
            "class_uid": 6003, "category_uid": 6, "activity_id": 99, "severity_id": 1, "time": time,
            "api": [
                "operation": ct["eventName"] ?? "", "service": ["name": ct["eventSource"] ?? ""],
                "request": request, "response": response,
            ],
            "actor": actor, "src_endpoint": src, "http_request": ["user_agent": ct["userAgent"] ?? ""],
            "cloud": cloud, "metadata": metadata, "unmapped": unmapped, "status": "Success",
        ]
        return String(
            decoding: try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]), as: UTF8.self)
    }

    static func corpusRecords() throws -> [[String: Any]] {
        let url = Repository.root.appendingPathComponent("corpora/cloudtrail/classic-attacks.json")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        return try #require(root["Records"] as? [[String: Any]])
    }

    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func corpusRecordsDecodeToTheSameEvents(requestAsText: Bool, keepIdentity: Bool) throws {
        var records = try Self.corpusRecords()
        for fixture in [
            CloudTrailRecord.record(), CloudTrailRecord.record(["userIdentity": CloudTrailRecord.assumedRole]),
        ] {
            records.append(try #require(try JSONSerialization.jsonObject(with: Data(fixture.utf8)) as? [String: Any]))
        }
        #expect(records.count > 10)
        for ct in records {
            // Both sides are written with sorted keys, so nested objects compare as text.
            let sorted = try JSONSerialization.data(withJSONObject: ct, options: [.sortedKeys])
            let original = String(decoding: sorted, as: UTF8.self)
            let converted = try Self.ocsf(ct, requestAsText: requestAsText, keepIdentity: keepIdentity)
            let a = try #require(event(original))
            let b = try #require(event(converted))
            #expect(Self.signature(a) == Self.signature(b), "\(ct["eventName"] ?? "?")")
        }
    }

    @Test func transcriptIsTheRawRecordForRules() throws {
        let ct = try #require(
            try JSONSerialization.jsonObject(with: Data(CloudTrailRecord.record().utf8)) as? [String: Any])
        var d = RecordDecoder()
        var interest = RawInterest()
        interest.addAll(.aws)
        d.rawInterest = interest
        let json = Array(try Self.ocsf(ct, requestAsText: true, keepIdentity: false).utf8)
        let result = json.withUnsafeBytes { d.decode($0, origin: Origin(path: "ocsf.json", record: 1)) }
        guard case .event(let e) = result else { Issue.record("expected an event, got \(result)"); return }
        let raw = String(decoding: try #require(e.raw).bytes, as: UTF8.self)
        let back = try #require(try JSONSerialization.jsonObject(with: Data(raw.utf8)) as? [String: Any])
        #expect(back["eventName"] as? String == "CreateUser")
        #expect((back["userIdentity"] as? [String: Any])?["arn"] as? String == "arn:aws:iam::111122223333:user/alice")
        #expect((back["requestParameters"] as? [String: Any])?["userName"] as? String == "mallory")
    }

    @Test func textThatIsNotAnObjectIsLeftOut() throws {
        let json =
            #"{"class_uid":6003,"time":1709294400000,"api":{"operation":"CreateUser","service":{"name":"iam.amazonaws.com"},"request":{"data":"{\"userName\": broken"}},"actor":{"user":{"type":"IAMUser","uid":"arn:aws:iam::111122223333:user/alice"}}}"#
        let e = try #require(event(json))
        #expect(e.action.key == "iam:CreateUser")
        #expect(e.identity.key == "arn:aws:iam::111122223333:user/alice")
        #expect(e.parameters.isEmpty)
    }

    @Test func missingOperationOrTimeIsReported() {
        let noOp = #"{"class_uid":6003,"time":1709294400000,"api":{"service":{"name":"iam.amazonaws.com"}}}"#
        #expect(failure(noOp)?.code == DecodeCode.missingField)
        let noTime = #"{"class_uid":6003,"api":{"operation":"X","service":{"name":"iam.amazonaws.com"}}}"#
        #expect(failure(noTime)?.code == DecodeCode.missingField)
    }

    @Test func otherClassesAreNotClaimed() {
        let auth = #"{"class_uid":3002,"time":1709294400000,"api":{"operation":"X","service":{"name":"s"}}}"#
        #expect(Array(auth.utf8).withUnsafeBytes { FormatRegistry.sniff($0) } != "ocsf-api-activity")
        let api = #"{"class_uid":6003,"time":1709294400000,"api":{"operation":"X","service":{"name":"s"}}}"#
        #expect(Array(api.utf8).withUnsafeBytes { FormatRegistry.sniff($0) } == "ocsf-api-activity")
    }

    @Test func logstashTimestampAndWrappedParameter() throws {
        let e = try #require(
            event([
                "eventTime": nil, "@timestamp": #""2024-03-01T12:00:00.000Z""#, "@version": #""1""#,
                "eventName": #""ModifyInstanceAttribute""#, "eventSource": #""ec2.amazonaws.com""#,
                "requestParameters": #"{"instanceId":"i-0abc","disableApiTermination":{"value":false}}"#,
            ]))
        #expect(e.time == 1_709_294_400_000)
        #expect(e.parameter("requestParameters.disableApiTermination") == "false")
        #expect(e.action.key == "ec2:ModifyInstanceAttribute")
    }
}
