/// Hand-written Kubernetes audit events (shapes from the audit.k8s.io/v1 API reference).
public enum KubernetesRecord {
    /// An audit event with members replaced (raw JSON text) or removed (`nil`).
    public static func audit(_ changes: [String: String?] = [:]) -> String {
        let base: [(String, String)] = [
            ("kind", #""Event""#), ("apiVersion", #""audit.k8s.io/v1""#), ("level", #""RequestResponse""#),
            ("auditID", #""5f7b3c1e-0000-4000-8000-000000000001""#), ("stage", #""ResponseComplete""#),
            ("requestURI", #""/api/v1/namespaces/payments/secrets/db-password""#), ("verb", #""get""#),
            (
                "user",
                #"{"username":"system:serviceaccount:ci:deployer","uid":"u-1","groups":["system:serviceaccounts","system:serviceaccounts:ci","system:authenticated"]}"#
            ),
            ("sourceIPs", #"["203.0.113.9"]"#),
            ("userAgent", #""kubectl/v1.29.2 (linux/amd64) kubernetes/4b8e819""#),
            ("objectRef", #"{"resource":"secrets","namespace":"payments","name":"db-password","apiVersion":"v1"}"#),
            ("responseStatus", #"{"metadata":{},"code":200}"#),
            ("requestReceivedTimestamp", #""2026-03-01T10:00:00.100000Z""#),
            ("stageTimestamp", #""2026-03-01T10:00:00.120000Z""#),
            (
                "annotations",
                #"{"authorization.k8s.io/decision":"allow","authorization.k8s.io/reason":"RBAC: allowed by RoleBinding \"reader/payments\""}"#
            ),
        ]
        return JSONMembers.object(base, changes)
    }

    /// `text` as a JSON string literal (for wrappers that embed the event as a string).
    public static func quoted(_ text: String) -> String { JSONMembers.quoted(text) }
}

/// Hand-written Cloud Audit Log entries (LogEntry + AuditLog shapes from Google's reference).
public enum GCPRecord {
    public static func entry(
        method: String = "google.cloud.secretmanager.v1.SecretManagerService.AccessSecretVersion",
        service: String = "secretmanager.googleapis.com",
        resource: String = "projects/shop-prod/secrets/db-pass/versions/latest",
        auth: String =
            #"{"principalEmail":"app@shop-prod.iam.gserviceaccount.com","serviceAccountKeyName":"//iam.googleapis.com/projects/shop-prod/serviceAccounts/app@shop-prod.iam.gserviceaccount.com/keys/0a1b2c3d"}"#,
        status: String = "{}", log: String = "data_access", extra: String = ""
    ) -> String {
        #"{"insertId":"1a2b3c4d","logName":"projects/shop-prod/logs/cloudaudit.googleapis.com%2F\#(log)","protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","authenticationInfo":\#(auth),"authorizationInfo":[{"granted":true,"permission":"secretmanager.versions.access","resource":"\#(resource)"}],"methodName":"\#(method)","requestMetadata":{"callerIp":"203.0.113.50","callerSuppliedUserAgent":"grpc-python/1.60.0 gl-python/3.11.4 gccl/2.16.0,gzip(gfe)"},"resourceName":"\#(resource)","serviceName":"\#(service)","status":\#(status)\#(extra)},"resource":{"type":"audited_resource","labels":{"method":"\#(method)","project_id":"shop-prod","service":"\#(service)"}},"severity":"INFO","timestamp":"2026-03-01T10:00:00.123456789Z","receiveTimestamp":"2026-03-01T10:00:01.2Z"}"#
    }
}

/// Hand-written Azure records (diagnostic-settings export and REST shapes from Microsoft's schema docs).
public enum AzureRecord {
    public static let managedIdentityClaims =
        #"{"http://schemas.microsoft.com/identity/claims/objectidentifier":"6b6d44f0-b13a-46a0-bfde-161324d4c34d","appid":"770797c4-e05a-43f9-bda2-1f1f379987ae","idtyp":"app","xms_mirid":"/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourcegroups/web/providers/Microsoft.ManagedIdentity/userAssignedIdentities/web-mi"}"#

    public static func record(
        op: String = "MICROSOFT.KEYVAULT/VAULTS/SECRETS/READ",
        resource: String =
            "/SUBSCRIPTIONS/0B1F6471-1BF0-4DDA-AEC3-111122223333/RESOURCEGROUPS/WEB/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV-PROD/SECRETS/DB-PASSWORD",
        result: String = "Success", signature: String = "Succeeded.OK", category: String = "Administrative",
        identity: String = #"{"claims":\#(managedIdentityClaims)}"#, properties: String = #"{"statusCode":"OK"}"#,
        ip: String = "203.0.113.60"
    ) -> String {
        #"{"time":"2026-03-01T10:00:00.0000000Z","resourceId":"\#(resource)","operationName":"\#(op)","category":"\#(category)","resultType":"\#(result)","resultSignature":"\#(signature)","durationMs":"120","callerIpAddress":"\#(ip)","correlationId":"c0ffee00-0000-4000-8000-000000000001","identity":\#(identity),"level":"Information","location":"eastus","properties":\#(properties)}"#
    }
}
