import Detection
import Detectors
import EventModel
import TestSupport
import Testing

@Suite struct K8sSecretSweepTests {
    let id = "k8s.secret_sweep"
    let day = SourceEvents.day

    /// Three days of the runner reading its own namespace's secret every hour.
    func background(_ identity: Identity = SourceEvents.sa("ci", "runner")) -> [Event] {
        (0..<72).map { h in
            SourceEvents.k8s("get", "secrets", ns: "ci", name: "registry-creds", by: identity, at: Int64(h) * 3_600_000)
        }
    }

    func sweep(
        _ namespaces: [String], at start: Int64, verb: String = "get", status: Int = 200,
        by identity: Identity = SourceEvents.sa("ci", "runner")
    ) -> [Event] {
        namespaces.enumerated().map { i, ns in
            SourceEvents.k8s(
                verb, "secrets", ns: ns, name: verb == "get" ? "db" : "", by: identity, at: start + Int64(i) * 20_000,
                status: status)
        }
    }

    @Test func sweepAcrossNamespacesAfterLearning() throws {
        let h = try Harness(id)
        #expect(h.run(background()).isEmpty)
        let found = h.run(sweep(["payments", "billing", "auth", "kube-system"], at: 3 * day))
        let f = try #require(found.first)
        #expect(found.count == 1)
        #expect(f.severity == .high)
        #expect(f.key == "sweep")
        #expect(f.identity == "k8s:system:serviceaccount:ci:runner")
        #expect(f.title == "system:serviceaccount:ci:runner read secrets in 3 namespaces within 1 min")
        #expect(f.fact("namespaces") == "3")
        #expect(f.explanation.contains("auth, billing and payments"))
        #expect(f.mitre == ["T1552.007", "T1613"])
        #expect(f.eventIds.count == 3)
    }

    @Test func manyNamespacesRaiseTheSeverity() throws {
        let h = try Harness(id)
        #expect(h.run(background()).isEmpty)
        let ns = (0..<12).map { "team-\($0)" }
        // Fires at 3 namespaces, and again (critical) when the sweep reaches 10.
        let first = h.run(sweep(ns, at: 3 * day))
        #expect(first.map(\.severity) == [.high, .critical])
        #expect(first.map(\.key) == ["sweep", "sweep-wide"])
        #expect(first.last?.fact("namespaces") == "10")
        // The same 12 namespaces the next day are its habit now; 16 are beyond it.
        #expect(h.run(sweep(ns, at: 4 * day)).isEmpty)
        let later = h.run(sweep(ns + ["x1", "x2", "x3", "x4"], at: 5 * day))
        #expect(later.map(\.severity) == [.critical])
        #expect(later.first?.fact("habit_namespaces") == "12")
    }

    @Test func habitLearntDuringLearningIsNotASweep() throws {
        let ingress = SourceEvents.sa("ingress-nginx", "controller")
        let h = try Harness(id)
        #expect(h.run(sweep(["a", "b", "c", "d", "e"], at: 0, by: ingress)).isEmpty)
        #expect(h.run(background()).isEmpty)
        #expect(h.run(sweep(["a", "b", "c", "d"], at: 3 * day, by: ingress)).isEmpty)
        #expect(h.run(sweep(["a", "b", "c", "d", "e", "f"], at: 3 * day + 3_600_000, by: ingress)).count == 1)
    }

    @Test func clusterWideListIsReportedOncePerIdentity() throws {
        let h = try Harness(id)
        #expect(h.run(background()).isEmpty)
        let list = SourceEvents.k8s("list", "secrets", at: 3 * day)
        let f = try #require(h.run(list).first)
        #expect(f.key == "cluster-list")
        #expect(f.severity == .high)
        #expect(f.title == "system:serviceaccount:ci:runner listed secrets across the whole cluster")
        #expect(h.run(SourceEvents.k8s("list", "secrets", at: 3 * day + 7_200_000)).isEmpty)
        // An operator that listed everything while learning keeps doing so quietly.
        let op = SourceEvents.sa("velero", "velero")
        let h2 = try Harness(id)
        #expect(h2.run([SourceEvents.k8s("list", "secrets", by: op, at: 0)] + background()).isEmpty)
        #expect(h2.run(SourceEvents.k8s("list", "secrets", by: op, at: 3 * day)).isEmpty)
    }

    @Test func refusedSweepIsAFailedAttemptAndControlPlaneIsIgnored() throws {
        let h = try Harness(id)
        #expect(h.run(background()).isEmpty)
        #expect(h.run(sweep(["a", "b", "c"], at: 3 * day, status: 403)).first?.severity == .low)
        let cm = SourceEvents.k8sUser("system:kube-controller-manager")
        #expect(h.run(sweep(["a", "b", "c", "d"], at: 3 * day, by: cm)).isEmpty)
    }

    @Test func readsOutsideTheWindowDoNotAddUp() throws {
        let h = try Harness(id)
        #expect(h.run(background()).isEmpty)
        let slow = ["a", "b", "c", "d"].enumerated().map { i, ns in
            SourceEvents.k8s("get", "secrets", ns: ns, name: "db", at: 3 * day + Int64(i) * 900_000)
        }
        #expect(h.run(slow).isEmpty)
    }
}
