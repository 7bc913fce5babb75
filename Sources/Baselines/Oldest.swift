/// Chooses eviction victims: the `n` oldest of many `(time, key)` pairs.
///
/// Caps are reached exactly when input is hostile or huge (a stream of new
/// identities), so eviction must cost about what learning costs. Sorting every
/// entry at each eviction (n log n over the whole map for a batch of it) made the
/// scan three times slower at the 200,000-identity cap. Quickselect finds the
/// n-th oldest in linear time; only the victims are sorted. The result is the
/// same set, in the same order, as a full sort by `(time, key)` (keys are
/// unique), so runs stay deterministic. A quickselect that recurses too deep
/// (crafted times) falls back to sorting, so the worst case stays n log n.
public enum Oldest {
    /// The `n` smallest pairs of `items`, ascending by `(time, key)`. `items` is reordered.
    public static func select(_ items: inout [(time: Int64, key: UInt64)], _ n: Int) -> [(time: Int64, key: UInt64)] {
        guard n > 0, !items.isEmpty else { return [] }
        if n >= items.count { return items.sorted(by: less) }
        var lo = 0
        var hi = items.count - 1
        var budget = 2 * (Int.bitWidth - items.count.leadingZeroBitCount) + 8
        while lo < hi {
            budget -= 1
            if budget == 0 {
                items[lo...hi].sort(by: less)
                break
            }
            let p = partition(&items, lo, hi)
            if p == n - 1 { break }
            if p < n - 1 { lo = p + 1 } else { hi = p - 1 }
        }
        return items[..<n].sorted(by: less)
    }

    @inline(__always)
    /// The order victims are chosen in: older first, then by key.
    public static func less(_ a: (time: Int64, key: UInt64), _ b: (time: Int64, key: UInt64)) -> Bool {
        a.time != b.time ? a.time < b.time : a.key < b.key
    }

    /// Lomuto partition around the median of the first, middle and last element; returns the pivot's place.
    private static func partition(_ a: inout [(time: Int64, key: UInt64)], _ lo: Int, _ hi: Int) -> Int {
        let mid = lo + (hi - lo) / 2
        if less(a[mid], a[lo]) { a.swapAt(mid, lo) }
        if less(a[hi], a[lo]) { a.swapAt(hi, lo) }
        if less(a[mid], a[hi]) { a.swapAt(mid, hi) }
        let pivot = a[hi]
        var store = lo
        for i in lo..<hi where less(a[i], pivot) {
            a.swapAt(i, store)
            store += 1
        }
        a.swapAt(store, hi)
        return store
    }
}
