import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension WatchE2E {
    /// A growing nginx access log (text lines, not JSON): a line written in two pieces is read
    /// once it is complete, and the unauthenticated code call becomes a finding.
    @Test func tailedNginxAccessLogGivesAFinding() async throws {
        let dir = try tempDir()
        let log = dir.appendingPathComponent("access.log")
        let ok = #"198.51.100.20 - - [07/Dec/2026:00:00:01 +0000] "GET / HTTP/1.1" 200 3120 "-" "Mozilla/5.0""#
        try append(ok + "\nnot an access log line\n", to: log)
        let p = try Self.watch([log.path], dir: dir)
        try await p.waitUntilStarted()
        let hit =
            #"203.0.113.66 - - [07/Dec/2026:00:00:09 +0000] "POST /api/v1/validate/code HTTP/1.1" 200 112 "-" "python-requests/2.32.3""#
        try append(String(hit.prefix(40)), to: log)
        try await Task.sleep(nanoseconds: 300_000_000)
        try append(String(hit.dropFirst(40)) + "\n", to: log)
        let found = await poll(timeout: 10) {
            p.findings.contains { $0["detector"] as? String == "workflow.unauthenticated_execution" }
        }
        #expect(found, "no finding: \(p.stderr)")
        let f = p.findings.first { $0["detector"] as? String == "workflow.unauthenticated_execution" }
        #expect(f?["origin"] as? String == "\(log.path):3")
        #expect(p.stderr.contains("access.log:2") && p.stderr.contains("[frame.not_json]"))
        p.signal(SIGTERM)
        #expect(await p.waitForExit(timeout: 5) == 0)
    }
}
