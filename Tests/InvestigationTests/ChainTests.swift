import EventModel
import Investigation
import Testing
import TestSupport

@Suite("Chain edges and persistence rules") struct ChainTests {
    static let web = "arn:aws:iam::111122223333:role/web"

    @Test func assumeRoleGivesEdgeWithSessionKeyAndSessionName() {
        var e = EventBuilder.aws(
            "sts:AssumeRole", identity: Self.web,
            parameters: ["roleArn": "arn:aws:iam::111122223333:role/admin", "roleSessionName": "x"])
        e.parameters["responseElements.credentials.accessKeyId"] = "ASIAADMINSESSION0001"
        let edges = ChainEdges.of(e)
        #expect(edges.count == 1)
        #expect(edges.first?.kind == .assumedRole)
        #expect(edges.first?.from == Self.web)
        #expect(edges.first?.to == "arn:aws:iam::111122223333:role/admin")
        #expect(edges.first?.sessionName == "x")
        #expect(edges.first?.credential == "ASIAADMINSESSION0001")
    }

    @Test func deniedCallsAndOtherOperationsGiveNoEdge() {
        let denied = EventBuilder.aws(
            "sts:AssumeRole", identity: Self.web, errorCode: "AccessDenied",
            parameters: ["roleArn": "arn:aws:iam::111122223333:role/admin"])
        #expect(ChainEdges.of(denied).isEmpty)
        #expect(ChainEdges.of(EventBuilder.aws("s3:ListBuckets", identity: Self.web)).isEmpty)
    }

    @Test func createUserKeyAndPasswordPointAtTheUserArn() {
        let user = EventBuilder.aws("iam:CreateUser", identity: Self.web, parameters: ["userName": "backdoor"])
        #expect(ChainEdges.of(user).first?.to == "arn:aws:iam::111122223333:user/backdoor")
        #expect(ChainEdges.of(user).first?.kind == .createdUser)
        var key = EventBuilder.aws("iam:CreateAccessKey", identity: Self.web, parameters: ["userName": "backdoor"])
        key.parameters["responseElements.accessKey.accessKeyId"] = "AKIABACKDOOR00000001"
        #expect(ChainEdges.of(key).first?.credential == "AKIABACKDOOR00000001")
        #expect(ChainEdges.of(key).first?.to == "arn:aws:iam::111122223333:user/backdoor")
        let password = EventBuilder.aws("iam:CreateLoginProfile", identity: Self.web, parameters: ["userName": "bob"])
        #expect(ChainEdges.of(password).first?.kind == .createdLoginProfile)
    }

    @Test func trustChangeOfOwnRoleIsAnEdgeNamingThePrincipals() {
        let doc =
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::999988887777:root"]},"Action":"sts:AssumeRole"}]}"#
        let e = EventBuilder.aws(
            "iam:UpdateAssumeRolePolicy", identity: Self.web, parameters: ["roleName": "web", "policyDocument": doc])
        let edge = ChainEdges.of(e).first
        #expect(edge?.kind == .changedTrust)
        #expect(edge?.to == Self.web)
        #expect(edge?.detail == "arn:aws:iam::111122223333:root, arn:aws:iam::999988887777:root")
        let principals = TrustPolicy.principals(doc)
        #expect(TrustPolicy.externalAccounts(principals, home: "111122223333") == ["999988887777"])
        #expect(
            TrustPolicy.principals(
                #"{"Statement":[{"Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#) == [
                    "ec2.amazonaws.com"
                ])
    }

    @Test func lambdaOperationNamesLoseTheirDateSuffix() {
        #expect(PersistenceRules.baseOperation("CreateFunction20150331") == "CreateFunction")
        #expect(PersistenceRules.baseOperation("AddPermission20150331v2") == "AddPermission")
        #expect(PersistenceRules.baseOperation("PublishLayerVersion20181031") == "PublishLayerVersion")
        #expect(PersistenceRules.baseOperation("GetObject") == "GetObject")
        #expect(PersistenceRules.baseOperation("Describe2") == "Describe2")
    }

    @Test func creationsAndRemovalsUseTheSameKeys() {
        var key = EventBuilder.aws("iam:CreateAccessKey", identity: Self.web, parameters: ["userName": "bob"])
        key.parameters["responseElements.accessKey.accessKeyId"] = "AKIABOB0000000000001"
        let created = PersistenceRules.created(by: key)
        #expect(created.map(\.kind) == [.accessKey])
        #expect(created.first?.owner == "arn:aws:iam::111122223333:user/bob")
        let inactive = EventBuilder.aws(
            "iam:UpdateAccessKey", identity: Self.web,
            parameters: ["userName": "bob", "accessKeyId": "AKIABOB0000000000001", "status": "Inactive"])
        #expect(PersistenceRules.removals(by: inactive).first?.key == created.first?.key)
        #expect(PersistenceRules.removals(by: inactive).first?.effect == .deactivated)
        let attach = EventBuilder.aws(
            "iam:AttachUserPolicy", identity: Self.web,
            parameters: ["userName": "bob", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"])
        let detach = EventBuilder.aws(
            "iam:DetachUserPolicy", identity: Self.web,
            parameters: ["userName": "bob", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"])
        #expect(PersistenceRules.created(by: attach).first?.key == PersistenceRules.removals(by: detach).first?.key)
        let fn = EventBuilder.aws(
            "lambda:CreateFunction20150331", identity: Self.web, parameters: ["functionName": "exfil"])
        let del = EventBuilder.aws(
            "lambda:DeleteFunction20150331", identity: Self.web, parameters: ["functionName": "exfil"])
        #expect(PersistenceRules.created(by: fn).first?.kind == .function)
        #expect(PersistenceRules.created(by: fn).first?.key == PersistenceRules.removals(by: del).first?.key)
    }

    @Test func targetTextIsClassified() {
        #expect(InvestigationTarget("AKIAABCDEFGHIJKLMNOP").kind == .accessKey)
        #expect(InvestigationTarget("arn:aws:sts::1:assumed-role/web/i-0abc").kind == .session)
        #expect(InvestigationTarget("arn:aws:iam::1:role/web").kind == .identity)
        #expect(InvestigationTarget("role/web").kind == .name)
        let e = EventBuilder.aws("s3:ListBuckets", identity: "arn:aws:iam::111122223333:role/web")
        #expect(InvestigationTarget("role/web").matches(e))
        #expect(InvestigationTarget("web").matches(e))
        #expect(!InvestigationTarget("eb").matches(e))
    }
}
