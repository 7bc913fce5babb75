import Detection
import EventModel
import TestSupport
import Testing

/// `EventMemo`: a value derived once per event for every detector of an engine, and never read
/// for another event.
@Suite("Per-event memo shared by detectors")
struct EventMemoTests {
    private static func event(_ id: String, time: Int64 = TestEvents.t0, record: Int = 1) -> Event {
        TestEvents.event(
            time: time, identity: TestEvents.role(), service: "sts", operation: "GetCallerIdentity",
            source: .unknown, userAgent: .empty, eventId: id, origin: Origin(path: "f.json", record: record))
    }

    @Test func theFirstAskComputesAndTheOthersRead() {
        let memo = EventMemo()
        let e = Self.event("a")
        var made = 0
        for _ in 0..<4 {
            let v = memo.value(String.self, for: e) {
                made += 1
                return "value of a"
            }
            #expect(v == "value of a")
        }
        #expect(made == 1)
    }

    @Test(arguments: [("b", TestEvents.t0, 1), ("a", TestEvents.t0 + 1, 1), ("a", TestEvents.t0, 2)])
    func anotherEventIsComputedAgain(id: String, time: Int64, record: Int) {
        let memo = EventMemo()
        _ = memo.value(String.self, for: Self.event("a")) { "value of a" }
        let other = Self.event(id, time: time, record: record)
        #expect(memo.value(String.self, for: other) { "value of the other" } == "value of the other")
    }

    @Test func kindsAreKeptApartAndBeyondCapacityStillRight() {
        let memo = EventMemo()
        let e = Self.event("a")
        #expect(memo.value(Int.self, for: e) { 1 } == 1)
        #expect(memo.value(String.self, for: e) { "s" } == "s")
        #expect(memo.value(Int.self, for: e) { 2 } == 1, "the Int of this event was kept")
        // More kinds than it keeps: each is still right, computed when not kept.
        #expect(memo.value(Double.self, for: e) { 0.5 } == 0.5)
        #expect(memo.value(Bool.self, for: e) { true })
        #expect(memo.value(UInt8.self, for: e) { 7 } == 7)
        #expect(memo.value(UInt8.self, for: e) { 8 } == 8, "past capacity: computed again, not mixed up")
    }
}
