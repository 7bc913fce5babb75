import Baselines
import EventModel
import Foundation
import Investigation
import Testing
import TestSupport

/// A hand-written intrusion: the web role's session is used from outside, assumes
/// the admin role, plants a user with a key and admin rights, opens the admin role
/// to another account, which then uses it; the key is deleted the next day.
enum Story {
    static let acct = "111122223333"
    static let web = "arn:aws:iam::111122223333:role/web"
    static let admin = "arn:aws:iam::111122223333:role/admin"
    static let backdoor = "arn:aws:iam::111122223333:user/backdoor"
    static let day = EventBuilder.time("2024-05-01T00:00:00Z")
    static let window = TimeWindow(from: day, to: day + 86_400_000 - 1)
    static let boto = "Boto3/1.34.10 md/Botocore#1.34.10 ua/2.0 os/linux#5.10 lang/python#3.11.6 Botocore/1.34.10"
    static let evil = "curl/8.4.0 <script>alert(1)</script>"
    static let trust =
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::999988887777:root"]},"Action":"sts:AssumeRole"}]}"#

    static func ev(
        _ api: String, _ identity: String, at minutes: Int64, ip: String = "10.0.1.5", ua: String = boto,
        params: [String: String] = [:], id: String, key: String? = nil, response: [String: String] = [:],
        error: String = ""
    ) -> Event {
        var e = EventBuilder.aws(
            api, identity: identity, time: day + minutes * 60_000, ip: ip, userAgent: ua, errorCode: error,
            parameters: params, eventId: id)
        if let key { e.identity.accessKeyId = key; e.identity.keyKind = KeyKind(accessKeyId: key) }
        for (k, v) in response { e.parameters[k] = v }
        return e
    }

    static let webSession = "arn:aws:sts::111122223333:assumed-role/web/i-0abc"

    /// Ten days of routine before the window.
    static var before: [Event] {
        (1...10).flatMap { d -> [Event] in
            let m = -Int64(d) * 1440 + 600
            return [
                ev(
                    "secretsmanager:GetSecretValue", webSession, at: m, params: ["secretId": "prod/db"], id: "b-\(d)-1",
                    key: "ASIAWEBOLD0000000001"),
                ev(
                    "s3:GetObject", webSession, at: m + 1, params: ["bucketName": "assets", "key": "a.png"],
                    id: "b-\(d)-2", key: "ASIAWEBOLD0000000001"),
            ]
        }
    }

    static var during: [Event] {
        let k = "ASIAWEB0000000000001"
        return [
            ev(
                "secretsmanager:GetSecretValue", webSession, at: 600, params: ["secretId": "prod/db"], id: "w-1", key: k
            ),
            ev(
                "secretsmanager:GetSecretValue", webSession, at: 601, params: ["secretId": "prod/payments"], id: "w-2",
                key: k),
            ev(
                "secretsmanager:GetSecretValue", webSession, at: 602, params: ["secretId": "prod/denied"], id: "w-3",
                key: k, error: "AccessDenied"),
            ev("s3:ListBuckets", webSession, at: 603, ip: "203.0.113.66", ua: evil, id: "w-4", key: k),
            ev(
                "sts:AssumeRole", webSession, at: 605, params: ["roleArn": admin, "roleSessionName": "maint"],
                id: "w-5", key: k,
                response: ["responseElements.credentials.accessKeyId": "ASIAADMIN00000000001"]),
            ev(
                "iam:CreateUser", "arn:aws:sts::111122223333:assumed-role/admin/maint", at: 606,
                params: ["userName": "backdoor"], id: "a-1", key: "ASIAADMIN00000000001"),
            ev(
                "iam:CreateAccessKey", "arn:aws:sts::111122223333:assumed-role/admin/maint", at: 607,
                params: ["userName": "backdoor"], id: "a-2",
                key: "ASIAADMIN00000000001",
                response: ["responseElements.accessKey.accessKeyId": "AKIABACKDOOR00000001"]),
            ev(
                "iam:AttachUserPolicy", "arn:aws:sts::111122223333:assumed-role/admin/maint", at: 608,
                params: ["userName": "backdoor", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"], id: "a-3",
                key: "ASIAADMIN00000000001"),
            ev(
                "iam:UpdateAssumeRolePolicy", "arn:aws:sts::111122223333:assumed-role/admin/maint", at: 609,
                params: ["roleName": "admin", "policyDocument": trust], id: "a-4", key: "ASIAADMIN00000000001"),
            ev(
                "iam:ListUsers", "arn:aws:sts::111122223333:assumed-role/admin/alice", at: 610, ip: "192.0.2.10",
                id: "alice-1", key: "ASIAALICE00000000001"),
            ev("s3:ListBuckets", backdoor, at: 700, ip: "198.51.100.99", id: "bd-1", key: "AKIABACKDOOR00000001"),
            ev(
                "sts:AssumeRole", "arn:aws:iam::999988887777:user/eve", at: 720, ip: "198.51.100.7",
                params: ["roleArn": admin, "roleSessionName": "eve"],
                id: "x-1", response: ["responseElements.credentials.accessKeyId": "ASIAEVE0000000000001"]),
            ev(
                "secretsmanager:GetSecretValue", "arn:aws:sts::111122223333:assumed-role/admin/eve", at: 721,
                ip: "198.51.100.7",
                params: ["secretId": "prod/payments"], id: "x-2", key: "ASIAEVE0000000000001"),
        ]
    }

    /// The next day: the key is deleted by alice.
    static var after: [Event] {
        [
            ev(
                "iam:DeleteAccessKey", "arn:aws:sts::111122223333:assumed-role/admin/alice", at: 1440 + 60,
                params: ["userName": "backdoor", "accessKeyId": "AKIABACKDOOR00000001"], id: "fix-1",
                key: "ASIAALICE00000000002")
        ]
    }

    static func finding(
        _ identity: String, _ detector: String, _ id: String, at minutes: Int64, _ severity: Severity = .high
    ) -> Finding {
        Finding(
            detector: detector, severity: severity, identity: identity, identityType: .assumedRole, account: acct,
            firstSeen: day + minutes * 60_000, lastSeen: day + minutes * 60_000, eventIds: [id], title: detector,
            explanation: "x")
    }

    static func report(target: String = web, configure: (inout Investigator.Configuration) -> Void = { _ in })
        -> InvestigationReport
    {
        var c = Investigator.Configuration()
        configure(&c)
        let inv = Investigator(target: InvestigationTarget(target), window: window, configuration: c)
        let baseline = BaselineStore()
        for e in before {
            baseline.observe(e)
            inv.observe(e)
        }
        for e in during + after { inv.observe(e) }
        inv.add(finding(admin, "persistence.iam_user_created", "a-1", at: 606, .critical))
        inv.add(finding(admin, "identity.new_api", "alice-1", at: 610))
        inv.add(finding(web, "identity.new_source", "w-4", at: 603))
        inv.add(finding(web, "old.finding", "b-3-1", at: -3 * 1440))
        return inv.finish(before: baseline)
    }
}

@Suite("Investigator") struct InvestigatorTests {
    let r = Story.report()

    @Test func followsTheChainThroughSessionsCreatedUsersAndOpenedTrust() {
        #expect(r.rootIdentity == Story.web)
        #expect(r.principals.map(\.identity) == [Story.web, Story.admin, Story.backdoor])
        #expect(r.principals.map(\.depth) == [0, 1, 2])
        let admin = r.principals[1]
        #expect(admin.scopeCredentials == ["ASIAADMIN00000000001", "ASIAEVE0000000000001"])
        #expect(admin.events == 5, "alice's own admin session is not attributed")
        #expect(!admin.apis.contains { $0.api == "iam:ListUsers" })
        #expect(r.chain.map(\.kind) == [.assumedRole, .createdUser, .createdAccessKey, .changedTrust])
        let graph = TrustGraph(r)
        #expect(graph.nodes.contains { $0.id == "arn:aws:iam::999988887777:root" && $0.kind == "external" })
        #expect(graph.edges.contains { $0.from == Story.web && $0.to == Story.admin && $0.kinds == ["assumed_role"] })
    }

    @Test func readsAreJudgedAgainstTheBaselineBeforeTheWindow() {
        let secrets = r.reads.filter { $0.kind == .secret }
        let old = secrets.first { $0.resource == "prod/db" }
        let new = secrets.first { $0.resource == "prod/payments" && $0.identity == Story.web }
        #expect(old?.firstTime == false)
        #expect(old?.count == 1)
        #expect(new?.firstTime == true)
        #expect(secrets.first { $0.resource == "prod/denied" }?.denied == 1)
        #expect(secrets.first { $0.resource == "prod/denied" }?.count == 0)
        let viaEve = secrets.first { $0.resource == "prod/payments" && $0.identity == Story.admin }
        #expect(viaEve?.count == 1)
        #expect(r.input.before == Story.before.count)
    }

    @Test func credentialsUsedFromNewNetworksLookStolen() {
        let web = r.credentials.first { $0.accessKeyId == "ASIAWEB0000000000001" }
        #expect(web?.verdict == .stolen)
        #expect(web?.sources.first { $0.source == "203.0.113.66" }?.newNetwork == true)
        #expect(web?.sources.first { $0.source == "10.0.1.5" }?.newNetwork == false)
        #expect(web?.userAgents.contains { $0.family == .curl && $0.newFamily == true } == true)
        let planted = r.credentials.first { $0.accessKeyId == "AKIABACKDOOR00000001" }
        #expect(planted?.verdict == .createdByChain)
    }

    @Test func persistenceStatusFollowsLaterRemovals() {
        let byKind = Dictionary(grouping: r.persistence, by: \.kind)
        #expect(byKind[.user]?.first?.id == Story.backdoor)
        #expect(byKind[.user]?.first?.status == "active")
        #expect(byKind[.accessKey]?.first?.status == "removed")
        #expect(byKind[.accessKey]?.first?.changeEventId == "fix-1")
        #expect(byKind[.userPolicy]?.first?.detail == "arn:aws:iam::aws:policy/AdministratorAccess")
        #expect(byKind[.roleTrust]?.first?.detail.contains("999988887777") == true)
        #expect(
            r.adjacent.contains {
                $0.relation == "created_access_key" && $0.usedBy == Story.backdoor && $0.sources == ["198.51.100.99"]
            })
        #expect(
            r.adjacent.contains { $0.relation == "changed_trust" && $0.usedBy == "arn:aws:iam::999988887777:user/eve" })
    }

    @Test func findingsAreThoseOfTheInvestigatedSessionsInTheWindow() {
        #expect(r.findings.map(\.detector).sorted() == ["identity.new_source", "persistence.iam_user_created"])
        #expect(r.findings.first?.severity == .critical)
        #expect(r.activity.markers.count == 2)
    }

    @Test func verdictAndRevocationListAreOrderedByRisk() {
        #expect(r.verdict == .compromised)
        #expect(r.remediation.first?.risk == .critical)
        #expect(r.remediation.map(\.order) == Array(1...r.remediation.count))
        let actions = r.remediation.map(\.action)
        #expect(actions.contains("Restore the trust policy of role admin"))
        #expect(actions.contains("Delete user backdoor"))
        #expect(actions.contains("Revoke every session of role admin issued before now"))
        #expect(
            !actions.contains { $0.contains("Deactivate, then delete, access key AKIABACKDOOR") }, "already deleted")
        #expect(
            r.remediation.contains {
                $0.commands.contains("aws secretsmanager rotate-secret --secret-id=prod/payments")
            })
        let revoke = r.remediation.first { $0.action.hasPrefix("Revoke every session of role admin") }
        #expect(revoke?.commands.first?.contains("aws:TokenIssueTime") == true)
        for (a, b) in zip(r.remediation, r.remediation.dropFirst()) { #expect(a.risk >= b.risk) }
    }

    @Test func jsonIsDeterministicSortedAndParseable() throws {
        let a = ReportJSON.render(r)
        let b = ReportJSON.render(Story.report())
        #expect(a == b)
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(a.utf8)) as? [String: Any])
        #expect(obj["schema"] as? String == "trailhound.investigation/v1")
        #expect(obj["verdict"] as? String == "compromised")
        let keys = a.split(separator: "\n").filter { $0.hasPrefix("  \"") }.map { $0.split(separator: "\"")[1] }
        #expect(keys == keys.sorted())
        #expect((obj["identities"] as? [[String: Any]])?.count == 3)
    }

    @Test func logTextCannotInjectMarkup() {
        let html = ReportHTML.render(r)
        let md = ReportMarkdown.render(r)
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;"))
        #expect(!md.contains("<script"))
        #expect(html.contains("<svg"))
        #expect(html.hasPrefix("<!DOCTYPE html>"))
    }

    @Test func capsSayHowMuchWasLeftOut() {
        let small = Story.report {
            $0.maxReads = 1; $0.maxPrincipals = 2
        }
        #expect(small.reads.count == 1)
        #expect(small.readsOmitted.values.reduce(0, +) > 0)
        #expect(small.principals.count == 2)
        #expect(small.notes.contains { $0.contains("not followed") })
        #expect(small.notes.contains { $0.contains("not listed") })
    }

    @Test func sessionCallsReadBeforeTheAssumeRoleThatOpenedThemAreStillAttributed() {
        let inv = Investigator(target: InvestigationTarget(Story.web), window: Story.window)
        var events = Story.during
        let early = events.remove(at: 5)  // iam:CreateUser of the admin session, read before the AssumeRole
        #expect(early.eventId == "a-1")
        events.insert(early, at: 0)
        for e in events { inv.observe(e) }
        let r = inv.finish(before: nil)
        #expect(r.principals.first { $0.identity == Story.admin }?.events == 5)
        #expect(r.persistence.contains { $0.kind == .user && $0.id == Story.backdoor })
        #expect(r.principals.map(\.identity).contains(Story.backdoor))
        var none = Investigator.Configuration()
        none.maxHeldEvents = 0
        let strict = Investigator(target: InvestigationTarget(Story.web), window: Story.window, configuration: none)
        for e in events { strict.observe(e) }
        #expect(strict.finish(before: nil).principals.first { $0.identity == Story.admin }?.events == 4)
    }

    @Test func depthZeroInvestigatesOnlyTheTarget() {
        let flat = Story.report { $0.maxDepth = 0 }
        #expect(flat.principals.map(\.identity) == [Story.web])
        #expect(flat.persistence.isEmpty)
    }

    @Test func accessKeyTargetOnlyCountsThatCredential() {
        let k = Story.report(target: "AKIABACKDOOR00000001")
        #expect(k.rootIdentity == Story.backdoor)
        #expect(k.principals.first?.events == 1)
        #expect(k.principals.first?.scopeCredentials == ["AKIABACKDOOR00000001"])
    }
}

@Suite("Investigator on a quiet identity") struct QuietInvestigationTests {
    @Test func routineActivityGivesAShortQuietReport() {
        let inv = Investigator(target: InvestigationTarget(Story.web), window: Story.window)
        let baseline = BaselineStore()
        for e in Story.before {
            baseline.observe(e)
            inv.observe(e)
        }
        inv.observe(
            Story.ev(
                "secretsmanager:GetSecretValue", Story.webSession, at: 600, params: ["secretId": "prod/db"], id: "q-1",
                key: "ASIAWEB0000000000009"))
        let r = inv.finish(before: baseline)
        #expect(r.verdict == .quiet)
        #expect(r.remediation.isEmpty)
        #expect(r.credentials.map(\.verdict) == [.normal])
        let md = ReportMarkdown.render(r)
        #expect(md.contains("No action needed"))
        #expect(md.split(separator: "\n").count < 60)
    }

    @Test func unknownIdentityIsSaidSo() {
        let inv = Investigator(target: InvestigationTarget("role/nobody"), window: Story.window)
        for e in Story.during { inv.observe(e) }
        let r = inv.finish(before: nil)
        #expect(r.principals.isEmpty)
        #expect(r.notes.first?.contains("No event in the window matched role/nobody") == true)
    }
}
