import Detection

/// Every built-in detector, as a list of types (like `FormatRegistry`): each type declares its
/// id, summary, severity, explanation and kind itself. The list is not written by hand: Swift
/// has no runtime type discovery, so `Plugins/DetectorRegistryPlugin` generates
/// `generatedBuiltInDetectors()` at build time from every type in this module that conforms to
/// `BuiltInDetector`. Adding a detector is then its file, its YAML and its test, nothing else.
public enum Registry {
    /// All built-in detectors, sorted by id.
    public static let all: [any BuiltInDetector.Type] = generatedBuiltInDetectors().sorted { $0.id < $1.id }

    /// Ids of the detectors that need baselines (`scan --no-baselines` leaves them out).
    public static var baselineDetectorIds: Set<String> { Set(all.filter { $0.kind == .baseline }.map { $0.id }) }

    /// Looks a detector up by id.
    public static func type(id: String) -> (any BuiltInDetector.Type)? {
        all.first { $0.id == id }
    }
}
