import Baselines
import Detection
import Detectors
import EventModel
import TestSupport
import Testing

@Suite("secrets.enumeration")
struct SecretsEnumerationTests {
    let id = "secrets.enumeration"
    let after = BL.t0 + 9 * BL.dayMs + 60_000

    func secret(_ name: String) -> [Resource] {
        [Resource(kind: .secret, id: "arn:aws:secretsmanager:us-east-1:111122223333:secret:\(name)")]
    }

    /// web-app reads the same two secrets every 10 minutes (plus ordinary S3 calls).
    func baseline(_ h: Harness) {
        h.feed(
            BL.series(days: 9, every: 5 * 60_000) { t, i in
                i % 3 == 2
                    ? TestEvents.ev(t)
                    : TestEvents.ev(
                        t, service: "secretsmanager", op: "GetSecretValue", resources: secret("app/\(i % 3)"))
            })
    }

    @Test("a burst of distinct secrets far above the previous maximum fires with the baseline maximum")
    func burst() throws {
        let h = try Harness([id])
        baseline(h)
        for i in 0..<37 {
            h.feed(
                TestEvents.ev(
                    after + Int64(i) * 6_000, service: "secretsmanager", op: "GetSecretValue",
                    resources: secret("prod/item-\(i)")))
        }
        let f = try #require(h.findings(id).first)
        #expect(h.findings(id).count == 1)
        #expect(f.key == "burst")
        #expect(f.severity == .high)
        #expect(f.fact("baseline_max_per_window") == "2")
        #expect(f.fact("observed_distinct") == "6")
        #expect(f.fact("threshold") == "6")
        #expect(f.explanation.contains("its previous maximum was 2 per 600 s") || f.explanation.contains("per 10 min"))
        #expect(f.eventIds.count == 6)
        #expect(f.mitre.contains("T1555.006"))
    }

    @Test("re-reading the usual secrets at a high rate stays quiet")
    func sameSecrets() throws {
        let h = try Harness([id])
        baseline(h)
        for i in 0..<200 {
            h.feed(
                TestEvents.ev(
                    after + Int64(i) * 1000, service: "secretsmanager", op: "GetSecretValue",
                    resources: secret("app/\(i % 2)")))
        }
        #expect(h.findings(id).isEmpty)
    }

    @Test("ListSecrets followed by a few new reads fires with a lower threshold")
    func listThenRead() throws {
        let h = try Harness([id])
        baseline(h)
        h.feed(TestEvents.ev(after, service: "secretsmanager", op: "ListSecrets"))
        for i in 0..<3 {
            h.feed(
                TestEvents.ev(
                    after + 30_000 + Int64(i) * 1000, service: "secretsmanager", op: "GetSecretValue",
                    resources: secret("prod/x-\(i)")))
        }
        let f = try #require(h.findings(id).first)
        #expect(f.fact("preceded_by_listing") == "secretsmanager:ListSecrets")
        #expect(f.fact("observed_distinct") == "3")
    }

    @Test("low and slow: many never-read secrets over a day are reported at the end of input")
    func lowAndSlow() throws {
        let h = try Harness([id])
        baseline(h)
        for i in 0..<12 {
            h.feed(
                TestEvents.ev(
                    after + Int64(i) * 100 * 60_000, service: "ssm", op: "GetParameter",
                    resources: [Resource(kind: .parameter, id: "/prod/param-\(i)")]))
        }
        #expect(h.findings(id).isEmpty)
        h.finish()
        let f = try #require(h.findings(id).first)
        #expect(f.key == "slow")
        #expect(f.fact("observed_new_distinct") == "12")
        #expect(f.severity == .medium)
    }

    @Test("a new identity (learning) needs the higher learning threshold; service decrypts are ignored")
    func learningAndService() throws {
        let h = try Harness([id])
        for i in 0..<10 {
            h.feed(
                TestEvents.ev(
                    BL.t0 + Int64(i) * 1000, identity: BL.roleKey("fresh"), service: "secretsmanager",
                    op: "GetSecretValue",
                    resources: secret("s-\(i)")))
        }
        for i in 0..<50 {
            h.feed(
                TestEvents.ev(
                    BL.t0 + Int64(i) * 1000, identity: BL.roleKey("reader"), service: "kms", op: "Decrypt", ip: nil,
                    viaService: "s3.amazonaws.com", resources: [Resource(kind: .kmsKey, id: "key-\(i)")],
                    invokedBy: "s3.amazonaws.com"))
        }
        #expect(h.findings(id).isEmpty)
        for i in 10..<15 {
            h.feed(
                TestEvents.ev(
                    BL.t0 + Int64(i) * 1000, identity: BL.roleKey("fresh"), service: "secretsmanager",
                    op: "GetSecretValue",
                    resources: secret("s-\(i)")))
        }
        #expect(h.findings(id).count == 1)
    }

    @Test("the slow window survives a detector snapshot and restore")
    func snapshot() throws {
        let h = try Harness([id])
        baseline(h)
        for i in 0..<11 {
            h.feed(
                TestEvents.ev(
                    after + Int64(i) * 60 * 60_000, service: "ssm", op: "GetParameter",
                    resources: [Resource(kind: .parameter, id: "/prod/p-\(i)")]))
        }
        let saved = h.engine.snapshotDetectors()
        #expect(saved[id] != nil)
        let h2 = try Harness([id])
        h2.engine.restoreDetectors(saved)
        h2.finish()
        #expect(h2.findings(id).first?.fact("observed_new_distinct") == "11")
    }
}
