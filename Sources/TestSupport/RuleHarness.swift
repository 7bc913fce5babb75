import Baselines
import Detection
import EventModel
import Formats
import Foundation
import Sigma

/// Runs raw provider records through the real decoder (keeping raw records as the loaded rules
/// ask) and the real detection engine with only the rules loaded, and says which detector ids
/// fired: the one harness rule tests (the pack's cases, the SigmaHQ generated records) use.
public struct RuleHarness {
    /// The loaded rules.
    public let rules: SigmaRuleSet

    /// A harness over `rules`.
    public init(rules: SigmaRuleSet) { self.rules = rules }

    /// What one record gave.
    public struct Outcome {
        /// Events decoded (several for a batch).
        public var events: [Event] = []
        /// Findings of the rules.
        public var findings: [Finding] = []
        /// Decoder diagnostics (a record that did not decode says why here).
        public var diagnostics: [Diagnostic] = []
    }

    /// Decodes `json` (one record) and runs the rules on it, in a fresh engine.
    public func run(_ json: String) -> Outcome {
        var out = Outcome()
        var decoder = RecordDecoder(rawInterest: rules.rawInterest)
        var bytes = Array(json.utf8)
        let result = bytes.withUnsafeMutableBytes {
            decoder.decode(UnsafeRawBufferPointer($0), origin: Origin(path: "case", record: 1))
        }
        collect(result, &out)
        let engine = DetectionEngine(
            detectors: rules.detectors, baselines: BaselineStore(configuration: BaselineConfiguration()))
        engine.observeBaselines = false
        for e in out.events { engine.process(e) { out.findings.append($0) } }
        engine.finish { out.findings.append($0) }
        return out
    }

    private func collect(_ r: DecodeResult, _ out: inout Outcome) {
        switch r {
        case .event(let e): out.events.append(e)
        case .skipped(let d), .failed(let d): out.diagnostics.append(d)
        case .omitted: break
        case .batch(let list): for x in list { collect(x, &out) }
        }
    }

}
