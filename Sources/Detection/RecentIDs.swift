import EventModel

/// A bounded set of recently seen event ids (as 64-bit FNV-1a hashes), used to
/// drop CloudTrail's duplicate deliveries. Oldest ids are forgotten first.
public struct RecentIDs: Sendable {
    private var ring: [UInt64]
    private var set: Set<UInt64>
    private var next = 0

    /// Creates a set remembering at most `capacity` ids.
    public init(capacity: Int) {
        ring = [UInt64](repeating: 0, count: max(1, capacity))
        set = Set(minimumCapacity: max(1, capacity))
    }

    /// Inserts an id; returns false when it was already present (a duplicate).
    public mutating func insert(_ id: String) -> Bool {
        insert(hash: RecentIDs.fnv1a(id))
    }

    /// Inserts an id's hash (never 0); returns false when it was already present.
    mutating func insert(hash h: UInt64) -> Bool {
        if set.contains(h) { return false }
        let old = ring[next]
        if old != 0 { set.remove(old) }
        ring[next] = h
        set.insert(h)
        next = (next + 1) % ring.count
        return true
    }

    /// Remembered hashes, oldest first (for the state file).
    var ordered: [UInt64] {
        (ring[next...] + ring[..<next]).filter { $0 != 0 }
    }

    /// Number of ids remembered.
    public var count: Int { self.set.count }

    /// 64-bit FNV-1a over the UTF-8 bytes; never 0 (0 marks an empty slot).
    @inline(__always) public static func fnv1a(_ s: String) -> UInt64 { FNV1a.hash(s) }
}
