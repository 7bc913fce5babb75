import Detection
import EventModel
import Investigation

/// Feeds an `IncidentBuilder` from inside the detection engine, as one of its
/// observers: the chain edges of the events of `ChainEdges.operations` (each
/// event once, after duplicate removal, in engine order) and every finding the
/// engine emits. It raises nothing and costs nothing on other events.
public final class IncidentChainObserver: EngineObserver {
    /// Key of the open incidents in the detector-state map (the id the observer had when it
    /// was registered as a detector, so state files written then still restore).
    public static let key = "incident.chain_observer"
    /// Only the operations that can chain identities.
    public let operations: [String]? = Array(ChainEdges.operations)
    /// The builder fed.
    public let builder: IncidentBuilder
    /// Whether the builder's open incidents are saved with the detector states
    /// (a live service; a scan reports every incident at its end, so it keeps none).
    public let persistent: Bool

    /// Creates an observer.
    public init(builder: IncidentBuilder, persistent: Bool = false) {
        self.builder = builder
        self.persistent = persistent
    }

    /// `key` when `persistent`.
    public var stateKey: String? { persistent ? Self.key : nil }

    /// Records the event's chain edges.
    public func observe(_ event: Event) { builder.observe(event) }

    /// Records the finding.
    public func found(_ finding: Finding) { builder.add(finding) }

    /// The open incidents.
    public func snapshot() -> [UInt8]? { builder.snapshot() }

    /// Restores open incidents saved by a previous run (bad bytes: nothing restored).
    public func restore(_ bytes: [UInt8]) { _ = builder.restore(bytes) }
}
