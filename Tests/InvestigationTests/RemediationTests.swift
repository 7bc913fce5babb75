import Baselines
import EventModel
import Foundation
import Investigation
import Testing
import TestSupport

/// The revocation list of `Story` with a few more events: what the identity read every day
/// before the window, parameters whose type the logs show, a trust policy logged before it
/// was rewritten.
@Suite("Remediation quality") struct RemediationTests {
    static let app = "arn:aws:iam::111122223333:role/app"
    static let oldTrust =
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#

    static func report(before extraBefore: [Event] = [], during extraDuring: [Event] = []) -> InvestigationReport {
        let inv = Investigator(target: InvestigationTarget(Story.web), window: Story.window)
        let baseline = BaselineStore()
        for e in (Story.before + extraBefore).sorted(by: { $0.time < $1.time }) {
            baseline.observe(e)
            inv.observe(e)
        }
        for e in Story.during + extraDuring + Story.after { inv.observe(e) }
        return inv.finish(before: baseline)
    }

    @Test func secretsReadRoutinelyBeforeComeLastAsLowPriority() throws {
        let r = Self.report()
        let first = try #require(r.remediation.firstIndex { $0.action == "Rotate 1 secret(s) read for the first time" })
        let routine = try #require(
            r.remediation.firstIndex { $0.action == "Rotate 1 secret(s) read before the incident: low priority" })
        #expect(r.remediation[first].target == "prod/payments")
        #expect(r.remediation[routine].target == "prod/db", "read every day before the window")
        #expect(r.remediation[routine].risk == .low)
        #expect(first < routine)
        #expect(r.remediation[routine].reason.contains("before the window"))
    }

    @Test func objectsOfABucketReadRoutinelyAreLowPriority() throws {
        let r = Self.report(during: [
            Story.ev(
                "s3:GetObject", Story.webSession, at: 611, params: ["bucketName": "assets", "key": "b.png"], id: "o-1",
                key: "ASIAWEB0000000000001"),
            Story.ev(
                "s3:GetObject", Story.webSession, at: 612, params: ["bucketName": "payroll", "key": "2024.csv"],
                id: "o-2", key: "ASIAWEB0000000000001"),
        ])
        let assets = try #require(r.remediation.first { $0.target == "assets" })
        let payroll = try #require(r.remediation.first { $0.target == "payroll" })
        #expect(assets.risk == .low)
        #expect(assets.action.hasSuffix("read before the incident: low priority"))
        #expect(payroll.risk == .medium)
        #expect(
            r.remediation.firstIndex { $0.target == "payroll" }! < r.remediation.firstIndex { $0.target == "assets" }!)
    }

    @Test func parametersKeepTheTypeTheLogsShow() throws {
        let put = { (name: String, type: String, key: String?, id: String) in
            Story.ev(
                "ssm:PutParameter", "arn:aws:iam::111122223333:user/ops", at: -5 * 1440,
                params: ["name": name, "type": type, "overwrite": "true"].merging(key.map { ["keyId": $0] } ?? [:]) {
                    a, _ in a
                }, id: id)
        }
        let get = { (name: String, id: String) in
            Story.ev(
                "ssm:GetParameter", Story.webSession, at: 612, params: ["name": name, "withDecryption": "true"], id: id,
                key: "ASIAWEB0000000000001")
        }
        let r = Self.report(
            before: [
                put("/app/flag", "String", nil, "p-1"), put("/app/db-password", "SecureString", "alias/app", "p-2"),
            ],
            during: [get("/app/flag", "g-1"), get("/app/db-password", "g-2"), get("/app/unknown", "g-3")])
        let commands = r.remediation.flatMap(\.commands).filter { $0.contains("ssm ") }
        #expect(commands.contains { $0.hasPrefix("aws ssm put-parameter --name=/app/flag --type=String --overwrite") })
        #expect(
            commands.contains {
                $0.hasPrefix(
                    "aws ssm put-parameter --name=/app/db-password --type=SecureString --key-id=alias/app --overwrite")
            })
        let unknown = commands.filter { $0.contains("/app/unknown") }
        #expect(unknown.first?.hasPrefix("aws ssm get-parameter --name=/app/unknown --query Parameter.Type") == true)
        #expect(unknown.last?.hasPrefix("aws ssm put-parameter --name=/app/unknown --overwrite --value=") == true)
        #expect(!unknown.contains { $0.contains("--type=") })
        #expect(!commands.contains { $0.contains("/app/flag") && $0.contains("SecureString") })
        #expect(!commands.contains { $0.contains("<new value>") })
        let json = ReportJSON.render(r)
        #expect(json.contains(#""parameter_type": "String""#))
    }

    @Test func trustIsRestoredFromThePolicyLoggedBeforeTheRewrite() throws {
        let created = Story.ev(
            "iam:CreateRole", "arn:aws:iam::111122223333:user/ops", at: -20 * 1440,
            params: [
                "roleName": "admin",
                "assumeRolePolicyDocument": Self.oldTrust.replacingOccurrences(of: ",", with: ",\n  "),
            ],
            id: "cr-1")
        let r = Self.report(before: [created])
        let restore = try #require(r.remediation.first { $0.action == "Restore the trust policy of role admin" })
        #expect(
            restore.commands.last
                == "aws iam update-assume-role-policy --role-name=admin --policy-document='\(Self.oldTrust)'")
        #expect(restore.reason.contains("cr-1"))
        #expect(!restore.commands.joined().contains("file://"))
        let artifact = try #require(r.persistence.first { $0.kind == .roleTrust })
        #expect(artifact.previous?.document == Self.oldTrust)
    }

    @Test func trustWithoutAnEarlierPolicySaysWhereToFindIt() throws {
        let r = Self.report()
        let restore = try #require(r.remediation.first { $0.action == "Restore the trust policy of role admin" })
        #expect(restore.reason.contains("no earlier trust policy"))
        #expect(
            restore.commands.contains {
                $0.contains("aws configservice get-resource-config-history --resource-type=AWS::IAM::Role")
            })
        #expect(restore.commands.last?.contains(#"--policy-document=file://"${TRUST_FILE:?"#) == true)
        #expect(!restore.commands.joined().contains("trust-before.json"))
    }
}
