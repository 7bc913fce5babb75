import Detection

extension Registry {
    /// Detectors that need no baseline (defense evasion, persistence, privilege escalation).
    static let ruleDetectors: [DetectorDescriptor] = []
}
