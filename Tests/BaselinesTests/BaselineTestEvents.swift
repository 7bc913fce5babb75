import Baselines
import EventModel
import Foundation
import TestSupport

let hourMs: Int64 = 3_600_000
let dayMs: Int64 = 86_400_000
/// 2024-01-01T00:00:00Z.
let t0: Int64 = 1_704_067_200_000
let acct = "111122223333"

func roleKey(_ name: String) -> String { "arn:aws:iam::\(acct):role/\(name)" }

nonisolated(unsafe) var eventCounter = 0

/// The baseline tests' defaults for `TestEvents.event` (TestSupport): role `app`, boto3, ids `e1`, `e2`, …
func ev(
    _ time: Int64, identity: String = roleKey("app"), service: String = "s3", op: String = "GetObject",
    ip: String? = "10.0.1.5", ua: UserAgentFamily = .boto3, uaVersion: String = "1.34.0", region: String = "us-east-1",
    account: String = acct, error: String = "", resources: [Resource] = [], session: String = "", instance: String = ""
) -> Event {
    eventCounter += 1
    return TestEvents.event(
        time: time,
        identity: Identity(
            key: identity, type: .assumedRole, accountId: account, sessionName: session, instanceId: instance),
        service: service, operation: op,
        source: ip.map { Source(kind: .ip, raw: $0, ips: [$0]) } ?? Source(kind: .awsService, raw: "ec2.amazonaws.com"),
        userAgent: UserAgent(raw: "x", family: ua, version: uaVersion), region: region, account: account,
        outcome: Outcome(errorCode: error), resources: resources, eventId: "e\(eventCounter)")
}

/// A typical automation role: ~20 APIs, 2 networks, one SDK, one region, a few secrets and buckets.
func automationEvents(identity: String = roleKey("app"), days: Int = 9, every: Int64 = 60_000) -> [Event] {
    let apis: [(String, String)] = (0..<20).map { i in
        (["s3", "sqs", "dynamodb", "kms", "secretsmanager"][i % 5], "Op\(i)")
    }
    var out: [Event] = []
    var t = t0
    var i = 0
    while t < t0 + Int64(days) * dayMs {
        let (s, op) = apis[i % apis.count]
        var res: [Resource] = []
        if i % 7 == 0 {
            res = [Resource(kind: .secret, id: "arn:aws:secretsmanager:us-east-1:\(acct):secret:app/\(i % 3)")]
        }
        if i % 5 == 0 { res = [Resource(kind: .bucket, id: "app-bucket-\(i % 2)")] }
        out.append(
            ev(
                t, identity: identity, service: s, op: op, ip: i % 2 == 0 ? "10.0.1.\(i % 250)" : "10.0.2.\(i % 250)",
                resources: res, session: "i-0abc\(i % 3)", instance: "i-0abc\(i % 3)"))
        t += every
        i += 1
    }
    return out
}
