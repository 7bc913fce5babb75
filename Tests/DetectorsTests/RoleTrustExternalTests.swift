import Detection
import Detectors
import EventModel
import TestSupport
import Testing

@Suite struct RoleTrustExternalTests {
    let id = "persistence.role_trust_external"

    func trust(_ principal: String, condition: String = "") -> String {
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":\#(principal),"Action":"sts:AssumeRole"\#(condition)}]}"#
    }

    func update(_ doc: String, role: String = "app") -> Event {
        TestEvents.make("iam", "UpdateAssumeRolePolicy", request: ["roleName": role, "policyDocument": doc])
    }

    @Test func foreignAccountCommonBehaviour() throws {
        let doc = trust(#"{"AWS":"arn:aws:iam::999988887777:root"}"#)
        try checkCommonBehaviour(id, severity: .high, key: "app") { minute, error in
            TestEvents.make(
                "iam", "UpdateAssumeRolePolicy", request: ["roleName": "app", "policyDocument": doc],
                error: error, minute: minute)
        }
    }

    @Test func foreignAccountWording() throws {
        let f = try #require(
            try Harness.findings(id, update(trust(#"{"AWS":["999988887777","arn:aws:iam::111122223333:root"]}"#))).first
        )
        #expect(f.title == "ci-deployer changed the trust policy of role app to trust external account(s) 999988887777")
        #expect(f.fact("external_accounts") == "999988887777")
        #expect(f.fact("wildcard_principal") == "false")
    }

    @Test func wildcardPrincipalIsCriticalUnlessConditioned() throws {
        let open = try #require(try Harness.findings(id, update(trust(#""*""#))).first)
        #expect(open.severity == .critical)
        #expect(open.title.contains("to trust any AWS principal"))
        let aws = try #require(try Harness.findings(id, update(trust(#"{"AWS":"*"}"#))).first)
        #expect(aws.severity == .critical)
        let conditioned = try #require(
            try Harness.findings(
                id,
                update(
                    trust(
                        #""*""#, condition: #","Condition":{"StringEquals":{"sts:ExternalId":"12345"}}"#))
            ).first)
        #expect(conditioned.severity == .high)
        #expect(conditioned.fact("conditions") == "StringEquals sts:ExternalId")
    }

    @Test func ownAccountServicesAndTrustedAccountsAreQuiet() throws {
        #expect(try Harness.findings(id, update(trust(#"{"Service":"ec2.amazonaws.com"}"#))).isEmpty)
        #expect(try Harness.findings(id, update(trust(#"{"AWS":"arn:aws:iam::111122223333:role/x"}"#))).isEmpty)
        #expect(
            try Harness.findings(id, update(trust(#"{"Federated":"arn:aws:iam::999988887777:oidc-provider/x"}"#)))
                .isEmpty)
        let h = try Harness(id, edit: withSetting("trusted_accounts", #"["999988887777"]"#))
        #expect(h.issues.isEmpty, "\(h.issues)")
        #expect(h.run(update(trust(#"{"AWS":"999988887777"}"#))).isEmpty)
        #expect(h.run(update(trust(#"{"AWS":"444455556666"}"#))).count == 1)
    }

    @Test func denyStatementsAndOtherActionsDoNotCount() throws {
        let deny = #"{"Statement":[{"Effect":"Deny","Principal":"*","Action":"sts:AssumeRole"}]}"#
        #expect(try Harness.findings(id, update(deny)).isEmpty)
        let tagOnly =
            #"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"999988887777"},"Action":"sts:TagSession"}]}"#
        #expect(try Harness.findings(id, update(tagOnly)).isEmpty)
    }

    @Test func createRole() throws {
        let e = TestEvents.make(
            "iam", "CreateRole",
            request: [
                "roleName": "backdoor",
                "assumeRolePolicyDocument": trust(#"{"AWS":"arn:aws:iam::999988887777:user/eve"}"#),
            ])
        let f = try #require(try Harness.findings(id, e).first)
        #expect(f.title == "ci-deployer created role backdoor trusting external account(s) 999988887777")
        #expect(
            try Harness.findings(id, TestEvents.make("iam", "CreateRole", request: ["roleName": "new-role"])).isEmpty)
    }

    @Test func badTrustedAccountIsReported() throws {
        let h = try Harness(id, edit: withSetting("trusted_accounts", #"["12345"]"#))
        #expect(h.issues.map(\.code) == ["config.value"])
    }
}
