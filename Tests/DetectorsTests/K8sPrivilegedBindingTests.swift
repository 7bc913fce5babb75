import Detection
import Detectors
import EventModel
import TestSupport
import Testing

@Suite struct K8sPrivilegedBindingTests {
    let id = "k8s.privileged_binding"
    let day = SourceEvents.day

    func binding(
        _ role: String?, name: String = "pwn", subjects: [String] = ["system:serviceaccount:ci:runner"],
        kind: String = "clusterrolebindings", verb: String = "create", status: Int = 201, at ms: Int64 = 0,
        by identity: Identity = SourceEvents.sa("ci", "runner")
    ) -> Event {
        let subs = subjects.map { #"{"kind":"User","name":"\#($0)"}"# }.joined(separator: ",")
        let object = role.map {
            #"{"kind":"ClusterRoleBinding","metadata":{"name":"\#(name)"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"\#($0)"},"subjects":[\#(subs)]}"#
        }
        return SourceEvents.k8s(verb, kind, name: name, by: identity, at: ms, status: status, requestObject: object)
    }

    @Test func clusterAdminBindingIsCritical() throws {
        let f = try #require(try Harness.findings(id, binding("cluster-admin")).first)
        #expect(f.severity == .critical)
        #expect(f.key == "pwn")
        #expect(f.title == "system:serviceaccount:ci:runner created cluster role binding pwn to role cluster-admin")
        #expect(f.fact("role") == "cluster-admin")
        #expect(f.explanation.contains("full control of the cluster"))
        #expect(f.mitre == ["T1098.006"])
    }

    @Test func bindingToAnonymousIsRaisedAndOrdinaryRolesAreIgnored() throws {
        let f = try #require(
            try Harness.findings(id, binding("admin", subjects: ["system:anonymous"], kind: "rolebindings")).first)
        #expect(f.severity == .critical)
        #expect(f.explanation.contains("anyone, without credentials"))
        #expect(try Harness.findings(id, binding("view")).isEmpty)
        // Patching the cluster-admin binding itself (adding subjects) is a grab too.
        let patch = SourceEvents.k8s(
            "patch", "clusterrolebindings", name: "cluster-admin",
            requestObject: #"{"subjects":[{"kind":"User","name":"mallory"}]}"#)
        #expect(try Harness.findings(id, patch).first?.severity == .critical)
    }

    @Test func bindingWithoutLoggedObjectIsLowAndRefusedIsFailed() throws {
        #expect(try Harness.findings(id, binding(nil)).first?.severity == .low)
        let denied = try #require(try Harness.findings(id, binding("cluster-admin", status: 403)).first)
        #expect(denied.severity == .low)
        #expect(denied.title.contains("tried to create"))
    }

    @Test func firstExecByAServiceAccountAfterLearning() throws {
        let h = try Harness(id)
        let admin = SourceEvents.k8sUser("alice@example.com")
        let ci = SourceEvents.sa("ci", "migrations")
        var early = [SourceEvents.k8s("create", "pods", sub: "exec", ns: "db", name: "pg-0", by: ci, at: 0)]
        early.append(SourceEvents.k8s("get", "pods", ns: "ci", name: "x", at: 3 * day))
        #expect(h.run(early).isEmpty)
        let attacker = SourceEvents.sa("web", "frontend")
        let f = try #require(
            h.run(
                SourceEvents.k8s(
                    "create", "pods", sub: "exec", ns: "payments", name: "api-7d9", by: attacker, at: 3 * day)
            ).first)
        #expect(f.severity == .high)
        #expect(f.key == "pods/exec")
        #expect(f.title == "system:serviceaccount:web:frontend ran exec into pod payments/api-7d9")
        #expect(f.mitre == ["T1609"])
        // Once is enough; people and service accounts that exec'd while learning stay quiet.
        #expect(
            h.run(
                SourceEvents.k8s(
                    "create", "pods", sub: "exec", ns: "payments", name: "api-2", by: attacker, at: 3 * day + 60_000)
            ).isEmpty)
        #expect(
            h.run(SourceEvents.k8s("create", "pods", sub: "exec", ns: "db", name: "pg-0", by: ci, at: 3 * day)).isEmpty)
        #expect(
            h.run(SourceEvents.k8s("create", "pods", sub: "exec", ns: "db", name: "pg-0", by: admin, at: 3 * day))
                .isEmpty)
        #expect(
            h.run(
                SourceEvents.k8s(
                    "get", "pods", sub: "attach", ns: "db", name: "pg-0", by: SourceEvents.sa("x", "y"), at: 3 * day)
            ).count == 1)
    }

    @Test func allowListByIdentity() throws {
        let h = try Harness(
            id, edit: withAllowlist("  - identity: \"k8s:system:serviceaccount:ci:*\"", "    reason: GitOps"))
        #expect(h.issues.isEmpty)
        #expect(h.run(binding("cluster-admin")).isEmpty)
    }
}
