import Baselines
import Config
import Detection
import Detectors
import EventModel
import Foundation
import TestSupport
import Testing

/// Fixed times and names of the baseline detector tests (events come from `TestEvents.ev`, the
/// engine from `Harness`, both in TestSupport).
enum BL {
    static let hourMs: Int64 = 3_600_000
    static let dayMs: Int64 = 86_400_000
    /// 2024-01-01T00:00:00Z (a Monday).
    static let t0: Int64 = 1_704_067_200_000
    static let acct = "111122223333"

    static func roleKey(_ name: String, account: String = BL.acct) -> String { "arn:aws:iam::\(account):role/\(name)" }

    /// Events every `every` ms from `start` (default `t0`) for `days` days, built by `make`.
    static func series(from start: Int64 = BL.t0, days: Double, every: Int64, _ make: (Int64, Int) -> Event) -> [Event]
    {
        TestEvents.series(from: start, days: days, every: every, make)
    }
}

@Suite("Baseline detector registry and configs")
struct RegistryBaselineTests {
    static let ids = [
        "identity.new_api", "identity.new_source", "identity.new_user_agent", "secrets.enumeration",
        "credentials.exfiltration", "discovery.burst", "identity.role_chain", "identity.unusual_region",
        "identity.volume_spike",
    ]

    @Test("every baseline detector is registered and its YAML loads without issues")
    func yamlLoads() throws {
        for id in Self.ids {
            let d = try Harness.load(id)
            #expect(d.spec.id == id)
            #expect(d.detector.id == id)
            #expect(Registry.type(id: id)?.explanation.contains("MITRE") == true)
        }
    }

    @Test("a misspelt setting is reported with its line")
    func unknownSetting() throws {
        let file = Repository.root.appendingPathComponent("detectors/secrets.enumeration.yaml").path
        let text = try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(
            of: "min_distinct: 5", with: "min_distnct: 5")
        let sink = IssueSink()
        _ = DetectorLoader.load(yaml: text, file: file, registry: Registry.all, sink: sink)
        #expect(sink.issues.contains { $0.code == "config.unknown_key" && $0.line > 0 })
    }

    @Test("an unknown user-agent family in a setting is reported")
    func unknownFamily() throws {
        let file = Repository.root.appendingPathComponent("detectors/identity.new_user_agent.yaml").path
        let text = try String(contentsOfFile: file, encoding: .utf8)
            .replacingOccurrences(of: "high_families: [offensive-tool]", with: "high_families: [offensiv-tool]")
        let sink = IssueSink()
        _ = DetectorLoader.load(yaml: text, file: file, registry: Registry.all, sink: sink)
        #expect(sink.issues.contains { $0.code == "config.value" && $0.message.contains("offensiv-tool") })
    }
}

@Suite("Baseline defaults stay in sync")
struct DefaultsBaselineTests {
    @Test("the YAML sensitivity table equals the built-in table")
    func sensitivityTable() throws {
        let loaded = try Harness.load("identity.new_api")
        let d = try #require(loaded.detector as? NewAPI)
        #expect(d.configuration.sensitivity == NewAPI.defaultSensitivity)
    }
}
