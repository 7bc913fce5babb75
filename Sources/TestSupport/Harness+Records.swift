import Baselines
import Detection
import EventModel
import Formats
import Foundation
import Sigma

extension Harness {
    /// What one raw record gave.
    public struct RecordOutcome {
        /// Events decoded (several for a batch).
        public var events: [Event] = []
        /// Findings of the rules.
        public var findings: [Finding] = []
        /// Decoder diagnostics (a record that did not decode says why here).
        public var diagnostics: [Diagnostic] = []
    }

    /// Decodes `json` (one provider record) with the real decoder, which decides the loaded
    /// `rules` on the record as `scan` does (or, with `prematched: false`, keeps the raw record
    /// for the rules to read), and runs the rules alone on it in a fresh engine that learns no
    /// baselines: how rule tests (the pack's cases, the SigmaHQ generated records) see a record.
    public static func record(_ json: String, rules: SigmaRuleSet, prematched: Bool = true) -> RecordOutcome {
        var out = RecordOutcome()
        var interest = rules.rawInterest
        if !prematched { interest.prematcher = nil }
        var decoder = RecordDecoder(rawInterest: interest)
        var bytes = Array(json.utf8)
        let result = bytes.withUnsafeMutableBytes {
            decoder.decode(UnsafeRawBufferPointer($0), origin: Origin(path: "case", record: 1))
        }
        collect(result, &out)
        let h = Harness(detectors: rules.detectors, baselines: BaselineConfiguration())
        h.engine.observeBaselines = false
        out.findings = h.run(out.events) + h.finish()
        return out
    }

    private static func collect(_ r: DecodeResult, _ out: inout RecordOutcome) {
        switch r {
        case .event(let e): out.events.append(e)
        case .skipped(let d), .failed(let d): out.diagnostics.append(d)
        case .omitted: break
        case .batch(let list): for x in list { collect(x, &out) }
        }
    }
}
