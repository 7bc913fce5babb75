import Detection

extension Registry {
    /// Detectors that compare an identity with its own baseline.
    static let baselineDetectors: [DetectorDescriptor] = [
        DetectorDescriptor(
            id: NewAPIDetector.detectorId,
            summary: "An identity calls an API it never called, scored by sensitivity and rarity",
            explanation: NewAPIDetector.explanation, defaultSeverity: .medium,
            mitre: ["T1078.004", "T1087.004", "T1098", "T1526", "T1555.006", "T1562.008"],
            make: { NewAPIDetector(configuration: .init($0)) }),
        DetectorDescriptor(
            id: NewSourceDetector.detectorId, summary: "An identity calls from a network (/24, /48) never seen for it",
            explanation: NewSourceDetector.explanation, defaultSeverity: .medium,
            mitre: ["T1078.004"],
            make: { NewSourceDetector(configuration: .init($0)) }),
        DetectorDescriptor(
            id: NewUserAgentDetector.detectorId,
            summary: "An identity switches to a user-agent family never seen for it",
            explanation: NewUserAgentDetector.explanation, defaultSeverity: .medium,
            mitre: ["T1078.004"],
            make: { NewUserAgentDetector(configuration: .init($0)) }),
        DetectorDescriptor(
            id: SecretsEnumerationDetector.detectorId,
            summary: "Many distinct secrets read, beyond the identity's own maximum",
            explanation: SecretsEnumerationDetector.explanation, defaultSeverity: .high,
            mitre: ["T1087.004", "T1552", "T1555.006"],
            make: { SecretsEnumerationDetector(configuration: .init($0)) }),
        DetectorDescriptor(
            id: CredentialExfiltrationDetector.detectorId,
            summary: "A session key used outside the workload's networks or from two places",
            explanation: CredentialExfiltrationDetector.explanation, defaultSeverity: .critical,
            mitre: ["T1078.004", "T1552.005"],
            make: { CredentialExfiltrationDetector(configuration: .init($0)) }),
        DetectorDescriptor(
            id: DiscoveryBurstDetector.detectorId,
            summary: "Burst of distinct List/Describe/Get APIs or denials beyond the baseline",
            explanation: DiscoveryBurstDetector.explanation, defaultSeverity: .medium,
            mitre: ["T1087.004", "T1526", "T1580"],
            make: { DiscoveryBurstDetector(configuration: .init($0)) }),
        DetectorDescriptor(
            id: RoleChainDetector.detectorId, summary: "An identity assumes a role it never assumed",
            explanation: RoleChainDetector.explanation, defaultSeverity: .medium,
            mitre: ["T1078.004", "T1548.005"],
            make: { RoleChainDetector(configuration: .init($0)) }),
        DetectorDescriptor(
            id: UnusualRegionDetector.detectorId,
            summary: "Activity in a region neither the identity nor its account used",
            explanation: UnusualRegionDetector.explanation, defaultSeverity: .medium,
            mitre: ["T1496", "T1535"],
            make: { UnusualRegionDetector(configuration: .init($0)) }),
        DetectorDescriptor(
            id: VolumeSpikeDetector.detectorId,
            summary: "An hour's call count far beyond the identity's maximum per hour",
            explanation: VolumeSpikeDetector.explanation, defaultSeverity: .medium,
            mitre: ["T1119", "T1496", "T1530"],
            make: { VolumeSpikeDetector(configuration: .init($0)) }),
    ]
}
