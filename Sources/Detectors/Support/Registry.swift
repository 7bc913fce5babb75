import Detection

/// Every built-in detector, as a list of types (like `FormatRegistry`): each type declares its
/// id, summary, severity, explanation and kind itself, so adding a detector is its file, its
/// YAML, its test and one line here.
public enum Registry {
    /// All built-in detectors, sorted by id.
    public static let all: [any BuiltInDetector.Type] = [
        AccessKeyForOtherUser.self, AdminPolicy.self, CloudTrailTampering.self, CredentialExfiltration.self,
        DiscoveryBurst.self, GuardDutyDisabled.self, K8sPrivilegedBinding.self, K8sSecretSweep.self,
        LambdaBackdoor.self, LoginProfile.self, MFADeviceDeactivated.self, NewAPI.self, NewSource.self,
        NewUserAgent.self, RoleChain.self,
        RoleTrustExternal.self, RolesAnywhere.self, SecretsEnumeration.self, UnusualRegion.self, VolumeSpike.self,
        WorkflowCodeExecutionConfirmed.self, WorkflowExploitSequence.self, WorkflowMetadataAccess.self,
        WorkflowNewToolKind.self, WorkflowUnauthenticatedExecution.self, WorkflowWorkloadActivity.self,
    ].sorted { $0.id < $1.id }

    /// Ids of the detectors that need baselines (`scan --no-baselines` leaves them out).
    public static var baselineDetectorIds: Set<String> { Set(all.filter { $0.kind == .baseline }.map { $0.id }) }

    /// Looks a detector up by id.
    public static func type(id: String) -> (any BuiltInDetector.Type)? {
        all.first { $0.id == id }
    }
}
