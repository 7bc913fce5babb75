import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension WatchE2E {
    /// A busy stream: background reads from 40 identities, and every 400th event a
    /// StopLogging by an identity of its own (so each finding stands alone); 151
    /// events later the same intruder stops the same trail again (folded into the
    /// first finding by the 1 h dedup window, reported as a follow-up), and 251
    /// events later CloudTrail delivers the first StopLogging again (same event id:
    /// dropped). A kill between the two must not turn either into a new finding.
    static func busyStream(_ n: Int) -> (lines: [String], ids: [String]) {
        var lines: [String] = []
        var ids: [String] = []
        for i in 0..<n {
            let id = "k-\(i)"
            let first = i - (i % 400) - 1  // the previous block's StopLogging
            if i % 400 == 399 {
                ids.append(id)
                lines.append(Events.stopLogging(id, user: "intruder\(i)", second: i / 10))
            } else if i % 400 == 150 && first > 0 {
                ids.append(id)
                lines.append(Events.stopLogging(id, user: "intruder\(first)", trail: "t-k-\(first)", second: i / 10))
            } else if i % 400 == 250 && first > 0 {
                ids.append("k-\(first)")
                lines.append(Events.stopLogging("k-\(first)", user: "intruder\(first)", second: first / 10))
            } else {
                ids.append(id)
                lines.append(Events.benign(id, user: "svc\(i % 40)", second: i / 10))
            }
        }
        return (lines, ids)
    }

    /// Lines of a file (empty when missing).
    static func lines(_ url: URL) -> [String] {
        ((try? String(contentsOf: url, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// A finding without the watch-only `seq`, as canonical JSON text.
    static func canonical(_ f: [String: Any]) -> String {
        var f = f
        f["seq"] = nil
        let data = (try? JSONSerialization.data(withJSONObject: f, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func killNineMidStreamThenRestartMatchesOneUninterruptedScan() async throws {
        let dir = try tempDir()
        let log = dir.appendingPathComponent("busy.jsonl")
        let out = dir.appendingPathComponent("findings.jsonl")
        let events = dir.appendingPathComponent("events.txt")
        let (lines, ids) = Self.busyStream(24_000)
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let args = ["--output", out.path, "--debug-event-log", events.path, "--no-stdout"]
        // The writer appends in bursts while the service runs and is killed twice.
        let writer = Thread {
            let h = try! FileHandle(forWritingTo: log)
            for chunk in stride(from: 0, to: lines.count, by: 300) {
                let part = lines[chunk..<min(chunk + 300, lines.count)].joined(separator: "\n") + "\n"
                try! h.seekToEnd()
                // Split a line across two writes now and then, as a real writer may.
                let bytes = Array(part.utf8)
                h.write(Data(bytes[..<(bytes.count / 2)]))
                h.write(Data(bytes[(bytes.count / 2)...]))
                Thread.sleep(forTimeInterval: 0.02)
            }
            try! h.close()
        }
        writer.start()
        for (round, threshold) in [(1, 4000), (2, 12_000)] {
            let p = try Self.watch([log.path], dir: dir, args, tag: "run\(round)")
            let reached = await poll(timeout: 60) { Self.lines(events).count >= threshold }
            #expect(reached, "round \(round) did not get far: \(p.stderr)")
            // At a random moment after a checkpoint: events, findings and sink writes in flight.
            try await Task.sleep(nanoseconds: UInt64.random(in: 0...250_000_000))
            p.signal(SIGKILL)
            _ = await p.waitForExit(timeout: 5)
        }
        #expect(await poll(timeout: 60) { writer.isFinished })
        let last = try Self.watch([log.path], dir: dir, args + ["--exit-when-idle"], tag: "final")
        #expect(await last.waitForExit(timeout: 90) == 0, "\(last.stderr)")

        let (status, scanOut, scanErr) = try await runTrailhound(
            ["scan", log.path, "--detectors", "detectors", "--quiet", "--no-progress"], dir: dir)
        #expect(status == 0, "\(scanErr)")
        let expected = WatchProcess.parse(scanOut).map(Self.canonical)
        let watched = WatchProcess.parse(Self.lines(out).joined(separator: "\n"))
        #expect(expected.count == 60 + 59, "60 StopLogging findings and 59 follow-ups of their repeats")
        #expect(expected.filter { $0.contains("(repeated 1×)") }.count == 59)
        let got = watched.map(Self.canonical)
        if got != expected {
            let at =
                (0..<min(got.count, expected.count)).first { got[$0] != expected[$0] } ?? min(got.count, expected.count)
            let mine = got.count > at ? String(got[at].prefix(400)) : "<none>"
            let theirs = expected.count > at ? String(expected[at].prefix(400)) : "<none>"
            Issue.record(
                "findings differ from an uninterrupted scan: \(got.count) vs \(expected.count); first difference at #\(at): watch \(mine) | scan \(theirs)"
            )
        }
        #expect(watched.compactMap { $0["seq"] as? Int } == Array(1...watched.count), "seq not contiguous")
        let processed = Self.lines(events)
        #expect(processed.count == ids.count)
        #expect(processed == ids, "events skipped or processed twice")
    }
}
