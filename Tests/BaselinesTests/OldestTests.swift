import Baselines
import TestSupport
import Testing

/// Eviction picks exactly what a full sort by `(time, key)` would, in linear time.
@Suite("Oldest (eviction victims)")
struct OldestTests {
    @Test("same victims as a full sort", arguments: [1, 2, 7, 64, 500, 3125])
    func sameAsFullSort(n: Int) {
        var rng = SplitMix64(seed: UInt64(n))
        for round in 0..<20 {
            let count = Int(rng.next() % 5000) + 1
            // Few distinct times: many ties, broken by key.
            let spread = round % 2 == 0 ? 10 : 1_000_000
            var items = (0..<count).map { i in
                (time: Int64(rng.next() % UInt64(spread)), key: rng.next() ^ UInt64(i))
            }
            let expected = items.sorted(by: Oldest.less).prefix(n).map { [$0.time, Int64(bitPattern: $0.key)] }
            let got = Oldest.select(&items, n).map { [$0.time, Int64(bitPattern: $0.key)] }
            #expect(got == Array(expected), "count \(count) n \(n)")
        }
    }

    @Test func adversarialOrdersStayCorrect() {
        for shape in ["ascending", "descending", "equal", "organ"] {
            let count = 20_000
            var items = (0..<count).map { i -> (time: Int64, key: UInt64) in
                switch shape {
                case "ascending": return (Int64(i), UInt64(i))
                case "descending": return (Int64(count - i), UInt64(i))
                case "equal": return (7, UInt64(count - i))
                default: return (Int64(i < count / 2 ? i : count - i), UInt64(i))
                }
            }
            let expected = items.sorted(by: Oldest.less).prefix(312).map(\.key)
            #expect(Oldest.select(&items, 312).map(\.key) == Array(expected), "\(shape)")
        }
    }

    @Test func edges() {
        var empty: [(time: Int64, key: UInt64)] = []
        #expect(Oldest.select(&empty, 3).isEmpty)
        var two: [(time: Int64, key: UInt64)] = [(5, 1), (3, 2)]
        #expect(Oldest.select(&two, 5).map(\.key) == [2, 1])
        #expect(Oldest.select(&two, 0).isEmpty)
    }
}
