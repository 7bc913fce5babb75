import Detection

extension Registry {
    /// Detectors that need no baseline (defense evasion, persistence, privilege escalation).
    static let ruleDetectors: [DetectorDescriptor] = [
        DetectorDescriptor(
            id: CloudTrailTampering.id, summary: "CloudTrail stopped, deleted, or narrowed to log less",
            explanation: CloudTrailTampering.explanation, defaultSeverity: .critical,
            mitre: ["T1562.008"]
        ) { CloudTrailTampering(configuration: .init(reading: $0)) },
        DetectorDescriptor(
            id: GuardDutyDisabled.id,
            summary: "GuardDuty deleted, disabled, disconnected or blinded by a trusted IP list",
            explanation: GuardDutyDisabled.explanation, defaultSeverity: .critical,
            mitre: ["T1562.001"]
        ) { GuardDutyDisabled(configuration: .init(reading: $0)) },
        DetectorDescriptor(
            id: AccessKeyForOtherUser.id, summary: "Access key created for another IAM user",
            explanation: AccessKeyForOtherUser.explanation, defaultSeverity: .high,
            mitre: ["T1098.001"]
        ) { AccessKeyForOtherUser(configuration: .init(reading: $0)) },
        DetectorDescriptor(
            id: LambdaBackdoor.id, summary: "Lambda layer added, public function URL, or open invoke permission",
            explanation: LambdaBackdoor.explanation, defaultSeverity: .medium,
            mitre: ["T1098", "T1546"]
        ) { LambdaBackdoor(configuration: .init(reading: $0)) },
        DetectorDescriptor(
            id: LoginProfile.id, summary: "Console password created or reset for an IAM user",
            explanation: LoginProfile.explanation, defaultSeverity: .high,
            mitre: ["T1098"]
        ) { LoginProfile(configuration: .init(reading: $0)) },
        DetectorDescriptor(
            id: RoleTrustExternal.id, summary: "Role trust policy opened to any principal or a foreign account",
            explanation: RoleTrustExternal.explanation, defaultSeverity: .high,
            mitre: ["T1098"]
        ) { RoleTrustExternal(configuration: .init(reading: $0)) },
        DetectorDescriptor(
            id: RolesAnywhere.id, summary: "IAM Roles Anywhere trust anchor or profile created or changed",
            explanation: RolesAnywhere.explanation, defaultSeverity: .high,
            mitre: ["T1098"]
        ) { RolesAnywhere(configuration: .init(reading: $0)) },
        DetectorDescriptor(
            id: AdminPolicy.id, summary: "Administrator policy attached, or policy allowing * / iam:* on * written",
            explanation: AdminPolicy.explanation, defaultSeverity: .critical,
            mitre: ["T1078.004", "T1098.003"]
        ) { AdminPolicy(configuration: .init(reading: $0)) },
    ]
}
