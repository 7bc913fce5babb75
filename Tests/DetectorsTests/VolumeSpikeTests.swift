import Baselines
import Detection
import Detectors
import EventModel
import TestSupport
import Testing

@Suite("identity.volume_spike")
struct VolumeSpikeTests {
    let id = "identity.volume_spike"
    let after = BL.t0 + 9 * BL.dayMs

    @Test("an hour far beyond the maximum fires once, with the baseline numbers")
    func spike() throws {
        let h = try Harness([id])
        h.feed(BL.series(days: 9, every: 5 * 60_000) { t, _ in TestEvents.ev(t) })
        for i in 0..<600 { h.feed(TestEvents.ev(after + Int64(i) * 3000)) }
        let fs = h.findings(id)
        #expect(fs.count == 1)
        let f = try #require(fs.first)
        #expect(f.fact("observed_events_hour") == "200")
        #expect(f.fact("baseline_max_per_hour") == "12")
        #expect(f.fact("baseline_days") == "9")
        #expect(f.key == "2024-01-10T00:00:00Z")
    }

    @Test("quiet below 10x the maximum, and with less than 7 days of baseline")
    func quiet() throws {
        let h = try Harness([id])
        h.feed(BL.series(days: 9, every: 30_000) { t, _ in TestEvents.ev(t) })
        for i in 0..<1000 { h.feed(TestEvents.ev(after + Int64(i) * 3000)) }
        #expect(h.findings(id).isEmpty)
        let h2 = try Harness([id])
        h2.feed(BL.series(days: 5, every: 5 * 60_000) { t, _ in TestEvents.ev(t) })
        for i in 0..<600 { h2.feed(TestEvents.ev(BL.t0 + 5 * BL.dayMs + Int64(i) * 3000)) }
        #expect(h2.findings(id).isEmpty)
    }
}
