import EventModel
import Foundation
import HTTPTransport
import Runtime
import Testing

@testable import Service

/// Each sink against a real receiver process on loopback over HTTPS (a CA made for the test,
/// given through the CA bundle option) that answers like Slack, PagerDuty, Splunk HEC and
/// Elasticsearch `_bulk` do, errors included; the sink is driven the way `SinkWorker` drives it
/// (deliver, store the mark, wait the returned delay), and what it sent and what the outbox mark
/// did are checked.
@Suite("Sinks against real receivers", .serialized)
struct SinkReceiverTests {
    static func finding(_ n: Int, severity: Severity = .high, mitre: [String] = ["T1562.008"]) -> Finding {
        Finding(
            detector: "cloudtrail.stop_logging", severity: severity,
            identity: "arn:aws:iam::123456789012:user/u\(n)", identityType: .iamUser, account: "123456789012",
            firstSeen: 1_700_000_000_000 + Int64(n) * 1000, lastSeen: 1_700_000_000_000 + Int64(n) * 1000,
            eventIds: ["ev-\(n)"], title: "CloudTrail logging stopped (\(n))",
            explanation: "StopLogging <b>called</b> & more", facts: [Fact("source_ip", "203.0.113.\(n)")],
            mitre: mitre, key: "trail-\(n)")
    }

    static func entries(_ range: ClosedRange<Int>, severity: Severity = .high) -> [OutboxEntry] {
        range.map { n in
            let f = finding(n, severity: severity)
            var json = FindingFormatter.json(f)
            json.insert(contentsOf: "\"seq\":\(n),", at: json.index(after: json.startIndex))
            return OutboxEntry(
                seq: Int64(n), detector: f.detector, severity: f.severity.rawValue, identity: f.identity,
                lastSeen: f.lastSeen, json: json)
        }
    }

    /// Runs `deliver` like the worker until everything is settled or `rounds` retries were made;
    /// returns the marks committed, in order.
    static func drive(_ sink: HTTPSink, _ entries: [OutboxEntry], rounds: Int = 8) -> (marks: [Int64], retries: Int) {
        var mark = SinkMark(delivered: 0)
        var marks: [Int64] = []
        var retries = 0
        while retries <= rounds {
            let pending = entries.filter { $0.seq > mark.delivered }
            if pending.isEmpty { break }
            let delay = sink.deliver(pending, mark: mark) { m in
                mark = m
                marks.append(m.delivered)
            }
            guard delay != nil else { continue }
            retries += 1
        }
        return (marks, retries)
    }

    struct Rig {
        let ca: TestCA
        let receiver: ReceiverProcess
        let transport: HTTPTransport
        let metrics = Locked(MetricValues())

        init(_ script: [String: [[String: Any]]]) throws {
            guard let ca = try TestCA.make() else { throw ReceiverFailure(message: "no openssl") }
            self.ca = ca
            receiver = try ReceiverProcess(script: script, tls: ca)
            var o = HTTPTransport.Options()
            o.caBundle = ca.caCert
            o.connectTimeout = 3
            transport = try HTTPTransport(options: o)
        }

        func sink(_ kind: WatchConfig.SinkKind, path: String, _ edit: (inout WatchConfig.Webhook) -> Void = { _ in })
            -> HTTPSink
        {
            var c = WatchConfig.Webhook(url: receiver.url(path), kind: kind)
            c.minSeverity = .info
            c.timeout = 5
            c.deadLetterPath = receiver.dir.appendingPathComponent("dead.jsonl").path
            edit(&c)
            let api: any ReceiverAPI =
                switch kind {
                case .webhook: WebhookAPI(config: c)
                case .slack: SlackAPI(config: c)
                case .pagerduty: PagerDutyAPI(config: c)
                case .splunkHEC: SplunkHECAPI(config: c)
                case .elasticsearch: ElasticsearchAPI(config: c)
                }
            return HTTPSink(config: c, api: api, transport: transport, metrics: metrics)
        }

        func stop() {
            receiver.stop()
            transport.syncShutdown()
        }
    }

    static let hasOpenSSL = FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl")

    @Test(.enabled(if: hasOpenSSL, "openssl CLI not installed: no test CA"))
    func slackGetsAReadableMessagePerHighFindingAndInvalidPayloadIsReported() throws {
        let rig = try Rig([
            "/slack": [
                ["status": 200, "body": "ok"], ["status": 400, "body": "invalid_payload"],
                ["status": 200, "body": "ok"],
            ]
        ])
        defer { rig.stop() }
        let sink = rig.sink(.slack, path: "/slack")
        var batch = Self.entries(1...3)
        batch.insert(Self.entries(4...4, severity: .low)[0], at: 1)
        batch[1].seq = 10
        batch = batch.sorted { $0.seq < $1.seq }
        let run = Self.drive(sink, batch)
        let got = rig.receiver.received
        #expect(got.count == 3, "the low finding is not posted to Slack")
        let first = try #require(
            try JSONSerialization.jsonObject(with: Data(got[0].body.utf8)) as? [String: Any])
        #expect((first["text"] as? String)?.contains("[HIGH] Finding: CloudTrail logging stopped (1)") == true)
        let blocks = try #require(first["blocks"] as? [[String: Any]])
        #expect(blocks.first?["type"] as? String == "header")
        #expect(got[0].body.contains("&lt;b&gt;called&lt;/b&gt; &amp; more"), "mrkdwn control characters escaped")
        #expect(got[1].body.contains("(2)"))
        #expect(run.marks.last == 10, "every entry settled, the rejected one included")
        #expect(rig.metrics.with { $0.sinkRejected["slack"] } == 1)
    }

    @Test(.enabled(if: hasOpenSSL, "openssl CLI not installed: no test CA"))
    func pagerDutyDedupsOnTheFindingIdRetries429AndDropsInvalidEvents() throws {
        let rig = try Rig([
            "/pd": [
                ["status": 429, "body": "{\"status\":\"throttle event\"}"],
                [
                    "status": 202,
                    "body": "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"x\"}",
                ],
                ["status": 400, "body": "{\"status\":\"invalid event\",\"message\":\"Event object is invalid\"}"],
            ]
        ])
        defer { rig.stop() }
        let sink = rig.sink(.pagerduty, path: "/pd") { $0.token = "R0UTINGKEY" }
        let batch = Self.entries(1...2)
        let run = Self.drive(sink, batch)
        let got = rig.receiver.received
        #expect(got.count == 3, "429 retried once, then one request per finding")
        #expect(run.retries == 1)
        let event = try #require(try JSONSerialization.jsonObject(with: Data(got[1].body.utf8)) as? [String: Any])
        #expect(event["routing_key"] as? String == "R0UTINGKEY")
        #expect(event["event_action"] as? String == "trigger")
        #expect(event["dedup_key"] as? String == Self.finding(1).id)
        let payload = try #require(event["payload"] as? [String: Any])
        #expect(payload["severity"] as? String == "error", "high maps to PagerDuty's error")
        #expect(got[0].body == got[1].body, "the retry sends the same event")
        #expect(run.marks == [1, 2], "the invalid event is reported and skipped, in order")
        #expect(rig.metrics.with { $0.sinkRejected["pagerduty"] } == 1)
    }

    @Test(.enabled(if: hasOpenSSL, "openssl CLI not installed: no test CA"))
    func splunkHECBatchesWithTheTokenRetriesBusyAndGivesUpOnABadToken() throws {
        let rig = try Rig([
            "/ok": [
                ["status": 503, "body": "{\"text\":\"Server is busy\",\"code\":9}"],
                ["status": 200, "body": "{\"text\":\"Success\",\"code\":0}"],
            ],
            "/bad": [["status": 403, "body": "{\"text\":\"Invalid token\",\"code\":4}"]],
        ])
        defer { rig.stop() }
        let good = rig.sink(.splunkHEC, path: "/ok") {
            $0.token = "hec-token"
            $0.batchSize = 2
            $0.format = .ocsf
        }
        let run = Self.drive(good, Self.entries(1...3))
        let got = rig.receiver.received
        #expect(got.count == 3, "503 busy retried, then batches of 2 and 1")
        #expect(got.allSatisfy { $0.headers["authorization"] == "Splunk hec-token" })
        let events = got[1].body.split(separator: "\n")
        #expect(events.count == 2)
        let first = try #require(try JSONSerialization.jsonObject(with: Data(events[0].utf8)) as? [String: Any])
        #expect(first["sourcetype"] as? String == "ocsf:detection_finding")
        #expect((first["time"] as? Double).map { abs($0 - 1_700_000_001.0) < 0.001 } == true)
        #expect((first["event"] as? [String: Any])?["class_uid"] as? Int == 2004)
        #expect(run.marks == [2, 3])
        #expect(rig.metrics.with { $0.sinkFailures["splunk_hec"] } == 1, "busy counted as a failed attempt, retried")

        let bad = rig.sink(.splunkHEC, path: "/bad") { $0.token = "wrong" }
        let refused = Self.drive(bad, Self.entries(1...2))
        #expect(refused.marks == [2], "403 invalid token: reported and given up")
        #expect(rig.metrics.with { $0.sinkRejected["splunk_hec"] } == 2)
    }

    @Test(.enabled(if: hasOpenSSL, "openssl CLI not installed: no test CA"))
    func elasticsearchRetriesOnlyRetryableBulkItemsAndReportsRejectedOnes() throws {
        let rig = try Rig([
            "/_bulk": [["bulk_items": [201, 429, 400, 201]], ["bulk_items": [201]]]
        ])
        defer { rig.stop() }
        let sink = rig.sink(.elasticsearch, path: "") {
            $0.index = "findings-test"
            $0.apiKey = "a2V5"
        }
        let run = Self.drive(sink, Self.entries(1...4))
        let got = rig.receiver.received
        #expect(got.count == 2)
        #expect(got[0].headers["authorization"] == "ApiKey a2V5")
        #expect(got[0].headers["content-type"] == "application/x-ndjson")
        let lines = got[0].body.split(separator: "\n")
        #expect(lines.count == 8, "one action and one document per finding")
        #expect(lines[0].contains("\"_index\":\"findings-test\""))
        #expect(lines[1].hasPrefix("{\"@timestamp\":\"2023-11-14T22:13:21"))
        let retried = got[1].body.split(separator: "\n")
        #expect(retried.count == 2 && retried[1].contains("\"seq\":2"), "only the 429 item is sent again")
        #expect(run.marks == [4], "the mark moves past the batch once every item is settled")
        #expect(rig.metrics.with { $0.sinkRejected["elasticsearch"] } == 1, "the 400 item is reported")
    }

    @Test(.enabled(if: hasOpenSSL, "openssl CLI not installed: no test CA"))
    func tlsDeliveryNeedsTheCABundle() async throws {
        let rig = try Rig(["/hook": [["status": 200, "body": ""]]])
        defer { rig.stop() }
        let request = HTTPTransport.Request(url: rig.receiver.url("/hook"), body: Array("{}".utf8), timeout: 5)
        let ok = try await rig.transport.send(request)
        #expect(ok.status == 200)
        let plain = try HTTPTransport(options: HTTPTransport.Options())
        defer { plain.syncShutdown() }
        switch plain.sendBlocking(request) {
        case .failure(.tls(let why)):
            #expect(TransportError.tls(why).description.contains("ca_bundle"), "the message names the option")
        case let other:
            Issue.record("expected a TLS failure without the CA, got \(other)")
        }
        #expect(rig.receiver.received.count == 1, "nothing reached the receiver without the CA")
    }

    @Test func unreachableReceiverIsNotCountedAgainstTheFinding() throws {
        let transport = try HTTPTransport(options: HTTPTransport.Options())
        defer { transport.syncShutdown() }
        var c = WatchConfig.Webhook(url: "http://127.0.0.1:9/hook")
        c.maxAttempts = 1
        let metrics = Locked(MetricValues())
        let sink = HTTPSink(config: c, api: WebhookAPI(config: c), transport: transport, metrics: metrics)
        var committed: [Int64] = []
        for _ in 0..<3 {
            let delay = sink.deliver(Self.entries(1...1), mark: SinkMark(delivered: 0)) {
                committed.append($0.delivered)
            }
            #expect(delay != nil, "the finding waits for the receiver")
        }
        #expect(committed.isEmpty, "max_attempts does not count connection failures")
        #expect(metrics.with { $0.sinkFailures["webhook"] } == 3)
    }
}

extension SinkReceiverTests {
    @Test(.enabled(if: hasOpenSSL, "openssl CLI not installed: no test CA"))
    func httpsGoesThroughTheProxyUnlessNoProxyNamesTheHost() async throws {
        let rig = try Rig(["/hook": [["status": 200, "body": "ok"]]])
        defer { rig.stop() }
        let proxy = try ReceiverProcess(script: [:], fixture: "proxy.py")
        defer { proxy.stop() }
        var o = HTTPTransport.Options.fromEnvironment([
            "HTTPS_PROXY": "http://user:secret@127.0.0.1:\(proxy.port)", "NO_PROXY": "localhost",
        ])
        o.caBundle = rig.ca.caCert
        let viaProxy = try HTTPTransport(options: o)
        defer { viaProxy.syncShutdown() }
        let request = HTTPTransport.Request(url: rig.receiver.url("/hook"), body: Array("{}".utf8), timeout: 5)
        #expect(try await viaProxy.send(request).status == 200)
        let connects = proxy.logLines
        #expect(connects.count == 1 && connects[0].hasPrefix("CONNECT 127.0.0.1:\(rig.receiver.port)"), "\(connects)")
        #expect(connects.first?.contains("Basic dXNlcjpzZWNyZXQ=") == true, "proxy credentials sent on CONNECT")

        o.noProxy = ["127.0.0.1"]
        let direct = try HTTPTransport(options: o)
        defer { direct.syncShutdown() }
        #expect(try await direct.send(request).status == 200)
        #expect(proxy.logLines.count == 1, "NO_PROXY host reached directly")
        #expect(rig.receiver.received.count == 2)
    }
}
