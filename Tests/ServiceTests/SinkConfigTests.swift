import Foundation
import HTTPTransport
import Testing

@testable import Service

/// `sinks:` and `http_client:` in the service config: every receiver read with its settings,
/// secrets from the environment, and each problem reported at its line with a stable code.
@Suite("Sink configuration")
struct SinkConfigTests {
    static func load(_ yaml: String) throws -> (WatchConfig, [(code: String, line: Int)]) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("th-cfg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("watch.yaml").path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let (c, issues) = WatchConfig.load(path: path)
        return (c, issues.map { ($0.code, $0.line) })
    }

    @Test func everyReceiverIsReadWithItsSettings() throws {
        // The key comes from a variable the test process already has: `setenv` here would race
        // with the other tests' `Process.run`, which copies the environment meanwhile.
        let searchPath = try #require(ProcessInfo.processInfo.environment["PATH"])
        let (c, issues) = try Self.load(
            """
            version: 1
            sinks:
              slack:
                url: https://hooks.slack.com/services/T/B/X
              pagerduty:
                routing_key_env: PATH
              splunk_hec:
                url: https://splunk.example.com:8088/services/collector/event
                token: hec
                format: ocsf
                batch_size: 50
                sourcetype: th
              elasticsearch:
                url: http://127.0.0.1:9200
                index: th
                username: elastic
                password: pw
            http_client:
              no_proxy: [localhost, .internal]
              https_proxy: http://proxy.example.com:3128
            """)
        #expect(issues.isEmpty, "\(issues)")
        let kinds = c.receivers.map(\.kind)
        #expect(kinds == [.slack, .pagerduty, .splunkHEC, .elasticsearch])
        #expect(c.receivers[0].minSeverity == .high, "Slack and PagerDuty default to high")
        #expect(c.receivers[1].token == searchPath)
        #expect(c.receivers[1].url == "https://events.pagerduty.com/v2/enqueue")
        #expect(c.receivers[2].format == .ocsf && c.receivers[2].batchSize == 50 && c.receivers[2].sourcetype == "th")
        #expect(c.receivers[3].username == "elastic" && c.receivers[3].password == "pw")
        #expect(c.transport.httpsProxy == "http://proxy.example.com:3128")
        #expect(c.transport.bypassesProxy("api.internal") && c.transport.bypassesProxy("LOCALHOST"))
        #expect(!c.transport.bypassesProxy("splunk.example.com"))
    }

    @Test func problemsAreReportedAtTheirLineWithStableCodes() throws {
        #expect(ProcessInfo.processInfo.environment["TH_CFG_TEST_MISSING"] == nil)
        let (_, issues) = try Self.load(
            """
            version: 1
            sinks:
              splunk_hec:
                url: http://splunk.example.com:8088/services/collector/event
                token: hec
              pagerduty:
                min_severity: high
              webhook:
                url: https://example.com/hook
                token_env: TH_CFG_TEST_MISSING
              elasticsearch:
                url: https://es.example.com
                format: xml
                colour: blue
            http_client:
              ca_bundle: does-not-exist.pem
            """)
        let found = Set(issues.map { "\($0.code)@\($0.line)" })
        #expect(found.contains("config.insecure_url@4"), "a token over plain http beyond loopback: \(issues)")
        #expect(found.contains("config.missing_secret@6") || found.contains("config.missing_secret@7"), "\(issues)")
        #expect(found.contains("config.value@10"), "an empty token variable: \(issues)")
        #expect(found.contains("config.value@13"), "format: xml: \(issues)")
        #expect(found.contains("config.unknown_key@14"), "\(issues)")
        #expect(found.contains("config.ca_bundle@16"), "\(issues)")
    }

    @Test func proxyVariablesComeFromTheEnvironmentAsCurlReadsThem() {
        let o = HTTPTransport.Options.fromEnvironment([
            "https_proxy": "http://u:p@proxy:3128", "NO_PROXY": "example.com, 10.0.0.1:443 ,*.corp",
        ])
        #expect(o.httpsProxy == "http://u:p@proxy:3128")
        #expect(o.httpProxy == nil)
        #expect(o.bypassesProxy("api.example.com") && o.bypassesProxy("example.com"))
        #expect(o.bypassesProxy("10.0.0.1"))
        #expect(!o.bypassesProxy("notexample.com"))
        #expect(HTTPTransport.Options.fromEnvironment(["NO_PROXY": "*"]).bypassesProxy("anything"))
    }
}
