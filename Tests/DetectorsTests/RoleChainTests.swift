import Baselines
import Detection
import Detectors
import EventModel
import TestSupport
import Testing

@Suite("identity.role_chain")
struct RoleChainTests {
    let id = "identity.role_chain"
    let after = BL.t0 + 9 * BL.dayMs

    func assume(_ t: Int64, by: String, role: String, error: String = "") -> Event {
        TestEvents.ev(
            t, identity: by, service: "sts", op: "AssumeRole", error: error,
            resources: [Resource(kind: .role, id: role)], params: ["requestParameters.roleSessionName": "s1"])
    }

    func baseline(_ h: Harness) {
        h.feed(
            BL.series(days: 9, every: BL.hourMs) { t, _ in
                assume(t, by: BL.roleKey("ci"), role: BL.roleKey("deploy-staging"))
            })
        h.feed(
            BL.series(days: 9, every: 6 * BL.hourMs) { t, _ in
                assume(t + 1, by: BL.roleKey("breakglass"), role: "arn:aws:iam::999988887777:role/admin")
            })
    }

    @Test("a new cross-account role is raised and names who normally assumes it")
    func newRole() throws {
        let h = try Harness([id])
        baseline(h)
        h.feed(assume(after, by: BL.roleKey("ci"), role: "arn:aws:iam::999988887777:role/admin"))
        let f = try #require(h.findings(id).first)
        #expect(f.key == "arn:aws:iam::999988887777:role/admin")
        #expect(f.severity == .high)
        #expect(f.fact("cross_account") == "true")
        #expect(f.fact("baseline_assumed_roles") == "role/deploy-staging")
        #expect(f.fact("role_assumed_by")?.hasPrefix("role/breakglass") == true)
        #expect(f.explanation.contains("role chaining"))
    }

    @Test("known roles, learning identities and same-account roles")
    func quietAndSameAccount() throws {
        let h = try Harness([id])
        baseline(h)
        h.feed(assume(after, by: BL.roleKey("ci"), role: BL.roleKey("deploy-staging")))
        h.feed(assume(after, by: BL.roleKey("newcomer"), role: BL.roleKey("deploy-prod")))
        #expect(h.findings(id).isEmpty)
        h.feed(assume(after + 1000, by: BL.roleKey("ci"), role: BL.roleKey("deploy-prod")))
        let f = try #require(h.findings(id).first)
        #expect(f.severity == .medium)
    }

    @Test("the trust graph records who assumed whom")
    func trustGraph() throws {
        let h = try Harness([id])
        baseline(h)
        let roles = h.store.assumedRoles(by: BL.roleKey("ci"))
        #expect(roles.map(\.role) == [BL.roleKey("deploy-staging")])
        #expect(roles.first?.count == 216)
        #expect(
            h.store.assumers(of: "arn:aws:iam::999988887777:role/admin").map(\.identity) == [BL.roleKey("breakglass")])
        // A denied AssumeRole is not an edge.
        h.feed(assume(after, by: BL.roleKey("ci"), role: BL.roleKey("other"), error: "AccessDenied"))
        #expect(h.store.assumedRoles(by: BL.roleKey("ci")).count == 1)
    }
}
