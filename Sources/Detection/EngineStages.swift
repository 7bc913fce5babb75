import EventModel

/// A stage every finding passes through after its detector raised it and
/// before the dedup window (the risk correlator is one): it may change the
/// finding. Given to `DetectionEngine` at construction, so the stages, their
/// order and their saved state are fixed before any event or restore; there is
/// no attach call to forget or to order.
public protocol FindingStage: AnyObject {
    /// Key of the stage's entry in the detector-state map (`nil`: the stage keeps no state,
    /// or saves it inside the engine's own entry, as the risk correlator does).
    var stateKey: String? { get }
    /// Sees (and may change) one finding.
    func process(_ finding: inout Finding)
    /// The stage's memory, saved with the detectors (`nil`: nothing to save).
    func snapshot() -> [UInt8]?
    /// Restores what `snapshot()` wrote; bad bytes leave the stage as it was.
    func restore(_ bytes: [UInt8])
}

/// Sees the engine's events (each once, after duplicate removal, in engine
/// order) and the findings it emits, without raising any: the incident
/// builder's chain of identities is one. Given at construction, like stages.
public protocol EngineObserver: AnyObject {
    /// Operations the observer wants (`nil`: every event). An observer keyed by operation sees the
    /// event after the detectors keyed by the same operation ran, as the incident chain always has.
    var operations: [String]? { get }
    /// Key of the observer's entry in the detector-state map (`nil`: nothing saved).
    var stateKey: String? { get }
    /// One event.
    func observe(_ event: Event)
    /// One finding the engine emitted (after dedup, in emission order).
    func found(_ finding: Finding)
    /// The observer's memory, saved with the detectors (`nil`: nothing to save).
    func snapshot() -> [UInt8]?
    /// Restores what `snapshot()` wrote; bad bytes leave the observer as it was.
    func restore(_ bytes: [UInt8])
}

extension RiskCorrelator: FindingStage {
    /// Saved inside the engine's own entry (`#engine`), where state files have always held it.
    public var stateKey: String? { nil }

    /// Correlates the finding (see `correlate(_:)`).
    public func process(_ finding: inout Finding) { correlate(&finding) }

    /// Saved by the engine (see `stateKey`).
    public func snapshot() -> [UInt8]? { nil }

    /// Restored by the engine (see `stateKey`).
    public func restore(_ bytes: [UInt8]) {}
}
