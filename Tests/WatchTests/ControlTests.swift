import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// GET on loopback; status code and body. A blocking client on a raw socket with a
/// generous deadline: FlyingFox's client gave up after 5 s when the test machine was
/// loaded (parallel suites), which failed the test although the service answered.
func get(_ port: UInt16, _ path: String, query: [String: String] = [:], token: String? = nil) async throws -> (
    Int, String
) {
    var target = path
    if !query.isEmpty {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+")
        target +=
            "?"
            + query.sorted { $0.key < $1.key }.map {
                "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.value)"
            }.joined(separator: "&")
    }
    var head = "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    if let token { head += "Authorization: Bearer \(token)\r\n" }
    let request = Array((head + "\r\n").utf8)
    return try await Task.detached {
        guard let fd = RawHTTP.connect(port, timeout: 30) else { throw RawHTTP.Failure.noAnswer("connect") }
        defer { close(fd) }
        RawHTTP.send(fd, request)
        let response = RawHTTP.readToEnd(fd)
        guard let split = response.range(of: Data("\r\n\r\n".utf8)),
            let line = String(data: response[..<split.lowerBound], encoding: .utf8),
            let code = Int(line.dropFirst(9).prefix(3))
        else { throw RawHTTP.Failure.noAnswer("no HTTP response in \(response.count) bytes") }
        return (code, String(decoding: response[split.upperBound...], as: UTF8.self))
    }.value
}

extension WatchE2E {
    @Test func httpEndpointsWithAndWithoutTheToken() async throws {
        let dir = try tempDir()
        let log = dir.appendingPathComponent("app.jsonl")
        try append(Events.lines([Events.benign("h-0"), Events.stopLogging("h-1", user: "mallory")]), to: log)
        let p = try Self.watch(
            [log.path], dir: dir, ["--listen", "127.0.0.1:0"], env: ["TRAILHOUND_TOKEN": "s3cret-token"])
        let port = try #require(await p.port())
        #expect(await Self.waitForFinding(p, "h-1"))
        for path in ["/healthz", "/metrics", "/findings"] {
            #expect(try await get(port, path).0 == 401, "\(path) without token")
            #expect(try await get(port, path, token: "wrong").0 == 401, "\(path) with a wrong token")
        }
        let (hs, hb) = try await get(port, "/healthz", token: "s3cret-token")
        #expect(hs == 200 && hb == "ok\n")
        let (ms, metrics) = try await get(port, "/metrics", token: "s3cret-token")
        #expect(ms == 200)
        for name in [
            "trailhound_events_total 2", "trailhound_input_bytes_total", "trailhound_lag_seconds",
            "trailhound_findings_total{detector=\"evasion.cloudtrail_tampering\",severity=\"critical\"} 1",
            "trailhound_checkpoints_total", "trailhound_sink_delivered_total{sink=\"stdout\"} 1",
            "process_resident_memory_bytes",
        ] {
            #expect(metrics.contains(name), "metrics lack \(name)")
        }
        #expect(!metrics.contains("mallory") && !metrics.contains("10.0.1.5"), "identity or IP in a metric")
        let (fs, fb) = try await get(port, "/findings", query: ["severity": "high"], token: "s3cret-token")
        #expect(fs == 200)
        #expect(
            evidence(
                WatchProcess.parse(
                    fb.replacingOccurrences(of: "},\n{", with: "}\n{")
                        .trimmingCharacters(in: CharacterSet(charactersIn: "[]\n")))) == ["h-1"])
        let other = try await get(
            port, "/findings", query: ["identity": "arn:aws:iam::111122223333:user/nobody"],
            token: "s3cret-token")
        #expect(other.1 == "[]\n")
        #expect(try await get(port, "/findings", query: ["severity": "bogus"], token: "s3cret-token").0 == 400)
        p.signal(SIGTERM)
        #expect(await p.waitForExit(timeout: 5) == 0)
    }

    @Test func bindingBeyondLoopbackWithoutATokenIsRefused() async throws {
        let dir = try tempDir()
        let p = try Self.watch([dir.appendingPathComponent("x.jsonl").path], dir: dir, ["--listen", "0.0.0.0:0"])
        #expect(await p.waitForExit(timeout: 10) == 64)
        #expect(p.stderr.contains("[config.insecure_listen]"))
    }

    @Test func serviceConfigErrorsAreReportedWithPositionAndExit64() async throws {
        let dir = try tempDir()
        let config = dir.appendingPathComponent("watch.yaml")
        try
            "version: 1\nstate: s.db\ninputs:\n  - path: a.log\n    kind: tail\n    strat: end\nsinks:\n  webhook:\n    url: ftp://example.invalid/x\n"
            .write(to: config, atomically: true, encoding: .utf8)
        let p = try WatchProcess(["watch", "--config", config.path, "--detectors", "detectors"], dir: dir)
        #expect(await p.waitForExit(timeout: 10) == 64)
        #expect(p.stderr.contains("watch.yaml:6:5: error: unknown key 'inputs[0].strat'"), "\(p.stderr)")
        #expect(p.stderr.contains("[config.unknown_key]"))
        #expect(p.stderr.contains("watch.yaml:9:10:"))
        #expect(p.stderr.contains("expected an http:// or https:// URL"))
    }

    @Test func sighupReloadsAGoodConfigAndRejectsABadOne() async throws {
        let dir = try tempDir()
        let detectors = dir.appendingPathComponent("detectors")
        try sh("/bin/cp", ["-r", WatchProcess.root.appendingPathComponent("detectors").path, detectors.path])
        let yaml = detectors.appendingPathComponent("evasion.cloudtrail_tampering.yaml")
        let original = try String(contentsOf: yaml, encoding: .utf8)
        let log = dir.appendingPathComponent("app.jsonl")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let p = try WatchProcess(
            [
                "watch", log.path, "--state", dir.appendingPathComponent("s.db").path,
                "--detectors", detectors.path, "--poll-ms", "50",
            ], dir: dir)
        try await p.waitUntilStarted()
        try append(Events.lines([Events.stopLogging("hup-1", user: "a")]), to: log)
        #expect(await Self.waitForFinding(p, "hup-1"))
        // A good change: the detector now reports medium.
        try original.replacingOccurrences(of: "severity: critical", with: "severity: medium")
            .write(to: yaml, atomically: true, encoding: .utf8)
        p.signal(SIGHUP)
        #expect(await poll(timeout: 10) { p.stderr.contains("reloaded detector config") })
        // The reload keeps the engine's memory: a duplicate delivery of hup-1 is dropped and
        // a repeat on the same trail folds into hup-1's finding (no new line for either).
        try append(
            Events.lines([
                Events.stopLogging("hup-1", user: "a"), Events.stopLogging("hup-1b", user: "a", trail: "t-hup-1"),
                Events.stopLogging("hup-2", user: "b"),
            ]), to: log)
        #expect(await Self.waitForFinding(p, "hup-2"))
        // A bad change: rejected with its position, the previous config stays.
        try (original + "\nsevrity: low\n").write(to: yaml, atomically: true, encoding: .utf8)
        p.signal(SIGHUP)
        #expect(await poll(timeout: 10) { p.stderr.contains("reload rejected") }, "\(p.stderr)")
        #expect(p.stderr.contains("evasion.cloudtrail_tampering.yaml:") && p.stderr.contains("[config.unknown_key]"))
        try append(Events.lines([Events.stopLogging("hup-3", user: "c")]), to: log)
        #expect(await Self.waitForFinding(p, "hup-3"))
        #expect(p.findings.count == 3, "\(evidence(p.findings))")
        let sev = Dictionary(
            p.findings.map { (evidence([$0]).first ?? "", $0["severity"] as? String ?? "") },
            uniquingKeysWith: { a, _ in a })
        #expect(sev == ["hup-1": "critical", "hup-2": "medium", "hup-3": "medium"])
        #expect(p.findings.compactMap { $0["seq"] as? Int } == [1, 2, 3])
        p.signal(SIGTERM)
        #expect(await p.waitForExit(timeout: 5) == 0)
    }

    @Test func sigtermExitsWithinSecondsAfterACheckpoint() async throws {
        let dir = try tempDir()
        let log = dir.appendingPathComponent("app.jsonl")
        let events = dir.appendingPathComponent("events.txt")
        let (lines, ids) = Self.busyStream(3000)
        try append(Events.lines(lines), to: log)
        let args = ["--debug-event-log", events.path, "--listen", "127.0.0.1:0"]
        let p = try Self.watch([log.path], dir: dir, args, tag: "first")
        _ = try #require(await p.port())
        #expect(await poll(timeout: 30) { p.findings.count == 7 })
        let asked = Date()
        p.signal(SIGTERM)
        #expect(await p.waitForExit(timeout: 5) == 0)
        #expect(Date().timeIntervalSince(asked) < 3)
        #expect(Self.lines(events) == ids)
        // The checkpoint holds the offset: a restart reads nothing again and repeats no finding.
        try append(Events.lines([Events.stopLogging("after-restart", user: "z", second: 400)]), to: log)
        let again = try Self.watch([log.path], dir: dir, args, tag: "second")
        #expect(await Self.waitForFinding(again, "after-restart"))
        #expect(evidence(again.findings) == ["after-restart"])
        #expect(again.findings.first?["seq"] as? Int == 8)
        again.signal(SIGINT)
        #expect(await again.waitForExit(timeout: 5) == 0)
        #expect(Self.lines(events) == ids + ["after-restart"])
    }
}
