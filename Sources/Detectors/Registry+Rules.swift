import Detection

extension Registry {
    /// Detectors that need no baseline (defense evasion, persistence, privilege escalation).
    static let ruleDetectors: [DetectorDescriptor] = [
        DetectorDescriptor(
            id: BedrockLoggingDeleted.id, summary: "Bedrock model invocation logging deleted",
            explanation: BedrockLoggingDeleted.explanation, defaultSeverity: .high
        ) { BedrockLoggingDeleted(configuration: .init(reading: $0)) },
        DetectorDescriptor(
            id: CloudTrailTampering.id, summary: "CloudTrail stopped, deleted, or narrowed to log less",
            explanation: CloudTrailTampering.explanation, defaultSeverity: .critical
        ) { CloudTrailTampering(configuration: .init(reading: $0)) },
        DetectorDescriptor(
            id: ConfigDisabled.id, summary: "AWS Config recorder stopped or deleted, or its delivery channel deleted",
            explanation: ConfigDisabled.explanation, defaultSeverity: .critical
        ) { ConfigDisabled(configuration: .init(reading: $0)) },
        DetectorDescriptor(
            id: FlowLogsDeleted.id, summary: "VPC flow logs deleted",
            explanation: FlowLogsDeleted.explanation, defaultSeverity: .high
        ) { FlowLogsDeleted(configuration: .init(reading: $0)) },
        DetectorDescriptor(
            id: GuardDutyDisabled.id,
            summary: "GuardDuty deleted, disabled, disconnected or blinded by a trusted IP list",
            explanation: GuardDutyDisabled.explanation, defaultSeverity: .critical
        ) { GuardDutyDisabled(configuration: .init(reading: $0)) },
        DetectorDescriptor(
            id: LeaveOrganization.id, summary: "Account left its AWS Organization",
            explanation: LeaveOrganization.explanation, defaultSeverity: .high
        ) { LeaveOrganization(configuration: .init(reading: $0)) },
        DetectorDescriptor(
            id: AccessKeyForOtherUser.id, summary: "Access key created for another IAM user",
            explanation: AccessKeyForOtherUser.explanation, defaultSeverity: .high
        ) { AccessKeyForOtherUser(configuration: .init(reading: $0)) },
        DetectorDescriptor(
            id: FederationToken.id, summary: "Federation token minted (GetFederationToken)",
            explanation: FederationToken.explanation, defaultSeverity: .medium
        ) { FederationToken(configuration: .init(reading: $0)) },
        DetectorDescriptor(
            id: IAMUserCreated.id, summary: "IAM user created",
            explanation: IAMUserCreated.explanation, defaultSeverity: .medium
        ) { IAMUserCreated(configuration: .init(reading: $0)) },
        DetectorDescriptor(
            id: LambdaBackdoor.id, summary: "Lambda layer added, public function URL, or open invoke permission",
            explanation: LambdaBackdoor.explanation, defaultSeverity: .medium
        ) { LambdaBackdoor(configuration: .init(reading: $0)) },
        DetectorDescriptor(
            id: LoginProfile.id, summary: "Console password created or reset for an IAM user",
            explanation: LoginProfile.explanation, defaultSeverity: .high
        ) { LoginProfile(configuration: .init(reading: $0)) },
        DetectorDescriptor(
            id: RoleTrustExternal.id, summary: "Role trust policy opened to any principal or a foreign account",
            explanation: RoleTrustExternal.explanation, defaultSeverity: .high
        ) { RoleTrustExternal(configuration: .init(reading: $0)) },
        DetectorDescriptor(
            id: RolesAnywhere.id, summary: "IAM Roles Anywhere trust anchor or profile created or changed",
            explanation: RolesAnywhere.explanation, defaultSeverity: .high
        ) { RolesAnywhere(configuration: .init(reading: $0)) },
        DetectorDescriptor(
            id: AdminPolicy.id, summary: "Administrator policy attached, or policy allowing * / iam:* on * written",
            explanation: AdminPolicy.explanation, defaultSeverity: .critical
        ) { AdminPolicy(configuration: .init(reading: $0)) },
    ]
}
