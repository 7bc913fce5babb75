import EventModel
import Formats
import TestSupport
import Testing

/// CloudWatch Logs subscription batches: every `logEvents[].message` becomes a record.
@Suite struct CloudWatchBatchTests {
    /// A DATA_MESSAGE batch of `messages` (JSON texts, quoted here) from `logGroup`.
    func batch(_ messages: [String], logGroup: String = "aws-cloudtrail-logs", type: String = "DATA_MESSAGE")
        -> String
    {
        let events = messages.enumerated().map { i, m in
            #"{"id":"\#(i)","timestamp":1772359200000,"message":\#(KubernetesRecord.quoted(m))}"#
        }
        return #"{"messageType":"\#(type)","owner":"444455556666","logGroup":"\#(logGroup)","logStream":"s","#
            + #""subscriptionFilters":["f"],"logEvents":[\#(events.joined(separator: ","))]}"#
    }

    /// The results inside a batch (a recorded issue and [] when the record is not one).
    func results(_ json: String, sourceLocation: SourceLocation = #_sourceLocation) -> [DecodeResult] {
        guard case .batch(let list) = decode(json) else {
            Issue.record("not a batch: \(decode(json))", sourceLocation: sourceLocation)
            return []
        }
        return list
    }

    func events(_ list: [DecodeResult]) -> [Event] {
        list.compactMap { if case .event(let e) = $0 { return e } else { return nil } }
    }

    @Test("CloudTrail messages decode as CloudTrail events, in order")
    func cloudTrailMessages() {
        let list = results(
            batch([
                CloudTrailRecord.record(["eventID": #""id-1""#]),
                CloudTrailRecord.record(["eventID": #""id-2""#, "eventName": #""ListUsers""#]),
            ]))
        let got = events(list)
        #expect(got.map(\.eventId) == ["id-1", "id-2"])
        #expect(got.last?.action.operation == "ListUsers")
        #expect(got.first?.identity.key == "arn:aws:iam::111122223333:user/alice")
    }

    @Test("EKS audit messages get their cluster from logGroup and their account from owner")
    func eksAuditMessages() throws {
        let e = try #require(
            events(results(batch([KubernetesRecord.audit()], logGroup: "/aws/eks/prod-eks/cluster"))).first)
        #expect(e.provider == .kubernetes)
        #expect(e.parameter("cluster") == "prod-eks")
        #expect(e.account == "444455556666")
        #expect(e.action.operation == "get secrets")
    }

    @Test("a broken message fails alone; the others still decode")
    func brokenMessageFailsAlone() {
        let list = results(
            batch([
                CloudTrailRecord.record(["eventID": #""ok-1""#]), "{\"eventVersion\":",
                CloudTrailRecord.record(["eventID": #""ok-2""#]),
            ]))
        #expect(list.count == 3)
        #expect(events(list).map(\.eventId) == ["ok-1", "ok-2"])
        guard case .failed(let d) = list[1] else {
            Issue.record("expected a failure, got \(list[1])")
            return
        }
        #expect(d.message.contains("logEvents[1].message"))
    }

    @Test("control messages are skipped with a note; malformed batches fail with a reason")
    func controlAndMalformed() throws {
        let control = try #require(skipped(batch(["CWL CONTROL MESSAGE"], type: "CONTROL_MESSAGE")))
        #expect(control.level == .note)
        let notArray = try #require(failure(#"{"messageType":"DATA_MESSAGE","logEvents":{"a":1}}"#))
        #expect(notArray.code == DecodeCode.missingField)
        let list = results(#"{"messageType":"DATA_MESSAGE","logEvents":[{"id":"1","timestamp":1}]}"#)
        guard case .failed(let d) = list.first else {
            Issue.record("expected a failure")
            return
        }
        #expect(d.message.contains("no message"))
        let nested = results(batch([batch([CloudTrailRecord.record()])]))
        guard case .failed(let n) = nested.first else {
            Issue.record("a batch inside a message must fail")
            return
        }
        #expect(n.message.contains("batch inside"))
    }
}
