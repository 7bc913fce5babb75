import Baselines
import EventModel

// How `DetectionEngine` holds its detectors: built once at start, read for every event.

/// A loaded detector as the per-event path reaches it: one reference to fetch, nothing copied.
final class Slot {
    let detector: any Detector
    let context: DetectionContext
    let isFirstTimeAPI: Bool
    /// `Detector.prematched`, read once.
    let prematched: (set: UInt64, index: UInt32)?
    /// `detector` behind a class, which `SlotCall` can reach unretained.
    let call: DetectorCall

    init(_ d: LoadedDetector, _ baselines: BaselineStore, _ memo: EventMemo) {
        detector = d.detector
        prematched = d.detector.prematched
        context = DetectionContext(baselines: baselines, spec: d.spec, memo: memo)
        isFirstTimeAPI = d.spec.id == DetectionEngine.firstTimeAPIDetectorId
        call = DetectorCall.of(d.detector)
    }
}

/// What `run` reads per detector per event: plain values and unretained references, kept alive
/// by their `Slot`. Calling a detector held as `any Detector`, or passing a context read off a
/// class, retained and released both on every call, whatever the reference was read through
/// (an `unowned(unsafe)` one too): two retains and two releases per detector per event.
struct SlotCall {
    let detector: Unmanaged<DetectorCall>
    let context: Unmanaged<DetectionContext>
    let prematched: (set: UInt64, index: UInt32)?

    init(_ slot: Slot) {
        detector = .passUnretained(slot.call)
        context = .passUnretained(slot.context)
        prematched = slot.prematched
    }
}

/// A detector behind a class method: a call on an unretained class reference
/// (`Unmanaged._withUnsafeGuaranteedRef`) counts no references, which a call on an existential
/// cannot avoid (`Unmanaged` takes no existential).
class DetectorCall {
    /// `Detector.evaluate` of the wrapped detector.
    func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {}

    /// The wrapper of `detector` (its dynamic type opened).
    static func of(_ detector: some Detector) -> DetectorCall { Of(detector) }

    private final class Of<D: Detector>: DetectorCall {
        let detector: D
        init(_ detector: D) { self.detector = detector }
        override func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
            detector.evaluate(event, context: context, into: &signals)
        }
    }
}
