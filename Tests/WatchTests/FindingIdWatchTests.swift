import Foundation
import Testing

extension WatchE2E {
    /// A finding's `id` is a function of its content: `watch` (also after a restart) and `scan`
    /// of the same lines print the same ids.
    @Test func findingIdsAreTheSameInWatchScanAndAfterRestart() async throws {
        let dir = try tempDir()
        let log = dir.appendingPathComponent("cloudtrail.jsonl")
        try append(Events.lines([Events.benign("id-0"), Events.stopLogging("id-1")]), to: log)
        let first = try Self.watch([log.path], dir: dir)
        try await first.waitUntilStarted()
        #expect(await Self.waitForFinding(first, "id-1"))
        first.signal(SIGTERM)
        #expect(await first.waitForExit(timeout: 5) == 0)
        try append(Events.lines([Events.stopLogging("id-2", second: 5)]), to: log)
        let second = try Self.watch([log.path], dir: dir)
        try await second.waitUntilStarted()
        #expect(await Self.waitForFinding(second, "id-2"))
        second.signal(SIGTERM)
        #expect(await second.waitForExit(timeout: 5) == 0)
        let watched = (first.findings + second.findings).compactMap { $0["id"] as? String }
        let (status, out, err) = try await runTrailhound(
            ["scan", log.path, "--detectors", "detectors", "--no-progress", "--quiet"], dir: dir)
        #expect(status == 0 || status == 3, "\(err)")
        let scanned = WatchProcess.parse(out).compactMap { $0["id"] as? String }
        #expect(watched.count == 2 && watched.allSatisfy { $0.hasPrefix("f-") })
        #expect(scanned == watched)
    }
}
