import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Every watch test starts real processes; they run one at a time, each bounded in time.
@Suite("trailhound watch, end to end", .serialized, .timeLimit(.minutes(2)))
struct WatchE2E {
    /// Starts `trailhound watch` on `inputs` with a state file in `dir`.
    static func watch(
        _ inputs: [String], dir: URL, _ extra: [String] = [], env: [String: String] = [:],
        tag: String = UUID().uuidString
    ) throws -> WatchProcess {
        try WatchProcess(
            ["watch"] + inputs + [
                "--state", dir.appendingPathComponent("state.db").path,
                "--detectors", "detectors", "--poll-ms", "50",
            ] + extra, dir: dir, env: env, tag: tag)
    }

    /// Waits until stdout holds a finding with this evidence id.
    static func waitForFinding(_ p: WatchProcess, _ id: String, timeout: Double = 10) async -> Bool {
        await poll(timeout: timeout) { evidence(p.findings).contains(id) }
    }
}

extension WatchE2E {
    @Test func appendedEventGivesAFindingWithinASecond() async throws {
        let dir = try tempDir()
        let log = dir.appendingPathComponent("cloudtrail.jsonl")
        try append(Events.lines((0..<20).map { Events.benign("bg-\($0)", second: $0) }), to: log)
        let p = try Self.watch([log.path], dir: dir)
        try await p.waitUntilStarted()
        #expect(await poll(timeout: 10) { p.stderr.contains("watch started") })
        let started = Date()
        try append(Events.lines([Events.stopLogging("hit-1", second: 30)]), to: log)
        #expect(await Self.waitForFinding(p, "hit-1", timeout: 1.0), "no finding within 1 s: \(p.stderr)")
        #expect(Date().timeIntervalSince(started) < 1.0)
        let f = p.findings.first { ($0["event_ids"] as? [String]) == ["hit-1"] }
        #expect(f?["detector"] as? String == "evasion.cloudtrail_tampering")
        #expect(f?["origin"] as? String == "\(log.path):21")
        #expect(f?["seq"] as? Int == 1)
        p.signal(SIGTERM)
        #expect(await p.waitForExit(timeout: 5) == 0)
    }

    @Test func repeatInsideTheDedupWindowIsReportedOnceTheWindowEnds() async throws {
        let dir = try tempDir()
        let log = dir.appendingPathComponent("cloudtrail.jsonl")
        try append(Events.lines([Events.stopLogging("first", user: "app", trail: "main", second: 0)]), to: log)
        let p = try Self.watch([log.path], dir: dir)
        try await p.waitUntilStarted()
        #expect(await Self.waitForFinding(p, "first"))
        // Same user, same trail, 5 min later: folded into the first finding (dedup_window 1h), nothing now.
        try append(Events.lines([Events.stopLogging("again", user: "app", trail: "main", second: 300)]), to: log)
        try await Task.sleep(nanoseconds: 1_500_000_000)
        #expect(!p.findings.contains { ($0["event_ids"] as? [String])?.contains("again") == true })
        // Event time moves past the window: the follow-up comes without waiting for 16,384 events or an exit.
        try append(Events.lines([Events.benign("later", second: 2 * 3600)]), to: log)
        #expect(await Self.waitForFinding(p, "again", timeout: 10), "no follow-up: \(p.stderr)")
        let f = p.findings.first { ($0["event_ids"] as? [String]) == ["again"] }
        #expect((f?["title"] as? String)?.hasSuffix("(repeated 1×)") == true)
        #expect(f?["count"] as? Int == 1)
        p.signal(SIGTERM)
        #expect(await p.waitForExit(timeout: 5) == 0)
        #expect(p.findings.count == 2)
    }

    @Test func partialLastLineIsHeldUntilComplete() async throws {
        let dir = try tempDir()
        let log = dir.appendingPathComponent("app.jsonl")
        let line = Events.stopLogging("split-1")
        try append(String(line.prefix(100)), to: log)
        let p = try Self.watch([log.path], dir: dir)
        try await p.waitUntilStarted()
        try await Task.sleep(nanoseconds: 300_000_000)
        try append(String(line.dropFirst(100)) + "\n", to: log)
        #expect(await Self.waitForFinding(p, "split-1"))
        #expect(!p.stderr.contains("frame."), "a half-written line was read: \(p.stderr)")
        p.signal(SIGTERM)
        #expect(await p.waitForExit(timeout: 5) == 0)
    }

    @Test func rotationByRenameThenGzipLosesNothing() async throws {
        let dir = try tempDir()
        let log = dir.appendingPathComponent("app.log")
        try append(Events.lines([Events.benign("r-0"), Events.stopLogging("r-1")]), to: log)
        let p = try Self.watch([log.path], dir: dir)
        try await p.waitUntilStarted()
        #expect(await Self.waitForFinding(p, "r-1"))
        // Freeze the service so the rotation happens between two of its polls.
        p.signal(SIGSTOP)
        try append(Events.lines([Events.stopLogging("r-2-late")]), to: log)
        try FileManager.default.moveItem(at: log, to: dir.appendingPathComponent("app.log.1"))
        try append(Events.lines([Events.stopLogging("r-3-new")]), to: log)
        try sh("/bin/gzip", [dir.appendingPathComponent("app.log.1").path])
        p.signal(SIGCONT)
        #expect(await Self.waitForFinding(p, "r-2-late"), "lost the line written before the rename: \(p.stderr)")
        #expect(await Self.waitForFinding(p, "r-3-new"))
        try append(Events.lines([Events.stopLogging("r-4")]), to: log)
        #expect(await Self.waitForFinding(p, "r-4"))
        #expect(evidence(p.findings) == ["r-1", "r-2-late", "r-3-new", "r-4"])
        #expect(p.stderr.contains("[tail.rotated]"))
        p.signal(SIGTERM)
        #expect(await p.waitForExit(timeout: 5) == 0)
    }

    @Test func copyTruncateRotationReadsTheTailFromTheCopy() async throws {
        let dir = try tempDir()
        let log = dir.appendingPathComponent("app.log")
        try append(Events.lines((0..<30).map { Events.benign("c-bg-\($0)") } + [Events.stopLogging("c-1")]), to: log)
        let p = try Self.watch([log.path], dir: dir)
        try await p.waitUntilStarted()
        #expect(await Self.waitForFinding(p, "c-1"))
        p.signal(SIGSTOP)
        try append(Events.lines([Events.stopLogging("c-2-before-copy")]), to: log)
        try sh("/bin/cp", [log.path, dir.appendingPathComponent("app.log.1").path])
        try FileHandle(forWritingTo: log).truncate(atOffset: 0)
        try append(Events.lines([Events.stopLogging("c-3-after")]), to: log)
        p.signal(SIGCONT)
        #expect(await Self.waitForFinding(p, "c-2-before-copy"), "lost the line copied away: \(p.stderr)")
        #expect(await Self.waitForFinding(p, "c-3-after"))
        #expect(evidence(p.findings) == ["c-1", "c-2-before-copy", "c-3-after"])
        #expect(p.stderr.contains("[tail.truncated]"))
        p.signal(SIGTERM)
        #expect(await p.waitForExit(timeout: 5) == 0)
    }

    @Test func deletedAndRecreatedFileIsFollowed() async throws {
        let dir = try tempDir()
        let log = dir.appendingPathComponent("app.log")
        try append(Events.lines([Events.stopLogging("d-1")]), to: log)
        let p = try Self.watch([log.path], dir: dir)
        try await p.waitUntilStarted()
        #expect(await Self.waitForFinding(p, "d-1"))
        try FileManager.default.removeItem(at: log)
        try await Task.sleep(nanoseconds: 300_000_000)
        try append(Events.lines([Events.stopLogging("d-2")]), to: log)
        #expect(await Self.waitForFinding(p, "d-2"), "\(p.stderr)")
        #expect(evidence(p.findings) == ["d-1", "d-2"])
        p.signal(SIGTERM)
        #expect(await p.waitForExit(timeout: 5) == 0)
    }

    @Test func rotationWhileStoppedIsCaughtUpAfterRestart() async throws {
        let dir = try tempDir()
        let log = dir.appendingPathComponent("app.log")
        try append(Events.lines((0..<40).map { Events.benign("s-bg-\($0)") } + [Events.stopLogging("s-1")]), to: log)
        let first = try Self.watch([log.path], dir: dir, tag: "first")
        try await first.waitUntilStarted()
        #expect(await Self.waitForFinding(first, "s-1"))
        first.signal(SIGTERM)
        #expect(await first.waitForExit(timeout: 5) == 0)
        // While stopped: more lines, rotation by rename, the rotated file gzipped, a new file.
        try append(Events.lines([Events.stopLogging("s-2-while-stopped")]), to: log)
        try FileManager.default.moveItem(at: log, to: dir.appendingPathComponent("app.log.1"))
        try sh("/bin/gzip", [dir.appendingPathComponent("app.log.1").path])
        try append(Events.lines([Events.stopLogging("s-3-new-file")]), to: log)
        let second = try Self.watch([log.path], dir: dir, tag: "second")
        try await second.waitUntilStarted()
        #expect(await Self.waitForFinding(second, "s-3-new-file"), "\(second.stderr)")
        #expect(evidence(second.findings) == ["s-2-while-stopped", "s-3-new-file"])
        #expect(second.stderr.contains("[tail.resumed_rotated]"))
        second.signal(SIGTERM)
        #expect(await second.waitForExit(timeout: 5) == 0)
    }
}
