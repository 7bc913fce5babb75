import Baselines
import Config
import Detection
import Detectors
import EventModel
import Foundation
import Testing

/// The one test harness: a real `DetectionEngine` with a real `BaselineStore`, running detectors
/// loaded from their real `detectors/<id>.yaml` files (optionally edited), a whole detector set,
/// or loaded rules (`Harness.record(_:rules:)`). Every finding it emits is kept in `findings`.
public final class Harness {
    /// The engine.
    public let engine: DetectionEngine
    /// The baseline store the engine learns into.
    public let store: BaselineStore
    /// Config issues found while loading a single detector (tests of bad settings read them).
    public let issues: [ConfigIssue]
    /// Every finding emitted so far, in order.
    public private(set) var findings: [Finding] = []

    /// Loads `detectors/<id>.yaml`, optionally edited (e.g. to add allow-list entries); the issues
    /// are kept in `issues`, not asserted, so a test of a bad setting can check them.
    public init(_ id: String, edit: (String) -> String = { $0 }) throws {
        let sink = IssueSink()
        let loaded = DetectorLoader.load(
            yaml: edit(try Repository.detectorYAML(id)), file: "\(id).yaml", registry: Registry.all, sink: sink)
        issues = sink.issues
        store = BaselineStore()
        engine = DetectionEngine(detectors: loaded.map { [$0] } ?? [], baselines: store)
    }

    /// Several detectors, each loaded cleanly from its YAML with the `replacing` text edits, over
    /// a store with `baselines`, with finding `stages` (the risk correlator).
    public init(
        _ ids: [String], baselines: BaselineConfiguration = .default, replacing: [(String, String)] = [],
        stages: [any FindingStage] = []
    ) throws {
        store = BaselineStore(configuration: baselines)
        issues = []
        engine = DetectionEngine(
            detectors: try ids.map { try Self.load($0, replacing: replacing) }, baselines: store, stages: stages)
    }

    /// The whole engine: the given detectors (say `DetectorLoader.load(directory:registry:)` of the
    /// repository's `detectors/`), a store with `baselines`, and `stages`.
    public init(
        detectors: [LoadedDetector], baselines: BaselineConfiguration = .default, stages: [any FindingStage] = []
    ) {
        store = BaselineStore(configuration: baselines)
        issues = []
        engine = DetectionEngine(detectors: detectors, baselines: store, stages: stages)
    }

    /// Loads `detectors/<id>.yaml` through the real loader and registry after the text edits in
    /// `replacing`; a load with issues fails the test.
    public static func load(_ id: String, replacing: [(String, String)] = []) throws -> LoadedDetector {
        var text = try Repository.detectorYAML(id)
        for (a, b) in replacing { text = text.replacingOccurrences(of: a, with: b) }
        let sink = IssueSink()
        let file = Repository.root.appendingPathComponent("detectors/\(id).yaml").path
        let loaded = DetectorLoader.load(yaml: text, file: file, registry: Registry.all, sink: sink)
        #expect(sink.issues.isEmpty, "\(sink.issues)")
        return try #require(loaded)
    }

    /// Processes events in order; returns the findings they emitted at once.
    @discardableResult
    public func run(_ events: Event...) -> [Finding] { run(events) }

    /// Processes events in order; returns the findings they emitted at once.
    @discardableResult
    public func run(_ events: [Event]) -> [Finding] {
        var out: [Finding] = []
        for e in events { engine.process(e) { out.append($0) } }
        findings += out
        return out
    }

    /// Processes one event (the findings are in `findings`).
    public func feed(_ e: Event) { run([e]) }

    /// Processes events in order (the findings are in `findings`).
    public func feed(_ events: [Event]) { run(events) }

    /// End of input: returns the follow-up findings (dedup counts, windows still open).
    @discardableResult
    public func finish() -> [Finding] {
        var out: [Finding] = []
        engine.finish { out.append($0) }
        findings += out
        return out
    }

    /// The findings of one detector so far.
    public func findings(_ detector: String) -> [Finding] { findings.filter { $0.detector == detector } }

    /// Runs events through a fresh engine for `id` (loaded cleanly from its YAML); the findings.
    public static func findings(_ id: String, _ events: Event...) throws -> [Finding] {
        let h = try Harness(id)
        #expect(h.issues.isEmpty, "\(h.issues)")
        return h.run(events)
    }
}

/// Replaces the file's `allowlist: []` with the given entries (YAML list items): an `edit` for
/// `Harness(_:edit:)`.
public func withAllowlist(_ entries: String...) -> (String) -> String {
    { yaml in
        #expect(yaml.contains("\nallowlist: []\n"))
        return yaml.replacingOccurrences(
            of: "\nallowlist: []\n", with: "\nallowlist:\n" + entries.joined(separator: "\n") + "\n")
    }
}

/// Replaces one `settings:` line (`  key: value`) of the file: an `edit` for `Harness(_:edit:)`.
public func withSetting(_ key: String, _ value: String) -> (String) -> String {
    { yaml in
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.contains { $0.hasPrefix("  \(key):") }, "setting \(key) not in file")
        return lines.map { $0.hasPrefix("  \(key):") ? "  \(key): \(value)" : String($0) }.joined(separator: "\n")
    }
}

extension Finding {
    /// Value of a fact, nil when absent.
    public func fact(_ name: String) -> String? { facts.first { $0.name == name }?.value }

    /// Everything a reader of the finding sees, as one string: two runs that must agree are
    /// compared on it (`Finding` is not `Equatable`).
    public var comparable: String {
        let facts = facts.map { "\($0.name)=\($0.value)" }.joined(separator: ",")
        return [
            detector, severity.description, identity, account, String(firstSeen), String(lastSeen),
            eventIds.joined(separator: ","), String(count), title, explanation, facts, mitre.joined(separator: ","),
            key,
        ].joined(separator: "|")
    }
}
