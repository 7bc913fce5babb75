import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension WatchE2E {
    /// Evidence ids of the findings a receiver got, and their seq numbers.
    static func delivered(_ r: Receiver) -> (ids: [String], seqs: [Int]) {
        let f = WatchProcess.parse(r.received.joined(separator: "\n"))
        return (evidence(f), f.compactMap { $0["seq"] as? Int })
    }

    @Test func webhookDeliversEveryFindingOnceAcrossAnOutageAndARestart() async throws {
        let dir = try tempDir()
        let log = dir.appendingPathComponent("app.jsonl")
        let receiver = Receiver()
        try await receiver.start()
        let url = "http://127.0.0.1:\(receiver.port)/hook"
        let args = ["--webhook", url, "--no-stdout"]
        try append(Events.lines((1...3).map { Events.stopLogging("w-\($0)", user: "u\($0)") }), to: log)
        let first = try Self.watch([log.path], dir: dir, args, tag: "first")
        try await first.waitUntilStarted()
        #expect(await poll(timeout: 10) { Self.delivered(receiver).ids.count == 3 })
        // Receiver down: findings keep coming and wait in the outbox, through a restart of the service.
        await receiver.stop()
        try append(Events.lines((4...6).map { Events.stopLogging("w-\($0)", user: "u\($0)") }), to: log)
        #expect(await poll(timeout: 10) { first.stderr.contains("[webhook.unavailable]") }, "\(first.stderr)")
        first.signal(SIGTERM)
        #expect(await first.waitForExit(timeout: 8) == 0)
        let second = try Self.watch([log.path], dir: dir, args, tag: "second")
        try await second.waitUntilStarted()
        try append(Events.lines((7...9).map { Events.stopLogging("w-\($0)", user: "u\($0)") }), to: log)
        try await Task.sleep(nanoseconds: 500_000_000)
        #expect(Self.delivered(receiver).ids.count == 3)
        try await receiver.start()
        #expect(await poll(timeout: 40) { Self.delivered(receiver).ids.count >= 9 }, "\(second.stderr)")
        try await Task.sleep(nanoseconds: 500_000_000)
        let got = Self.delivered(receiver)
        #expect(got.ids == (1...9).map { "w-\($0)" }, "not every finding exactly once, in order")
        #expect(got.seqs == Array(1...9))
        second.signal(SIGTERM)
        #expect(await second.waitForExit(timeout: 8) == 0)
        await receiver.stop()
    }

    @Test func fileSinkRotatesBySizeAndKeepsEveryLine() async throws {
        let dir = try tempDir()
        let log = dir.appendingPathComponent("app.jsonl")
        let config = dir.appendingPathComponent("watch.yaml")
        let out = dir.appendingPathComponent("out/findings.jsonl")
        try FileManager.default.createDirectory(at: out.deletingLastPathComponent(), withIntermediateDirectories: true)
        try WatchProcess.writeConfig(
            to: config,
            """
            sinks:
              stdout: false
              file:
                path: out/findings.jsonl
                max_mb: 1
                keep: 3
            """)
        // ~1.5 KB per finding: 1,500 findings fill more than two 1 MiB files.
        try append(Events.lines((0..<1500).map { Events.stopLogging("f-\($0)", user: "u\($0)") }), to: log)
        let p = try WatchProcess(["watch", "--config", config.path], dir: dir)
        let files = [out.path + ".2", out.path + ".1", out.path].map(URL.init(fileURLWithPath:))
        #expect(await poll(timeout: 30) { files.map { Self.lines($0).count }.reduce(0, +) == 1500 }, "\(p.stderr)")
        p.signal(SIGTERM)
        #expect(await p.waitForExit(timeout: 8) == 0)
        let all = files.flatMap { Self.lines($0) }
        #expect(evidence(WatchProcess.parse(all.joined(separator: "\n"))) == (0..<1500).map { "f-\($0)" })
        #expect(FileManager.default.fileExists(atPath: out.path + ".1"))
        for f in files {
            #expect(((try? FileManager.default.attributesOfItem(atPath: f.path)[.size] as? Int) ?? 0) < 1_200_000)
        }
    }
}

extension WatchE2E {
    /// A receiver slower than `timeout_s` on one finding: after `max_attempts` attempts that
    /// finding goes to the dead-letter file (next to the state file), is counted, and the
    /// findings behind it are delivered.
    @Test func aFindingTheReceiverKeepsTimingOutOnGoesToTheDeadLetterFile() async throws {
        let dir = try tempDir()
        let receiver = Receiver(slowFor: "\"dl-1\"", slowSeconds: 3)
        try await receiver.start()
        let config = dir.appendingPathComponent("watch.yaml")
        try WatchProcess.writeConfig(
            to: config,
            """
            sinks:
              stdout: false
              webhook:
                url: http://127.0.0.1:\(receiver.port)/hook
                timeout_s: 1
                max_attempts: 2
            http:
              listen: 127.0.0.1:0
            """)
        try append(
            Events.lines((1...3).map { Events.stopLogging("dl-\($0)", user: "u\($0)") }),
            to: dir.appendingPathComponent("app.jsonl"))
        let p = try WatchProcess(["watch", "--config", config.path], dir: dir)
        let port = try #require(await p.port())
        #expect(
            await poll(timeout: 15) { Set(Self.delivered(receiver).ids).isSuperset(of: ["dl-2", "dl-3"]) },
            "\(p.stderr)")
        let deadLetter = dir.appendingPathComponent("state.db.webhook-dead-letter.jsonl")
        let lines = WatchProcess.parse(Self.lines(deadLetter).joined(separator: "\n"))
        #expect(lines.count == 1)
        #expect(lines.first?["seq"] as? Int == 1)
        #expect(lines.first?["attempts"] as? Int == 2)
        #expect((lines.first?["last_error"] as? String)?.contains("no response within 1 s") == true, "\(lines)")
        #expect(evidence(lines.compactMap { $0["finding"] as? [String: Any] }) == ["dl-1"])
        #expect(p.stderr.contains("[webhook.dead_letter]"))
        // Two attempts on dl-1, one on each of the others.
        #expect(Self.delivered(receiver).ids.sorted() == ["dl-1", "dl-1", "dl-2", "dl-3"])
        let (_, metrics) = try await get(port, "/metrics")
        #expect(metrics.contains("trailhound_webhook_dead_letter_total 1"), "\(metrics)")
        #expect(metrics.contains("trailhound_sink_pending{sink=\"webhook\"} 0"))
        p.signal(SIGTERM)
        #expect(await p.waitForExit(timeout: 8) == 0)
        await receiver.stop()
    }
}
