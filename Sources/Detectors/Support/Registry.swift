import Detection

/// Every built-in detector, sorted by id. Add a detector with one line in
/// `Registry+Rules.swift` (no baseline needed) or `Registry+Baselines.swift`.
public enum Registry {
    /// All built-in detectors, sorted by id.
    public static var all: [DetectorDescriptor] {
        (ruleDetectors + baselineDetectors + sourceDetectors).sorted { $0.id < $1.id }
    }

    /// Ids of the detectors that need baselines (`scan --no-baselines` leaves them out).
    public static var baselineDetectorIds: Set<String> { Set(baselineDetectors.map(\.id)) }

    /// What a detector is built on, for the docs table: `rule` (the event alone, no
    /// baseline), `baseline` (the identity against its own past; left out by
    /// `scan --no-baselines`) or `source` (Kubernetes audit and AI-workflow logs).
    public static func kind(id: String) -> String {
        if baselineDetectors.contains(where: { $0.id == id }) { return "baseline" }
        if sourceDetectors.contains(where: { $0.id == id }) { return "source" }
        return "rule"
    }

    /// Looks a detector up by id.
    public static func descriptor(id: String) -> DetectorDescriptor? {
        all.first { $0.id == id }
    }
}
