import EventModel

/// Per-identity behavioural baselines (placeholder API; see issue 3).
public final class BaselineStore {
    /// Creates an empty store.
    public init() {}

    /// Folds an event into its identity's baseline.
    public func observe(_ event: Event) {}
}
