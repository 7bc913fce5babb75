import EventModel
import TestSupport
import Testing

@testable import Formats

@Suite struct KubernetesFormatTests {
    @Test func serviceAccountSecretReadMapsEveryField() throws {
        let e = try #require(event(KubernetesRecord.audit()))
        #expect(e.provider == .kubernetes)
        #expect(e.time == Timestamp.parse("2026-03-01T10:00:00.120Z"))
        #expect(e.identity.key == "k8s:system:serviceaccount:ci:deployer")
        #expect(e.identity.type == .serviceAccount)
        #expect(e.identity.displayName == "system:serviceaccount:ci:deployer")
        #expect(e.action.service == "k8s")
        #expect(e.action.operation == "get secrets")
        #expect(e.action.key == "k8s:get secrets")
        #expect(e.action.isReadOnly)
        #expect(e.eventSource == "k8s.io")
        #expect(e.source.kind == .ip && e.source.ips == ["203.0.113.9"])
        #expect(e.userAgent.family == .kubectl)
        #expect(e.outcome.isSuccess)
        #expect(e.eventId == "5f7b3c1e-0000-4000-8000-000000000001")
        #expect(e.resources == [Resource(kind: .k8sSecret, id: "payments/db-password")])
        #expect(e.parameter("objectRef.namespace") == "payments")
        #expect(e.parameter("objectRef.name") == "db-password")
        #expect(e.parameter("verb") == "get")
        #expect(e.parameter("user.groups")?.contains("system:serviceaccounts:ci") == true)
        #expect(e.parameter("annotations.authorization.k8s.io/decision") == "allow")
        #expect(e.parameter("responseStatus.code") == "200")
    }

    @Test func usersAnonymousAndSubresources() throws {
        let user = try #require(event(KubernetesRecord.audit(["user": #"{"username":"alice@example.com"}"#])))
        #expect(user.identity.type == .user && user.identity.key == "k8s:alice@example.com")
        let anon = try #require(
            event(
                KubernetesRecord.audit(["user": #"{"username":"system:anonymous","groups":["system:unauthenticated"]}"#]
                )))
        #expect(anon.identity.type == .anonymous)
        let exec = try #require(
            event(
                KubernetesRecord.audit([
                    "verb": #""create""#,
                    "objectRef":
                        #"{"resource":"pods","subresource":"exec","namespace":"prod","name":"web-1","apiVersion":"v1"}"#,
                ])))
        #expect(exec.action.operation == "create pods/exec")
        #expect(!exec.action.isReadOnly)
        #expect(exec.resources == [Resource(kind: .other, id: "pods/prod/web-1")])
        let rbac = try #require(
            event(
                KubernetesRecord.audit([
                    "verb": #""create""#,
                    "objectRef":
                        #"{"resource":"clusterrolebindings","name":"pwn","apiGroup":"rbac.authorization.k8s.io","apiVersion":"v1"}"#,
                    "requestObject":
                        #"{"kind":"ClusterRoleBinding","roleRef":{"kind":"ClusterRole","name":"cluster-admin"}}"#,
                ])))
        #expect(rbac.action.operation == "create clusterrolebindings")
        #expect(rbac.eventSource == "rbac.authorization.k8s.io")
        #expect(rbac.resources == [Resource(kind: .other, id: "clusterrolebindings/pwn")])
        #expect(rbac.parameter("requestObject")?.contains("cluster-admin") == true)
        let sa = try #require(
            event(
                KubernetesRecord.audit([
                    "objectRef": #"{"resource":"serviceaccounts","namespace":"ci","name":"deployer"}"#
                ])))
        #expect(sa.resources == [Resource(kind: .serviceAccount, id: "ci/deployer")])
    }

    @Test func impersonationUsesTheImpersonatedIdentityAndKeepsTheImpersonator() throws {
        let e = try #require(
            event(
                KubernetesRecord.audit([
                    "user": #"{"username":"alice@example.com","groups":["devs"]}"#,
                    "impersonatedUser":
                        #"{"username":"system:serviceaccount:kube-system:admin","groups":["system:masters"]}"#,
                ])))
        #expect(e.identity.key == "k8s:system:serviceaccount:kube-system:admin")
        #expect(e.parameter("impersonator.username") == "alice@example.com")
        #expect(e.parameter("impersonator.groups") == #"["devs"]"#)
        #expect(e.parameter("impersonatedUser.groups") == #"["system:masters"]"#)
    }

    @Test func forbiddenAndOtherStatusCodes() throws {
        let denied = try #require(
            event(
                KubernetesRecord.audit([
                    "responseStatus": #"{"code":403,"reason":"Forbidden","message":"secrets \"x\" is forbidden"}"#
                ])))
        #expect(denied.outcome.errorCode == "Forbidden")
        #expect(denied.outcome.isAccessDenied)
        #expect(denied.outcome.errorMessage.contains("forbidden"))
        let unauth = try #require(event(KubernetesRecord.audit(["responseStatus": #"{"code":401}"#])))
        #expect(unauth.outcome.errorCode == "Unauthorized" && unauth.outcome.isAccessDenied)
        let missing = try #require(event(KubernetesRecord.audit(["responseStatus": #"{"code":404}"#])))
        #expect(missing.outcome.errorCode == "NotFound" && !missing.outcome.isAccessDenied)
        let panic = try #require(event(KubernetesRecord.audit(["stage": #""Panic""#, "responseStatus": nil])))
        #expect(panic.outcome.errorCode == "Panic")
    }

    @Test func nonFinalStagesAreOmittedWithoutADiagnostic() {
        for stage in ["RequestReceived", "ResponseStarted"] {
            guard case .omitted(let reason) = decode(KubernetesRecord.audit(["stage": "\"\(stage)\""])) else {
                Issue.record("stage \(stage) not omitted")
                continue
            }
            #expect(reason == OmitCode.k8sStage)
        }
        // No stage at all (trimmed exports): the record is the request.
        #expect(event(KubernetesRecord.audit(["stage": nil])) != nil)
    }

    @Test func timeFallsBackAndIsRequired() throws {
        let received = try #require(event(KubernetesRecord.audit(["stageTimestamp": nil])))
        #expect(received.time == Timestamp.parse("2026-03-01T10:00:00.100Z"))
        let legacy = try #require(
            event(
                KubernetesRecord.audit([
                    "apiVersion": #""audit.k8s.io/v1beta1""#, "stageTimestamp": nil, "requestReceivedTimestamp": nil,
                    "timestamp": #""2018-10-25T13:58:49Z""#,
                ])))
        #expect(legacy.time == Timestamp.parse("2018-10-25T13:58:49Z"))
        let none = failure(KubernetesRecord.audit(["stageTimestamp": nil, "requestReceivedTimestamp": nil]))
        #expect(none?.code == DecodeCode.missingField)
    }

    @Test func nonResourceRequestsUseABoundedPathPrefix() throws {
        let e = try #require(
            event(
                KubernetesRecord.audit([
                    "objectRef": nil, "requestURI": #""/apis/metrics.k8s.io/v1beta1/nodes?limit=5""#,
                ])))
        #expect(e.action.operation == "get /apis/metrics.k8s.io")
        #expect(e.resources.isEmpty)
    }

    @Test func eksCloudWatchMessageWrapper() throws {
        let line =
            #"{"message":\#(KubernetesRecord.quoted(KubernetesRecord.audit())),"logGroup":"/aws/eks/prod-eks/cluster","logStream":"kube-apiserver-audit-0123","owner":"111122223333","timestamp":1772359200000}"#
        let e = try #require(event(line))
        #expect(e.identity.key == "k8s:system:serviceaccount:ci:deployer")
        #expect(e.account == "111122223333")
        #expect(e.parameter("cluster") == "prod-eks")
        #expect(e.action.operation == "get secrets")
    }

    @Test func aksDiagnosticRecordWrapper() throws {
        let rec =
            #"{"time":"2026-03-01T10:00:01Z","resourceId":"/SUBSCRIPTIONS/0000-SUB/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/AKS-PROD","category":"kube-audit","operationName":"Microsoft.ContainerService/managedClusters/diagnosticLogs/Read","properties":{"log":\#(KubernetesRecord.quoted(KubernetesRecord.audit())),"stream":"stdout","pod":"kube-apiserver-abc"}}"#
        let e = try #require(event(rec))
        #expect(e.provider == .kubernetes)
        #expect(e.account == "0000-sub")
        #expect(e.parameter("cluster") == "aks-prod")
        #expect(e.resources.first?.kind == .k8sSecret)
        let broken =
            #"{"time":"2026-03-01T10:00:01Z","category":"kube-audit","properties":{"log":"{\"kind\":\"Event\",\"apiVersion\":\"audit.k8s.io/v1\",\"verb\":"}}"#
        let d = try #require(failure(broken))
        #expect(d.code == DecodeCode.syntax)
        #expect(d.message.contains("embedded"))
    }

    @Test func gkeEntriesDecodeAsKubernetes() throws {
        let entry =
            #"{"insertId":"gke-1","logName":"projects/shop-prod/logs/cloudaudit.googleapis.com%2Factivity","protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","authenticationInfo":{"principalEmail":"system:serviceaccount:default:web"},"authorizationInfo":[{"granted":true,"permission":"io.k8s.core.v1.pods.exec.create"}],"methodName":"io.k8s.core.v1.pods.exec.create","resourceName":"core/v1/namespaces/default/pods/web-7d9/exec","requestMetadata":{"callerIp":"10.8.0.12","callerSuppliedUserAgent":"kubectl/v1.28.3 (linux/amd64) kubernetes/a8a1abc"},"serviceName":"k8s.io","status":{}},"resource":{"type":"k8s_cluster","labels":{"cluster_name":"shop","location":"europe-west1","project_id":"shop-prod"}},"timestamp":"2026-03-01T10:00:02.5Z"}"#
        let e = try #require(event(entry))
        #expect(e.provider == .kubernetes)
        #expect(e.identity.key == "k8s:system:serviceaccount:default:web")
        #expect(e.action.operation == "create pods/exec")
        #expect(e.account == "shop-prod" && e.region == "europe-west1")
        #expect(e.parameter("cluster") == "shop")
        #expect(e.parameter("objectRef.namespace") == "default" && e.parameter("objectRef.name") == "web-7d9")
        #expect(e.eventId == "gke-1")
        let rbac = entry.replacingOccurrences(
            of: "io.k8s.core.v1.pods.exec.create", with: "io.k8s.authorization.rbac.v1.clusterrolebindings.create"
        )
        .replacingOccurrences(
            of: "core/v1/namespaces/default/pods/web-7d9/exec",
            with: "rbac.authorization.k8s.io/v1/clusterrolebindings/pwn"
        )
        .replacingOccurrences(of: #""status":{}"#, with: #""status":{"code":7,"message":"PERMISSION_DENIED"}"#)
        let r = try #require(event(rbac))
        #expect(r.action.operation == "create clusterrolebindings")
        #expect(r.eventSource == "rbac.authorization.k8s.io")
        #expect(r.resources == [Resource(kind: .other, id: "clusterrolebindings/pwn")])
        #expect(r.outcome.errorCode == "Forbidden" && r.outcome.isAccessDenied)
    }
}
