import Foundation
import TestSupport
import Testing

/// The real `trailhound watch` binary with `sinks:` and `http_client:` from a config file,
/// delivering over HTTPS to the loopback receiver: with the CA bundle the findings arrive (HEC
/// in OCSF after a busy answer, `_bulk` native), without it the TLS failure is reported and
/// nothing is delivered.
@Suite("watch with receivers", .serialized)
struct WatchSinkE2ETests {
    static let root = Repository.root
    static let binary = Repository.binary

    static func cloudTrail(_ n: Int) -> String {
        CloudTrailRecord.call(
            "StopLogging", source: "cloudtrail.amazonaws.com", time: "2026-03-01T10:00:0\(n)Z", id: "sl-\(n)",
            identity: CloudTrailRecord.user("u\(n)"),
            params: #"{"name":"arn:aws:cloudtrail:us-east-1:111122223333:trail/t-\#(n)"}"#, ip: "198.51.100.\(n)",
            ua: "aws-cli/2.15.0")
    }

    /// Runs watch until idle with `sinks` (YAML lines under `sinks:`) and `httpClient`; returns stderr.
    static func runWatch(dir: URL, sinks: String, httpClient: String, env: [String: String]) throws -> (Int32, String) {
        let log = dir.appendingPathComponent("app.jsonl")
        try ((1...3).map(cloudTrail).joined(separator: "\n") + "\n").write(to: log, atomically: true, encoding: .utf8)
        let config = dir.appendingPathComponent("watch.yaml")
        try """
        version: 1
        state: state.db
        detectors: \(root.appendingPathComponent("detectors").path)
        inputs:
          - path: app.jsonl
        sinks:
          stdout: false
        \(sinks)
        \(httpClient)
        """.write(to: config, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = binary
        p.arguments = ["watch", "--config", config.path, "--exit-when-idle"]
        p.currentDirectoryURL = dir
        p.environment = ProcessInfo.processInfo.environment.merging(env) { $1 }
        let errURL = dir.appendingPathComponent("stderr")
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        p.standardError = try FileHandle(forWritingTo: errURL)
        p.standardOutput = FileHandle.nullDevice
        try p.runToExit()
        return (p.terminationStatus, (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
    }

    @Test(.enabled(if: SinkReceiverTests.hasOpenSSL, "openssl CLI not installed: no test CA"))
    func watchDeliversToHECAndBulkOverTLSWithTheCABundleOnly() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build trailhound first")
        let ca = try #require(try TestCA.make())
        let receiver = try ReceiverProcess(
            script: [
                "/services/collector/event": [
                    ["status": 503, "body": "{\"text\":\"Server is busy\",\"code\":9}"],
                    ["status": 200, "body": "{\"text\":\"Success\",\"code\":0}"],
                ],
                "/_bulk": [["bulk_items": [201]]],
            ], tls: ca)
        defer { receiver.stop() }
        let sinks = """
              splunk_hec:
                url: \(receiver.url("/services/collector/event"))
                token_env: TH_TEST_HEC
                format: ocsf
              elasticsearch:
                url: \(receiver.url(""))
                index: th
                min_severity: info
            """
        let without = FileManager.default.temporaryDirectory.appendingPathComponent("th-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: without, withIntermediateDirectories: true)
        let (_, refused) = try Self.runWatch(dir: without, sinks: sinks, httpClient: "", env: ["TH_TEST_HEC": "tok"])
        #expect(refused.contains("TLS handshake failed") && refused.contains("[sink.unavailable]"), "\(refused)")
        #expect(receiver.received.isEmpty, "nothing is delivered to an untrusted certificate")

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("th-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: ca.caCert, toPath: dir.appendingPathComponent("ca.pem").path)
        let (status, stderr) = try Self.runWatch(
            dir: dir, sinks: sinks, httpClient: "http_client:\n  ca_bundle: ca.pem", env: ["TH_TEST_HEC": "tok"])
        #expect(status == 0, "\(stderr)")
        let got = receiver.received
        let hec = got.filter { $0.path == "/services/collector/event" }
        #expect(hec.count == 2, "busy, then the batch again: \(stderr)")
        #expect(hec.first?.headers["authorization"] == "Splunk tok")
        let events = (hec.last?.body ?? "").split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
        let uids = events.compactMap { (($0["event"] as? [String: Any])?["class_uid"]) as? Int }
        #expect(uids == [2004, 2004, 2004], "three OCSF findings in one batch")
        let bulk = got.filter { $0.path == "/_bulk" }
        let docs = bulk.flatMap { $0.body.split(separator: "\n").enumerated().filter { $0.offset % 2 == 1 } }
        let seqs = docs.compactMap {
            ((try? JSONSerialization.jsonObject(with: Data($0.element.utf8))) as? [String: Any])?["seq"] as? Int
        }
        #expect(seqs == [1, 2, 3], "every finding once, in seq order")
    }
}
