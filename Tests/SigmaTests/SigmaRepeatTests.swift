import Baselines
import Detection
import EventModel
import Formats
import Testing

@testable import Sigma

/// A rule that fires on every event of an identity builds its wording once per dedup window: the
/// repeats fold into the first finding and come back as one follow-up with their count.
@Suite("Sigma rule repeats")
struct SigmaRepeatTests {
    static let rule = """
        title: Any assumed-role call
        id: 11111111-2222-4333-8444-555555555555
        status: test
        logsource: {product: aws, service: cloudtrail}
        detection:
            selection:
                userIdentity.type: AssumedRole
            condition: selection
        level: low
        """

    static func record(_ i: Int) -> String {
        """
        {"eventVersion":"1.08","eventTime":"2026-01-01T00:0\(i):00Z","eventSource":"s3.amazonaws.com",\
        "eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"10.0.0.1","userAgent":"aws-cli/2",\
        "userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/app/s",\
        "accountId":"111122223333","sessionContext":{"sessionIssuer":{"type":"Role",\
        "arn":"arn:aws:iam::111122223333:role/app"}}},"eventID":"e-\(i)","recipientAccountId":"111122223333"}
        """
    }

    @Test func repeatsFoldIntoOneFindingAndOneFollowUp() throws {
        let set = SigmaLoader.load(texts: [("r.yml", Self.rule)])
        let detectors = set.detectors
        let engine = DetectionEngine(detectors: detectors, baselines: BaselineStore())
        engine.observeBaselines = false
        var decoder = RecordDecoder(rawInterest: set.rawInterest)
        var findings: [Finding] = []
        for i in 0..<5 {
            var bytes = Array(Self.record(i).utf8)
            let r = bytes.withUnsafeMutableBytes {
                decoder.decode(UnsafeRawBufferPointer($0), origin: Origin(path: "t", record: i + 1))
            }
            guard case .event(let e) = r else {
                Issue.record("record \(i) did not decode: \(r)")
                return
            }
            engine.process(e) { findings.append($0) }
        }
        #expect(findings.count == 1, "repeats fold while the window is open")
        #expect(findings.first?.title.contains("performed GetObject") == true, "the first finding has full wording")
        engine.finish { findings.append($0) }
        #expect(findings.count == 2)
        let followUp = try #require(findings.last)
        #expect(followUp.title.contains("repeated 4×"), "\(followUp.title)")
        #expect(followUp.eventIds.contains("e-4"))
    }
}
