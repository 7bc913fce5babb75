import EventModel

/// How a rule's `logsource` maps onto the providers Trailhound decodes, and how the field names
/// of the SigmaHQ rules map onto the records each provider's decoder reads.
///
/// Field aliases (applied before resolving, documented in docs/rules.md):
/// - GCP: `gcp.audit.method_name` (Elastic's name, used by SigmaHQ) → `protoPayload.methodName`,
///   and a leading `data.` (the Pub/Sub export envelope) is dropped: Trailhound reads LogEntry.
/// - Azure: the Log Analytics column names of the `AzureActivity` table (`OperationNameValue`,
///   `CategoryValue`, `ResourceProviderValue`, `ResourceId`, …) → the Activity Log record's own
///   (`operationName`, `category`, …); `{"value": …}` wrappers of the REST shape are unwrapped.
enum SigmaLogsource {
    /// The provider of a `logsource`, or nil with the reason.
    static func provider(product: String?, service: String?, category: String?) -> Result<Provider, Reason> {
        let p = product?.lowercased() ?? ""
        let s = service?.lowercased()
        switch p {
        case "aws" where s == nil || s == "cloudtrail": return .success(.aws)
        case "gcp" where s == nil || s == "gcp.audit": return .success(.gcp)
        case "azure" where s == "activitylogs": return .success(.azure)
        case "kubernetes" where s == nil || s == "audit": return .success(.kubernetes)
        case "workflow": return .success(.workflow)
        default:
            let text = [("product", product), ("service", service), ("category", category)]
                .compactMap { k, v in v.map { "\(k): \($0.prefix(60))" } }.joined(separator: ", ")
            return .failure(
                Reason(
                    "logsource {\(text)} is not read by Trailhound (aws/cloudtrail, gcp/gcp.audit, "
                        + "azure/activitylogs, kubernetes/audit, workflow)"))
        }
    }

    /// A reason text (a `Result` failure).
    struct Reason: Error { let text: String; init(_ t: String) { text = t } }

    /// The field as resolved in the provider's record.
    static func field(_ name: String, provider: Provider) -> SigmaField {
        var path = name
        switch provider {
        case .gcp:
            if path.hasPrefix("data.") { path.removeFirst(5) }
            if let a = gcpAliases[path] { path = a }
        case .azure:
            if let a = azureAliases[path] { path = a }
        default: break
        }
        return SigmaField(name: name, path: path, unwrapValue: provider == .azure)
    }

    static let gcpAliases: [String: String] = [
        "gcp.audit.method_name": "protoPayload.methodName",
        "gcp.audit.service_name": "protoPayload.serviceName",
        "gcp.audit.resource_name": "protoPayload.resourceName",
        "gcp.audit.principal_email": "protoPayload.authenticationInfo.principalEmail",
    ]

    static let azureAliases: [String: String] = [
        "OperationNameValue": "operationName", "OperationName": "operationName", "CategoryValue": "category",
        "ResourceProviderValue": "resourceProviderName", "ResourceId": "resourceId",
        "ActivityStatusValue": "status", "ActivitySubstatusValue": "subStatus", "Caller": "caller",
        "CallerIpAddress": "callerIpAddress", "CorrelationId": "correlationId",
        "ResourceGroup": "resourceGroupName", "SubscriptionId": "subscriptionId",
    ]

    /// The field whose literal values name the operation (`Event.action.operation`), for the
    /// index; nil when the provider's operation is not one field (Kubernetes: `verb resource`).
    static func operationPath(_ provider: Provider) -> String? {
        switch provider {
        case .aws: return "eventName"
        case .azure: return "operationName"
        case .gcp: return "protoPayload.methodName"
        case .kubernetes, .workflow: return nil
        }
    }

    /// Top-level members the provider's records can have; nil when open-ended (workflow logs,
    /// whose shape is the mapping's). A field whose first segment is not here never exists.
    static func topLevel(_ provider: Provider) -> Set<String>? {
        switch provider {
        case .aws:
            return [
                "eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion",
                "sourceIPAddress", "userAgent", "errorCode", "errorMessage", "requestParameters",
                "responseElements", "additionalEventData", "requestID", "eventID", "readOnly", "resources",
                "eventType", "apiVersion", "managementEvent", "recipientAccountId", "serviceEventDetails",
                "sharedEventID", "vpcEndpointId", "vpcEndpointAccountId", "eventCategory", "tlsDetails",
                "sessionCredentialFromConsole", "edgeDeviceDetails", "insightDetails", "addendum",
            ]
        case .kubernetes:
            return [
                "kind", "apiVersion", "level", "auditID", "stage", "requestURI", "verb", "user", "impersonatedUser",
                "sourceIPs", "userAgent", "objectRef", "responseStatus", "requestObject", "responseObject",
                "requestReceivedTimestamp", "stageTimestamp", "annotations",
            ]
        case .gcp:
            return [
                "protoPayload", "insertId", "resource", "timestamp", "severity", "logName", "operation",
                "receiveTimestamp", "labels", "jsonPayload", "textPayload", "sourceLocation", "trace", "spanId",
                "traceSampled", "split",
            ]
        case .azure:
            return [
                "time", "resourceId", "operationName", "category", "resultType", "resultSignature", "resultDescription",
                "durationMs", "callerIpAddress", "correlationId", "identity", "level", "location", "properties",
                "caller", "channels", "claims", "eventDataId", "eventName", "eventTimestamp", "httpRequest",
                "operationId", "resourceGroupName", "resourceProviderName", "resourceType", "status", "subStatus",
                "submissionTimestamp", "subscriptionId", "tenantId", "authorization", "description", "evidence",
                "Level", "records",
            ]
        case .workflow: return nil
        }
    }

    /// Whether `field` can exist in the provider's records.
    static func canExist(_ field: SigmaField, provider: Provider) -> Bool {
        guard let top = topLevel(provider) else { return true }
        let first = field.path.split(separator: ".", maxSplits: 1).first.map(String.init) ?? field.path
        return top.contains(first)
    }
}
