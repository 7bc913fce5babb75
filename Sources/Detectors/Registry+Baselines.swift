import Detection

extension Registry {
    /// Detectors that compare an identity with its own baseline.
    static let baselineDetectors: [DetectorDescriptor] = []
}
