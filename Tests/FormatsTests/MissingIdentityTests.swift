import EventModel
import TestSupport
import Testing

@testable import Formats

/// `decode.missing_identity` says what is missing in the source's own terms, and is not
/// raised for records that carry no caller by design.
@Suite("Missing identities, in each source's terms") struct MissingIdentityTests {
    /// The warnings of one record, which must decode to an event with an empty identity.
    func warnings(_ json: String, sourceLocation: SourceLocation = #_sourceLocation) -> [Diagnostic] {
        let (result, warnings) = decode(bytes: Array(json.utf8))
        guard case .event(let e) = result else {
            Issue.record("expected an event, got \(result)", sourceLocation: sourceLocation)
            return []
        }
        #expect(e.identity.key.isEmpty, sourceLocation: sourceLocation)
        return warnings.filter { $0.code == DecodeCode.missingIdentity }
    }

    @Test(arguments: [
        (CloudTrailRecord.record(["userIdentity": nil]), "CloudTrail record has no userIdentity"),
        (CloudTrailRecord.record(["userIdentity": "{}"]), "CloudTrail record's userIdentity names no one"),
        (KubernetesRecord.audit(["user": nil]), "Kubernetes audit record has no user"),
        (
            AzureRecord.record(
                op: "MICROSOFT.AUTHORIZATION/POLICIES/AUDIT/ACTION", category: "Policy", identity: "{}"),
            "Azure Activity record has no caller"
        ),
    ])
    func saidInTheSourcesTerms(_ json: String, _ message: String) throws {
        let w = warnings(json)
        #expect(w.count == 1)
        #expect(w.first?.message.hasPrefix(message) == true, "\(w.first?.message ?? "none")")
        #expect(w.first?.level == .warning)
    }

    @Test func awsServiceEventsAndInsightsHaveNoCallerByDesign() {
        let service = CloudTrailRecord.record(["userIdentity": nil, "eventType": #""AwsServiceEvent""#])
        #expect(warnings(service).isEmpty)
        let insight = CloudTrailRecord.record([
            "userIdentity": nil, "eventType": #""AwsCloudTrailInsight""#,
            "insightDetails":
                #"{"eventSource":"ec2.amazonaws.com","eventName":"RunInstances","insightType":"ApiCallRateInsight"}"#,
        ])
        #expect(warnings(insight).isEmpty)
    }

    /// A GCP entry without a principal is public access: the caller is `gcp:anonymous`, not missing.
    @Test(arguments: ["null", "{}"]) func gcpWithoutAPrincipalIsAnonymousNotMissing(_ auth: String) {
        let (result, warnings) = decode(bytes: Array(GCPRecord.entry(auth: auth).utf8))
        guard case .event(let e) = result else {
            Issue.record("expected an event, got \(result)")
            return
        }
        #expect(e.identity.key == "gcp:anonymous")
        #expect(!warnings.contains { $0.code == DecodeCode.missingIdentity })
    }
}
