import AWS
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `watch --sqs` against a real moto server: S3 notifications (sent by S3 itself, and the SNS,
/// EventBridge and CloudTrail shapes sent by hand), findings compared with `scan` of the same
/// files on disk, a kill -9 during consumption, and messages that cannot be honoured.
@Suite(
    "watch --sqs against moto", .serialized, .timeLimit(.minutes(5)),
    .enabled(if: MotoServer.unavailableReason == nil, "\(MotoServer.unavailableReason ?? "")"))
struct SQSWatchTests {
    static let prefix = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/01/"

    /// Key of delivery file `i` (CloudTrail's naming, minutes apart).
    static func key(_ i: Int, _ suffix: String = "") -> String {
        prefix
            + String(
                format: "111122223333_CloudTrail_us-east-1_20260301T%02d%02dZ_f\(i)\(suffix).json.gz", 10 + i / 60,
                i % 60)
    }

    /// Records of file `i`: background reads and one StopLogging by an identity of its own.
    static func records(_ i: Int, benign: Int = 20) -> [String] {
        (0..<benign).map { Events.benign("f\(i)-b\($0)", user: "svc\($0 % 5)", second: i * 60 + $0) }
            + [Events.stopLogging("f\(i)-stop", second: i * 60 + 30)]
    }

    /// Findings of a JSON-lines file, canonical, origins reduced to `key:#n`, sorted.
    static func findings(_ text: String, strip: String) -> [String] {
        WatchProcess.parse(text).map { f -> String in
            var f = f
            if let o = f["origin"] as? String { f["origin"] = o.replacingOccurrences(of: strip, with: "") }
            return WatchE2E.canonical(f)
        }.sorted()
    }

    /// `scan` of the local copies, findings reduced as above.
    static func scanned(_ fx: SQSFixture) async throws -> [String] {
        let root = fx.dir.appendingPathComponent("AWSLogs").path
        let (status, out, err) = try await runTrailhound(
            ["scan", root, "--detectors", "detectors", "--quiet", "--no-progress"], dir: fx.dir)
        #expect(status == 0, "\(err)")
        return findings(out, strip: fx.dir.path + "/")
    }

    /// A service config reading the fixture's queue (short polls and visibility, for tests).
    static func config(_ fx: SQSFixture, visibility: Int) throws -> URL {
        let url = fx.dir.appendingPathComponent("watch.yaml")
        let text = """
            version: 1
            state: state.db
            detectors: \(WatchProcess.root.appendingPathComponent("detectors").path)
            inputs:
              - kind: sqs
                url: \(fx.queue.queueURL)
                endpoint_url: \(fx.moto.endpoint)
                region: us-east-1
                wait_seconds: 1
                visibility_timeout: \(visibility)
            sinks:
              stdout: false
              file:
                path: findings.jsonl

            """
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func everyNotificationShapeGivesTheFindingsOfAScan() async throws {
        let dir = try tempDir()
        let fx = try await SQSFixture(dir: dir)
        // Objects announced by hand-sent messages, uploaded before S3 notifications are wired.
        for i in 2..<7 { try await fx.deliver(Self.records(i), key: Self.key(i)) }
        try await fx.wireNotifications()  // S3 sends its s3:TestEvent now
        for i in 0..<2 { try await fx.deliver(Self.records(i), key: Self.key(i, i == 1 ? " copy" : "")) }
        try await fx.queue.send(fx.body(.snsWrapped, [Self.key(2)]))
        try await fx.queue.send(fx.body(.eventBridge, [Self.key(3)]))
        try await fx.queue.send(fx.body(.cloudTrail, [Self.key(4), Self.key(5)]))
        try await fx.queue.send(fx.body(.s3Event, [Self.key(6)]))
        try await fx.queue.send(fx.body(.s3Event, [Self.key(2)]))  // a repeat: its events are dropped
        let config = try Self.config(fx, visibility: 30)
        let p = try WatchProcess(
            ["watch", "--config", config.path, "--exit-when-idle"], dir: dir, env: fx.env, tag: "shapes")
        #expect(await p.waitForExit(timeout: 120) == 0, "\(p.stderr)")
        #expect(p.stderr.contains("1 queue(s)"), "\(p.stderr)")
        let watched = Self.findings(
            WatchE2E.lines(dir.appendingPathComponent("findings.jsonl")).joined(separator: "\n"),
            strip: "s3://\(fx.bucket)/")
        let expected = try await Self.scanned(fx)
        #expect(expected.count == 7, "one StopLogging finding per file")
        #expect(watched == expected)
        #expect(try await fx.remaining() == 0, "every message (the test event too) deleted")
    }

    @Test func killNineDuringConsumptionLosesNoObject() async throws {
        let dir = try tempDir()
        let fx = try await SQSFixture(dir: dir, visibility: 3)
        for i in 0..<60 { try await fx.deliver(Self.records(i, benign: 150), key: Self.key(i)) }
        for i in stride(from: 0, to: 60, by: 2) {
            let shape = SQSFixture.Shape.allCases[(i / 2) % 4]
            try await fx.queue.send(
                fx.body(shape, shape == .eventBridge ? [Self.key(i)] : [Self.key(i), Self.key(i + 1)]))
            if shape == .eventBridge { try await fx.queue.send(fx.body(.s3Event, [Self.key(i + 1)])) }
        }
        let config = try Self.config(fx, visibility: 3)
        let out = dir.appendingPathComponent("findings.jsonl")
        let first = try WatchProcess(["watch", "--config", config.path], dir: dir, env: fx.env, tag: "killed")
        let started = await poll(timeout: 60) { WatchE2E.lines(out).count >= 5 }
        #expect(started, "no findings before the kill: \(first.stderr)")
        try await Task.sleep(nanoseconds: UInt64.random(in: 0...200_000_000))
        first.signal(SIGKILL)
        _ = await first.waitForExit(timeout: 5)
        #expect(try await fx.remaining() > 0, "the kill came after the queue was drained; it tested nothing")
        let second = try WatchProcess(
            ["watch", "--config", config.path, "--exit-when-idle"], dir: dir, env: fx.env, tag: "restarted")
        #expect(await second.waitForExit(timeout: 120) == 0, "\(second.stderr)")
        let watched = Self.findings(WatchE2E.lines(out).joined(separator: "\n"), strip: "s3://\(fx.bucket)/")
        let expected = try await Self.scanned(fx)
        #expect(expected.count == 60)
        #expect(watched == expected, "\(watched.count) findings after the kill, \(expected.count) from scan")
        #expect(try await fx.remaining() == 0)
    }

    @Test func messagesThatCannotBeHonouredAreReportedAndLeftOnTheQueue() async throws {
        let dir = try tempDir()
        let fx = try await SQSFixture(dir: dir, visibility: 60)
        try await fx.deliver(Self.records(0), key: Self.key(0))
        try await fx.queue.send("this is not a notification")
        try await fx.queue.send(fx.body(.cloudTrail, [Self.key(9)]))  // no such object
        try await fx.queue.send(fx.body(.s3Event, [Self.key(0)]))
        let p = try WatchProcess(
            [
                "watch", "--sqs", fx.queue.queueURL, "--endpoint-url", fx.moto.endpoint, "--region", "us-east-1",
                "--state", dir.appendingPathComponent("state.db").path, "--detectors", "detectors",
                "--listen", "127.0.0.1:0",
            ], dir: dir, env: fx.env, tag: "bad")
        try await p.waitUntilStarted()
        let port = await p.port()
        #expect(await WatchE2E.waitForFinding(p, "f0-stop", timeout: 30), "\(p.stderr)")
        #expect(await poll(timeout: 20) { p.stderr.contains("[sqs.object_failed]") }, "\(p.stderr)")
        #expect(p.stderr.contains("[sqs.unrecognised]") || p.stderr.contains("[sqs.malformed]"), "\(p.stderr)")
        var metrics = ""
        var counted = false
        for _ in 0..<100 where !counted {
            metrics = (try? await get(port ?? 0, "/metrics"))?.1 ?? ""
            counted = metrics.contains("trailhound_sqs_messages_deleted_total 1")
            if !counted { try await Task.sleep(nanoseconds: 200_000_000) }
        }
        #expect(counted, "\(metrics)")
        #expect(metrics.contains("trailhound_sqs_messages_failed_total 2"))
        #expect(metrics.contains("trailhound_sqs_messages_received_total 3"))
        #expect(metrics.contains("trailhound_sqs_messages_in_flight 0"))
        // Not deleted, not retried by us: both stay in flight until their visibility runs out.
        let counts = try await fx.queue.counts()
        #expect(counts.visible == 0 && counts.inFlight == 2, "\(counts)")
        p.signal(SIGTERM)
        #expect(await p.waitForExit(timeout: 30) == 0, "\(p.stderr)")
        #expect(p.stderr.components(separatedBy: "[sqs.object_failed]").count == 2, "read once, not in a loop")
    }

}
