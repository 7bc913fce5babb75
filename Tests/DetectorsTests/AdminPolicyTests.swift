import Detection
import Detectors
import EventModel
import TestSupport
import Testing

@Suite struct AdminPolicyTests {
    let id = "privesc.admin_policy"
    let admin = "arn:aws:iam::aws:policy/AdministratorAccess"
    let star = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#

    func run(_ op: String, _ request: [String: String], edit: @escaping (String) -> String = { $0 }) throws -> [Finding]
    {
        let h = try Harness(id, edit: edit)
        #expect(h.issues.isEmpty, "\(h.issues)")
        return h.run(TestEvents.make("iam", op, request: request))
    }

    @Test func attachAdministratorCommonBehaviour() throws {
        try checkCommonBehaviour(id, severity: .critical, key: "role/breakglass") { minute, error in
            TestEvents.make(
                "iam", "AttachRolePolicy", request: ["roleName": "breakglass", "policyArn": admin],
                error: error, minute: minute)
        }
    }

    @Test func attachWording() throws {
        let f = try #require(try run("AttachUserPolicy", ["userName": "new-user", "policyArn": admin]).first)
        #expect(f.title == "ci-deployer attached \(admin) to user/new-user")
        #expect(f.fact("policy_arn") == admin)
        #expect(f.fact("grantee") == "user/new-user")
        #expect(f.mitre == ["T1098.003", "T1078.004"])
    }

    @Test func whichManagedPoliciesCount() throws {
        let fires = [
            "arn:aws:iam::111122223333:policy/AdministratorAccess",
            "arn:aws:iam::111122223333:policy/admins/AdministratorAccess",
            "arn:aws-us-gov:iam::aws:policy/AdministratorAccess",
            "arn:aws:iam::aws:policy/IAMFullAccess",
            "arn:aws:iam::aws:policy/PowerUserAccess",
        ]
        for arn in fires {
            #expect(try run("AttachGroupPolicy", ["groupName": "g", "policyArn": arn]).count == 1, "\(arn)")
        }
        let quiet = [
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantineV2",
            "arn:aws:iam::111122223333:policy/NotAdministratorAccess",
        ]
        for arn in quiet {
            #expect(try run("AttachGroupPolicy", ["groupName": "g", "policyArn": arn]).isEmpty, "\(arn)")
        }
    }

    @Test func inlineStarPolicy() throws {
        let f = try #require(
            try run("PutUserPolicy", ["userName": "test-user", "policyName": "p", "policyDocument": star]).first)
        #expect(f.key == "user/test-user")
        #expect(f.title == "ci-deployer wrote inline policy p on user/test-user")
        #expect(f.fact("grants") == "allows * on *")
        #expect(f.fact("policy_name") == "p")
    }

    @Test func denyAndNarrowDocumentsAreQuiet() throws {
        let deny =
            "{\n\t\"Version\": \"2012-10-17\",\n\t\"Statement\": [\n\t\t{\n\t\t\t\"Sid\": \"TestUserDenyAll\",\n\t\t\t\"Effect\": \"Deny\",\n\t\t\t\"Action\": [\"*\"],\n\t\t\t\"Resource\": [\"*\"]\n\t\t}\n\t]\n}"
        #expect(try run("PutUserPolicy", ["userName": "u", "policyDocument": deny]).isEmpty)
        let s3 = #"{"Statement":{"Effect":"Allow","Action":["s3:*"],"Resource":"*"}}"#
        #expect(try run("PutRolePolicy", ["roleName": "r", "policyDocument": s3]).isEmpty)
        let scoped =
            #"{"Statement":{"Effect":"Allow","Action":"iam:*","Resource":"arn:aws:iam::111122223333:role/app-*"}}"#
        #expect(try run("PutRolePolicy", ["roleName": "r", "policyDocument": scoped]).isEmpty)
        #expect(try run("PutRolePolicy", ["roleName": "r", "policyDocument": "{not json"]).isEmpty)
        let deep = String(repeating: "[", count: 5000)
        #expect(try run("PutRolePolicy", ["roleName": "r", "policyDocument": deep]).isEmpty)
    }

    @Test func singleStatementObjectAndWildcardCoverage() throws {
        let iam = #"{"Statement":{"Sid":"x","Effect":"Allow","Action":["s3:GetObject","iam:*"],"Resource":["*"]}}"#
        let f = try #require(try run("PutGroupPolicy", ["groupName": "g", "policyDocument": iam]).first)
        #expect(f.fact("grants") == "allows iam:* on * (statement x)")
        let sts = #"{"Statement":[{"Effect":"Allow","Action":"STS:*","Resource":"*"}]}"#
        #expect(try run("PutRolePolicy", ["roleName": "r", "policyDocument": sts]).count == 1)
    }

    @Test func urlEncodedDocument() throws {
        let encoded =
            "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22*%22%2C%22Resource%22%3A%22*%22%7D%5D%7D"
        #expect(try run("PutUserPolicy", ["userName": "u", "policyDocument": encoded]).count == 1)
        let formEncoded =
            "%7B+%22Statement%22%3A+%5B%7B%22Effect%22%3A+%22Allow%22%2C+%22Action%22%3A+%22*%22%2C+%22Resource%22%3A+%22*%22%7D%5D%7D"
        #expect(try run("PutUserPolicy", ["userName": "u", "policyDocument": formEncoded]).count == 1)
    }

    @Test func notActionIsConfigurable() throws {
        let doc = #"{"Statement":[{"Effect":"Allow","NotAction":"iam:*","Resource":"*"}]}"#
        let f = try #require(try run("PutRolePolicy", ["roleName": "r", "policyDocument": doc]).first)
        #expect(f.fact("grants") == "allows every action except iam:* on *")
        #expect(
            try run(
                "PutRolePolicy", ["roleName": "r", "policyDocument": doc], edit: withSetting("flag_not_action", "false")
            ).isEmpty)
    }

    @Test func policyVersionsAndNewPolicies() throws {
        let arn = "arn:aws:iam::111122223333:policy/app"
        let f = try #require(
            try run("CreatePolicyVersion", ["policyArn": arn, "policyDocument": star, "setAsDefault": "true"]).first)
        #expect(f.key == arn)
        #expect(f.title == "ci-deployer wrote a new default version of policy \(arn)")
        #expect(
            try run("CreatePolicyVersion", ["policyArn": arn, "policyDocument": star, "setAsDefault": "false"]).isEmpty)
        #expect(try run("CreatePolicyVersion", ["policyArn": arn, "policyDocument": star]).isEmpty)
        let p = try #require(try run("CreatePolicy", ["policyName": "god", "policyDocument": star]).first)
        #expect(p.key == "policy/god")
        #expect(
            try run(
                "CreatePolicy", ["policyName": "god", "policyDocument": star],
                edit: withSetting("include_create_policy", "false")
            ).isEmpty)
    }

    @Test func conditionsAreReported() throws {
        let doc =
            #"{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}"#
        let f = try #require(try run("PutUserPolicy", ["userName": "u", "policyDocument": doc]).first)
        #expect(f.severity == .critical)
        #expect(f.fact("conditions") == "Bool aws:MultiFactorAuthPresent")
    }

    @Test func dangerousActionsSetting() throws {
        let passRole = #"{"Statement":[{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}]}"#
        #expect(try run("PutRolePolicy", ["roleName": "r", "policyDocument": passRole]).isEmpty)
        let edit = withSetting("dangerous_actions", #"["iam:PassRole"]"#)
        let yaml = edit(try Repository.detectorYAML(id))
        let trimmed = yaml.replacingOccurrences(
            of: "\n    - \"*\"\n    - \"iam:*\"\n    - \"sts:AssumeRole\"", with: "")
        #expect(
            try run("PutRolePolicy", ["roleName": "r", "policyDocument": passRole], edit: { _ in trimmed }).count == 1)
        let empty = try Harness(id, edit: { _ in trimmed.replacingOccurrences(of: #"["iam:PassRole"]"#, with: "[]") })
        #expect(empty.issues.map(\.code) == ["config.value"])
    }
}
