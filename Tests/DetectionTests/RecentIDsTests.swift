import Detection
import Testing

@Suite struct RecentIDsTests {
    @Test func duplicatesAreRejected() {
        var ids = RecentIDs(capacity: 10)
        let results = ["a", "b", "a", "b"].map { ids.insert($0) }
        #expect(results == [true, true, false, false])
    }

    @Test func oldestIdsAreForgottenFirst() {
        var ids = RecentIDs(capacity: 3)
        let first = ["a", "b", "c", "d"].map { ids.insert($0) }
        #expect(first == [true, true, true, true])
        let again = ["a", "c", "d", "b"].map { ids.insert($0) }
        #expect(again == [true, false, false, true], "d evicted a; a's return evicted b")
    }

    @Test func zeroCapacityStillWorks() {
        var ids = RecentIDs(capacity: 0)
        let results = ["a", "a", "b", "a"].map { ids.insert($0) }
        #expect(results == [true, false, true, true])
    }

    @Test func hashIsStableAndNeverZero() {
        #expect(RecentIDs.fnv1a("") == 0xcbf2_9ce4_8422_2325)
        #expect(RecentIDs.fnv1a("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(RecentIDs.fnv1a("a") != RecentIDs.fnv1a("b"))
    }
}
