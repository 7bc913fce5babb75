import EventModel
import Foundation
import TestSupport
import Testing

@testable import Formats

@Suite struct AzureFormatTests {
    @Test func keyVaultSecretReadByManagedIdentity() throws {
        let e = try #require(event(AzureRecord.record()))
        #expect(e.provider == .azure)
        #expect(e.time == Timestamp.parse("2026-03-01T10:00:00Z"))
        #expect(e.identity.key == "azure:6b6d44f0-b13a-46a0-bfde-161324d4c34d")
        #expect(e.identity.type == .serviceAccount)
        #expect(e.identity.displayName == "web-mi")
        #expect(e.identity.arn.hasSuffix("userAssignedIdentities/web-mi"))
        #expect(e.account == "0b1f6471-1bf0-4dda-aec3-111122223333")
        #expect(e.region == "eastus")
        #expect(e.action.service == "keyvault")
        #expect(e.action.operation == "microsoft.keyvault/vaults/secrets/read")
        #expect(e.action.isReadOnly)
        #expect(e.source.ips == ["203.0.113.60"])
        #expect(e.resources.first == Resource(kind: .secret, id: "kv-prod/db-password"))
        #expect(e.parameter("operationName") == "MICROSOFT.KEYVAULT/VAULTS/SECRETS/READ")
        #expect(e.parameter("claims.appid") == "770797c4-e05a-43f9-bda2-1f1f379987ae")
        #expect(e.eventId.hasPrefix("az-"))
        // The same record delivered twice keeps its id (engine dedup), another record does not.
        #expect(event(AzureRecord.record())?.eventId == e.eventId)
        #expect(event(AzureRecord.record(ip: "203.0.113.61"))?.eventId != e.eventId)
    }

    @Test func restShapeWithValueObjectsAndCaller() throws {
        let rest =
            #"{"caller":"alice@contoso.com","claims":{"http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn":"alice@contoso.com","http://schemas.microsoft.com/identity/claims/objectidentifier":"a1a1"},"correlationId":"c1","eventDataId":"ed-42","eventTimestamp":"2026-03-01T11:00:00.5Z","httpRequest":{"clientIpAddress":"198.51.100.4","method":"PUT"},"operationName":{"value":"Microsoft.Authorization/roleAssignments/write","localizedValue":"Create role assignment"},"resourceId":"/subscriptions/SUB-9/providers/Microsoft.Authorization/roleAssignments/r-1","status":{"value":"Succeeded","localizedValue":"Succeeded"},"subscriptionId":"SUB-9","properties":{"requestbody":"{\"Properties\":{\"RoleDefinitionId\":\"/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635\",\"PrincipalId\":\"p-1\"}}"}}"#
        let e = try #require(event(rest))
        #expect(e.identity.key == "azure:a1a1" && e.identity.type == .user)
        #expect(e.identity.displayName == "alice@contoso.com")
        #expect(e.action.operation == "microsoft.authorization/roleassignments/write")
        #expect(e.action.service == "authorization")
        #expect(!e.action.isReadOnly)
        #expect(e.eventId == "ed-42")
        #expect(e.account == "sub-9")
        #expect(e.source.ips == ["198.51.100.4"])
        #expect(e.parameter("properties.requestbody")?.contains("8e3af657") == true)
    }

    @Test func failuresAndAuthorizationErrors() throws {
        let denied = try #require(
            event(
                AzureRecord.record(
                    result: "Failure", signature: "Forbidden.AuthorizationFailed",
                    properties:
                        #"{"statusCode":"Forbidden","statusMessage":"{\"error\":{\"code\":\"AuthorizationFailed\"}}"}"#)
            ))
        #expect(denied.outcome.errorCode == "Forbidden")
        #expect(denied.outcome.isAccessDenied)
        let byCode = try #require(
            event(AzureRecord.record(result: "Failed", signature: "AuthorizationFailed", properties: "{}")))
        #expect(byCode.outcome.errorCode == "Forbidden.AuthorizationFailed" && byCode.outcome.isAccessDenied)
        let conflict = try #require(
            event(AzureRecord.record(result: "Failure", signature: "Failed", properties: #"{"statusCode":409}"#)))
        #expect(conflict.outcome.errorCode == "Conflict")
    }

    @Test func startedRecordsAreOmitted() {
        for r in ["Start", "Started", "Accept"] {
            guard case .omitted(let reason) = decode(AzureRecord.record(result: r)) else {
                Issue.record("\(r) not omitted")
                continue
            }
            #expect(reason == OmitCode.azureStart)
        }
    }

    @Test func keyVaultDataPlaneSecretGet() throws {
        let rec = AzureRecord.record(
            op: "SecretGet",
            resource:
                "/SUBSCRIPTIONS/0B1F6471-1BF0-4DDA-AEC3-111122223333/RESOURCEGROUPS/WEB/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/KV-PROD",
            signature: "OK", category: "AuditEvent",
            identity: #"{"claim":{"oid":"6B6D44F0-B13A-46A0-BFDE-161324D4C34D","appid":"770797c4"}}"#,
            properties:
                #"{"id":"https://kv-prod.vault.azure.net/secrets/API-KEY/0123456789abcdef","clientInfo":"azsdk-python-keyvault-secrets/4.7.0 Python/3.11.4","httpStatusCode":200}"#
        )
        let e = try #require(event(rec))
        #expect(e.action.service == "keyvault" && e.action.operation == "SecretGet")
        #expect(e.action.isReadOnly && e.action.category == .data)
        #expect(e.identity.key == "azure:6b6d44f0-b13a-46a0-bfde-161324d4c34d")
        #expect(e.resources.first == Resource(kind: .secret, id: "kv-prod/api-key"))
        #expect(e.userAgent.raw.hasPrefix("azsdk-python"))
        let denied = try #require(
            event(rec.replacingOccurrences(of: #""httpStatusCode":200"#, with: #""httpStatusCode":403"#)))
        #expect(denied.outcome.errorCode == "Forbidden")
    }

    @Test func storageListKeysIsASecretRead() throws {
        let e = try #require(
            event(
                AzureRecord.record(
                    op: "MICROSOFT.STORAGE/STORAGEACCOUNTS/LISTKEYS/ACTION",
                    resource:
                        "/SUBSCRIPTIONS/S/RESOURCEGROUPS/DATA/PROVIDERS/MICROSOFT.STORAGE/STORAGEACCOUNTS/BACKUPS01")))
        #expect(e.action.operation == "microsoft.storage/storageaccounts/listkeys/action")
        #expect(e.resources.first == Resource(kind: .secret, id: "storageaccounts/backups01/keys"))
    }

    @Test func entraAuditRecordWithInitiatedByApp() throws {
        let rec =
            #"{"time":"2026-03-01T12:00:00Z","resourceId":"/tenants/t-1/providers/Microsoft.aadiam","operationName":"Add service principal credentials","category":"AuditLogs","tenantId":"T-1","resultSignature":"None","callerIpAddress":"192.0.2.10","correlationId":"cc","properties":{"id":"Directory_ABC","activityDisplayName":"Add service principal credentials","result":"success","initiatedBy":{"app":{"appId":"app-9","servicePrincipalId":"sp-9","displayName":"ci-automation"}},"targetResources":[{"id":"sp-1","type":"ServicePrincipal","displayName":"payments-api"}]}}"#
        let e = try #require(event(rec))
        #expect(e.identity.key == "azure:sp-9" && e.identity.type == .serviceAccount)
        #expect(e.identity.displayName == "ci-automation")
        #expect(e.action.service == "aadiam" && e.action.operation == "Add service principal credentials")
        #expect(e.account == "t-1")
        #expect(e.eventId == "Directory_ABC")
        #expect(e.parameter("properties.targetResources")?.contains("payments-api") == true)
    }

    @Test func callerAddressWithPortAndMissingTime() throws {
        let e = try #require(event(AzureRecord.record(ip: "203.0.113.7:51234")))
        #expect(e.source.ips == ["203.0.113.7"] && e.source.raw == "203.0.113.7:51234")
        let noTime = AzureRecord.record().replacingOccurrences(
            of: #""time":"2026-03-01T10:00:00.0000000Z","#, with: #""time":"soon","#)
        #expect(failure(noTime)?.code == DecodeCode.missingField)
    }
}
