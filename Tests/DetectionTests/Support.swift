import Baselines
import Config
import Detection
import EventModel
import Foundation
import TestSupport
import Testing

/// A detector for exercising the loader and the engine: records the operations it
/// sees and raises one signal per event (key = `parameters["key"]` or the
/// operation, resource = `parameters["resource"]`). Settings cover every
/// `ConfigReader` accessor the real detectors use.
class ProbeDetector: Detector {
    let id: String
    let interest: Interest
    /// Operations seen, in order.
    var seen: [String] = []
    let threshold: Int
    let ratio: Double
    let names: [String]
    let window: Int64
    let pendingOnFinish: Bool
    /// Raises every signal without its words (`Signal.wordingDeferred`); `word` fills them in.
    let deferWording: Bool
    /// Signals whose words the engine asked for.
    var worded = 0
    /// Signals raised.
    var raised = 0

    init(id: String, settings r: ConfigReader, all: Bool = false) {
        self.id = id
        threshold = r.int("threshold", default: 5, in: 1...10)
        ratio = r.double("ratio", default: 0.5, in: 0...1)
        names = r.strings("names", default: [])
        window = r.duration("window", default: 600_000)
        pendingOnFinish = r.bool("pending_on_finish", default: false)
        deferWording = r.bool("defer_wording", default: false)
        let ops = r.strings("operations", default: ["Probe"])
        interest = all ? .all : .operations(Set(ops))
    }

    func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
        seen.append(event.action.operation)
        if event.parameters["quiet"] != nil { return }
        raised += 1
        var s = Signal(
            severity: context.spec.severity, title: "", explanation: "",
            key: event.parameters["key"] ?? event.action.operation, failedAttempt: !event.outcome.isSuccess,
            resource: event.parameters["resource"] ?? "")
        if deferWording {
            s.wordingDeferred = true
        } else {
            Self.fillWords(&s, event)
        }
        signals.append(s)
    }

    static func fillWords(_ s: inout Signal, _ event: Event) {
        s.title = "probe saw \(event.action.operation)"
        s.explanation = "probe"
        s.facts = [Fact("operation", event.action.operation)]
        s.mitre = ["T0000"]
    }

    func word(_ signal: Signal, for event: Event) -> Signal {
        worded += 1
        var s = signal
        Self.fillWords(&s, event)
        return s
    }

    func finish(now: Int64, context: DetectionContext, into signals: inout [(Identity, Signal)]) {
        guard pendingOnFinish else { return }
        signals.append(
            (
                Identity(key: "arn:aws:iam::1:role/pending", type: .assumedRole),
                Signal(severity: .high, title: "pending window", explanation: "flushed", key: "window")
            ))
    }
}

/// A probe registered as a built-in detector type: its id, severity and routing come from `P`.
protocol ProbeFacts {
    /// Detector id.
    static var id: String { get }
    /// Default severity.
    static var defaultSeverity: Severity { get }
    /// Every event (true) or operations only.
    static var all: Bool { get }
}

/// `test.all`: every event, default severity low.
enum AllFacts: ProbeFacts {
    static let id = "test.all"
    static let defaultSeverity = Severity.low
    static let all = true
}

/// `test.probe`: routed by operation, default severity medium.
enum OperationFacts: ProbeFacts {
    static let id = "test.probe"
    static let defaultSeverity = Severity.medium
    static let all = false
}

/// `identity.new_api` played by a probe over every event.
enum NewAPIFacts: ProbeFacts {
    static let id = "identity.new_api"
    static let defaultSeverity = Severity.medium
    static let all = true
}

/// A probe detector type for the loader's registry.
final class Probe<Facts: ProbeFacts>: ProbeDetector, BuiltInDetector {
    static var id: String { Facts.id }
    static var summary: String { "probe" }
    static var defaultSeverity: Severity { Facts.defaultSeverity }
    static var explanation: String { "probe" }
    static var mitre: [String] { ["T0000"] }
    static var kind: DetectorKind { .rule }

    init(settings: ConfigReader) { super.init(id: Facts.id, settings: settings, all: Facts.all) }
}

/// Two probe detectors: `test.probe` (routed by operation) and `test.all` (every event).
let probeRegistry: [any BuiltInDetector.Type] = [Probe<AllFacts>.self, Probe<OperationFacts>.self]

/// A minimal valid probe config followed by `extra` lines.
func probeYAML(id: String = "test.probe", _ extra: String = "") -> String {
    "version: 1\nid: \(id)\nseverity: high\n" + extra
}

/// Loads one YAML text with the probe registry.
func loadProbe(_ yaml: String, file: String = "probe.yaml") -> (LoadedDetector?, [ConfigIssue]) {
    let sink = IssueSink()
    let d = DetectorLoader.load(yaml: yaml, file: file, registry: probeRegistry, sink: sink)
    return (d, sink.issues)
}

/// A fresh temporary directory, removed by the caller.
func temporaryDirectory() throws -> String { try Repository.temporaryDirectory("trailhound-detection").path }

/// The detection tests' defaults for `TestEvents.event` (TestSupport): a role `app` calling
/// service `test` at `t0 + minute`.
enum Events {
    /// 2026-01-01T00:00:00Z.
    static let t0 = TestEvents.t0

    /// An event by role `role` at `t0 + minute`.
    static func make(
        _ operation: String, minute: Int = 0, role: String = "app", error: String = "",
        ip: String = "10.1.2.3", params: [String: String] = [:], id: String? = nil, account: String = "111122223333"
    ) -> Event {
        TestEvents.event(
            time: t0 + Int64(minute) * 60_000,
            identity: Identity(key: "arn:aws:iam::\(account):role/\(role)", type: .assumedRole, displayName: role),
            service: "test", operation: operation, source: Source(kind: .ip, raw: ip, ips: [ip]),
            userAgent: UserAgent(raw: "aws-cli/2", family: .awsCLI), account: account,
            outcome: error.isEmpty ? .success : Outcome(errorCode: error), parameters: params,
            eventId: id ?? UUID().uuidString)
    }
}
