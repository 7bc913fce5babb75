import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension WatchE2E {
    /// Writes a CloudTrail delivery file (`{"Records":[…]}`, gzip) the way a sync tool does: to a
    /// hidden temporary name first, then renamed into place.
    static func deliver(_ records: [String], to dir: URL, name: String) throws {
        let tmp = dir.appendingPathComponent(".\(name).json")
        try Data(("{\"Records\":[" + records.joined(separator: ",") + "]}").utf8).write(to: tmp)
        try sh("/bin/gzip", ["-n", tmp.path])
        try FileManager.default.moveItem(atPath: tmp.path + ".gz", toPath: dir.appendingPathComponent(name).path)
    }

    @Test func newGzipFilesInAWatchedDirectoryAreReadOnce() async throws {
        let dir = try tempDir()
        let inbox = dir.appendingPathComponent("AWSLogs/111122223333/CloudTrail/us-east-1/2026/03/01")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let root = dir.appendingPathComponent("AWSLogs").path
        try Self.deliver(
            [Events.benign("g-0"), Events.stopLogging("g-1")], to: inbox,
            name: "111122223333_CloudTrail_us-east-1_20260301T1000Z_a.json.gz")
        let p = try Self.watch([root], dir: dir, tag: "first")
        try await p.waitUntilStarted()
        #expect(p.stderr.contains("watching 1 directory"))
        #expect(await Self.waitForFinding(p, "g-1"))
        try Self.deliver(
            [Events.stopLogging("g-2", second: 400)], to: inbox,
            name: "111122223333_CloudTrail_us-east-1_20260301T1005Z_b.json.gz")
        #expect(await Self.waitForFinding(p, "g-2"), "\(p.stderr)")
        let g2 = p.findings.first { ($0["event_ids"] as? [String]) == ["g-2"] }
        #expect((g2?["origin"] as? String)?.hasSuffix("_b.json.gz:#1") == true)
        p.signal(SIGTERM)
        #expect(await p.waitForExit(timeout: 5) == 0)
        // Restarted on the same state: files done are not read again; a new one is.
        let again = try Self.watch([root], dir: dir, tag: "second")
        try await again.waitUntilStarted()
        try Self.deliver(
            [Events.stopLogging("g-3", second: 700)], to: inbox,
            name: "111122223333_CloudTrail_us-east-1_20260301T1010Z_c.json.gz")
        #expect(await Self.waitForFinding(again, "g-3"))
        try await Task.sleep(nanoseconds: 800_000_000)
        #expect(evidence(again.findings) == ["g-3"], "files already done were read again")
        again.signal(SIGTERM)
        #expect(await again.waitForExit(timeout: 5) == 0)
    }
}
