import ByteJSON
import EventModel

/// The formats the decoder knows, in sniffing order (most common first; wrappers whose
/// marker is specific before the lenient envelopes: AKS `kube-audit` records before Azure's
/// generic envelope, the EKS `message` wrapper before everything that has a `message`; GCP load
/// balancer entries before audit LogEntries, Application Gateway records before Azure's envelope;
/// the front-door JSON formats, whose keys are plain words, last).
/// Records no format claims are offered to the workflow mappings (`WorkflowMapping`).
public enum FormatRegistry {
    static let formats: [any RecordFormat.Type] = [
        CloudTrail.self, EventBridge.self, CloudTrailDigest.self, CloudTrailMetadata.self, OCSFAPIActivity.self,
        KubernetesAudit.self, GCPLoadBalancer.self, GCPAudit.self, AKSAudit.self, AppGatewayAccessLog.self,
        AzureActivity.self, WorkflowLog.self, EKSAuditMessage.self, CloudWatchBatch.self, EnvoyAccessLog.self,
        NginxJSONLog.self,
    ]

    /// Formats of text lines (records that do not start like JSON), in sniffing order.
    static let textFormats: [any TextFormat.Type] = [ALBAccessLog.self, NginxAccessLog.self]

    /// Names of the known formats, in sniffing order.
    public static var names: [String] { formats.map { $0.name } + textFormats.map { $0.name } }

    /// Name of the format that claims the JSON object in `bytes`; nil when the input is not
    /// a JSON object or no format claims it.
    public static func sniff(_ bytes: UnsafeRawBufferPointer) -> String? {
        let reader = JSONReader(bytes)
        guard (try? reader.rootKind()) == .object, var it = try? reader.rootMembers() else { return nil }
        var fields = RecordFields()
        guard (try? fields.collect(&it)) != nil else { return nil }
        return formats.first { $0.sniff(fields) }?.name
    }
}
