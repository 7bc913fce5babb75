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

    /// Looks a detector up by id.
    public static func descriptor(id: String) -> DetectorDescriptor? {
        all.first { $0.id == id }
    }
}
