import Detection

extension Registry {
    /// Detectors of the non-AWS log sources: Kubernetes audit and AI-workflow server logs.
    static let sourceDetectors: [DetectorDescriptor] = [
        DetectorDescriptor(
            id: K8sPrivilegedBinding.id,
            summary: "Kubernetes binding to cluster-admin, or a service account's first pod exec",
            explanation: K8sPrivilegedBinding.explanation, defaultSeverity: .critical,
            mitre: ["T1098.006", "T1609"]
        ) { K8sPrivilegedBinding(configuration: .init(reading: $0)) },
        DetectorDescriptor(
            id: K8sSecretSweep.id, summary: "Kubernetes secrets read across many namespaces, or listed cluster-wide",
            explanation: K8sSecretSweep.explanation, defaultSeverity: .high,
            mitre: ["T1552.007", "T1613"]
        ) { K8sSecretSweep(configuration: .init(reading: $0)) },
        DetectorDescriptor(
            id: WorkflowCodeExecutionConfirmed.id,
            summary: "Unauthenticated code request to an AI-workflow server confirmed by the server's own record",
            explanation: WorkflowCodeExecutionConfirmed.explanation, defaultSeverity: .critical,
            mitre: ["T1059.006", "T1190"]
        ) { WorkflowCodeExecutionConfirmed(configuration: .init(reading: $0)) },
        DetectorDescriptor(
            id: WorkflowExploitSequence.id,
            summary: "Version probe then code request from one address, then a new outbound tool target",
            explanation: WorkflowExploitSequence.explanation, defaultSeverity: .critical,
            mitre: ["T1071.001", "T1190", "T1595.002"]
        ) { WorkflowExploitSequence(configuration: .init(reading: $0)) },
        DetectorDescriptor(
            id: WorkflowMetadataAccess.id,
            summary: "AI-workflow request or tool call reaching a cloud metadata endpoint",
            explanation: WorkflowMetadataAccess.explanation, defaultSeverity: .high,
            mitre: ["T1190", "T1552.005"]
        ) { WorkflowMetadataAccess(configuration: .init(reading: $0)) },
        DetectorDescriptor(
            id: WorkflowNewToolKind.id, summary: "A workflow starts using a shell, file or network tool it never used",
            explanation: WorkflowNewToolKind.explanation, defaultSeverity: .medium,
            mitre: ["T1005", "T1059", "T1071.001"]
        ) { WorkflowNewToolKind(configuration: .init(reading: $0)) },
        DetectorDescriptor(
            id: WorkflowUnauthenticatedExecution.id,
            summary: "Unauthenticated request to an AI-workflow endpoint that runs code or flows",
            explanation: WorkflowUnauthenticatedExecution.explanation, defaultSeverity: .high,
            mitre: ["T1059", "T1190"]
        ) { WorkflowUnauthenticatedExecution(configuration: .init(reading: $0)) },
        DetectorDescriptor(
            id: WorkflowWorkloadActivity.id,
            summary: "An AI-workflow server's workload identity acts unusually right after a code request",
            explanation: WorkflowWorkloadActivity.explanation, defaultSeverity: .high,
            mitre: ["T1078.004", "T1552.005"]
        ) { WorkflowWorkloadActivity(configuration: .init(reading: $0)) },
    ]
}
