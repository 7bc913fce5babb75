import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension WatchE2E {
    /// Issue 15: `watch` holds its state file for its whole run; a `scan` or a
    /// second `watch` on the same file exits 1 at once naming it, instead of
    /// both saving and the last save winning.
    @Test func secondWriterOnTheServiceStateExitsAtOnce() async throws {
        let dir = try tempDir()
        let log = dir.appendingPathComponent("app.jsonl")
        try append(Events.lines([Events.stopLogging("l-1", user: "mallory")]), to: log)
        let p = try Self.watch([log.path], dir: dir)
        #expect(await Self.waitForFinding(p, "l-1"))
        let state = dir.appendingPathComponent("state.db").path
        let (scan, _, scanErr) = try await runTrailhound(["scan", log.path, "--state", state, "--quiet"], dir: dir)
        #expect(scan == 1)
        #expect(scanErr.contains("in use by PID \(p.pid)") && scanErr.contains("[state.locked]"), "\(scanErr)")
        let second = try Self.watch([log.path], dir: dir)
        #expect(await second.waitForExit(timeout: 20) == 1)
        #expect(second.stderr.contains("[state.locked]"), "\(second.stderr)")
        p.signal(SIGTERM)
        #expect(await p.waitForExit(timeout: 10) == 0)
        // Once the service is gone the state is free again.
        let (after, _, afterErr) = try await runTrailhound(["scan", log.path, "--state", state, "--quiet"], dir: dir)
        #expect(after == 0, "\(afterErr)")
    }
}
