/// First/last sighting and count of one baseline entry (an API, a network, …).
public struct FeatureStat: Sendable, Hashable {
    /// Event time of the first sighting (ms).
    public var firstSeen: Int64
    /// Event time of the latest sighting (ms).
    public var lastSeen: Int64
    /// Number of events (saturates at `UInt32.max`).
    public var count: UInt32
    /// Meaning depends on the set: resource kind code, latest major version of a
    /// user-agent family, number of identities using an account-wide API, 1 for an instance id.
    public var tag: UInt32

    /// Creates a stat.
    public init(firstSeen: Int64, lastSeen: Int64, count: UInt32, tag: UInt32 = 0) {
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.count = count
        self.tag = tag
    }
}

/// A bounded map from a 64-bit key (a hash, a network) to a `FeatureStat`.
/// Small sets (most identities) are scanned linearly in two flat arrays; an
/// index dictionary is built only past `indexThreshold` entries. When the
/// capacity is reached new keys are refused and counted in `overflow`, so that
/// an attacker cannot flush a baseline by calling many new things (or, with
/// `replaceOldest`, the least recently seen entry makes room: for context-only sets).
public struct FeatureMap: Sendable {
    /// Keys, parallel to `stats`.
    public private(set) var keys: [UInt64] = []
    /// Stats, parallel to `keys`.
    public private(set) var stats: [FeatureStat] = []
    private var index: [UInt64: Int32]? = nil
    /// Events whose key was refused because the set was full.
    public private(set) var overflow: UInt32 = 0
    /// Entries forgotten by aging or replaced.
    public private(set) var forgotten: UInt32 = 0

    static let indexThreshold = 24

    /// Result of `touch`.
    public enum Touch: Equatable {
        /// Key already present; previous `lastSeen`.
        case known(previousLastSeen: Int64)
        /// Key added.
        case added
        /// Set full; the event was counted in `overflow`.
        case refused
    }

    /// Creates an empty map.
    public init() {}

    /// Number of entries.
    @inline(__always) public var count: Int { keys.count }

    /// Position of a key, nil when absent.
    @inline(__always)
    public func find(_ key: UInt64) -> Int? {
        if let index { return index[key].map(Int.init) }
        return keys.withUnsafeBufferPointer { buf in
            for i in 0..<buf.count where buf[i] == key { return i }
            return nil
        }
    }

    /// Stat of a key, nil when absent.
    public func stat(_ key: UInt64) -> FeatureStat? { find(key).map { stats[$0] } }

    /// Records one sighting of `key` at `now`. `capacity` bounds the set.
    @discardableResult
    public mutating func touch(
        _ key: UInt64, at now: Int64, capacity: Int, tag: UInt32? = nil,
        replaceOldest: Bool = false
    ) -> Touch {
        if let i = find(key) {
            let prev = stats[i].lastSeen
            stats.withUnsafeMutableBufferPointer { s in
                if now > s[i].lastSeen { s[i].lastSeen = now }
                if now < s[i].firstSeen { s[i].firstSeen = now }
                if s[i].count != .max { s[i].count += 1 }
                if let tag { s[i].tag = tag }
            }
            return .known(previousLastSeen: prev)
        }
        if keys.count >= capacity {
            guard replaceOldest, !keys.isEmpty else {
                if overflow != .max { overflow += 1 }
                return .refused
            }
            removeAt(oldestIndex())
            forgotten &+= 1
        }
        append(key, FeatureStat(firstSeen: now, lastSeen: now, count: 1, tag: tag ?? 0))
        return .added
    }

    /// Adds `delta` to the tag of an existing key (saturating at 0 and `UInt32.max`).
    public mutating func adjustTag(_ key: UInt64, by delta: Int) {
        guard let i = find(key) else { return }
        let v = Int(stats[i].tag) + delta
        stats[i].tag = UInt32(clamping: v)
    }

    /// Inserts or replaces an entry as is (restore from a snapshot); refuses when full.
    public mutating func insert(_ key: UInt64, _ stat: FeatureStat, capacity: Int) {
        if let i = find(key) {
            stats[i] = stat
        } else if keys.count < capacity {
            append(key, stat)
        }
    }

    /// Sets the counters (restore from a snapshot).
    public mutating func setCounters(overflow: UInt32, forgotten: UInt32) {
        self.overflow = overflow
        self.forgotten = forgotten
    }

    /// Removes entries last seen before `cutoff`, calling `removed` for each.
    public mutating func forget(before cutoff: Int64, removed: (UInt64, FeatureStat) -> Void = { _, _ in }) {
        var i = 0
        while i < keys.count {
            if stats[i].lastSeen < cutoff {
                removed(keys[i], stats[i])
                removeAt(i)
                forgotten &+= 1
            } else {
                i += 1
            }
        }
    }

    /// Removes entries first seen within `window` (the clean-up after an
    /// incident that was learned), calling `removed` for each; returns how many.
    /// Not counted as forgotten: nothing aged out.
    @discardableResult
    public mutating func remove(
        firstSeenIn window: ClosedRange<Int64>, removed: (UInt64, FeatureStat) -> Void = { _, _ in }
    )
        -> Int
    {
        var i = 0
        var n = 0
        while i < keys.count {
            if window.contains(stats[i].firstSeen) {
                removed(keys[i], stats[i])
                removeAt(i)
                n += 1
            } else {
                i += 1
            }
        }
        return n
    }

    /// Entries sorted by count (most used first), then key.
    public func sortedByCount() -> [(key: UInt64, stat: FeatureStat)] {
        zip(keys, stats).map { (key: $0, stat: $1) }
            .sorted { ($0.stat.count, $1.key) > ($1.stat.count, $0.key) }
    }

    /// Heap bytes held (array buffers and the index), from their real capacities.
    public var approximateBytes: Int {
        let arrayHeader = 32
        var n = 0
        if keys.capacity > 0 { n += arrayHeader + keys.capacity * MemoryLayout<UInt64>.stride }
        if stats.capacity > 0 { n += arrayHeader + stats.capacity * MemoryLayout<FeatureStat>.stride }
        if let index {
            // Native dictionary: header + per-bucket key, value and occupancy bit; load factor 3/4.
            let buckets = max(1, Int(Double(index.capacity) / 0.75).nextPowerOfTwo)
            n += 64 + buckets * (MemoryLayout<UInt64>.stride + MemoryLayout<Int32>.stride) + buckets / 8
        }
        return n
    }

    private mutating func append(_ key: UInt64, _ stat: FeatureStat) {
        keys.append(key)
        stats.append(stat)
        if index != nil {
            index![key] = Int32(keys.count - 1)
        } else if keys.count > Self.indexThreshold {
            var d = [UInt64: Int32](minimumCapacity: keys.count * 2)
            for (i, k) in keys.enumerated() { d[k] = Int32(i) }
            index = d
        }
    }

    private mutating func removeAt(_ i: Int) {
        let last = keys.count - 1
        let removedKey = keys[i]
        if i != last {
            keys[i] = keys[last]
            stats[i] = stats[last]
            index?[keys[i]] = Int32(i)
        }
        keys.removeLast()
        stats.removeLast()
        index?[removedKey] = nil
        if let idx = index, idx.count <= Self.indexThreshold / 2 { index = nil }
    }

    private func oldestIndex() -> Int {
        var best = 0
        for i in 1..<stats.count where stats[i].lastSeen < stats[best].lastSeen { best = i }
        return best
    }
}

extension Int {
    fileprivate var nextPowerOfTwo: Int {
        var v = 1
        while v < self { v <<= 1 }
        return v
    }
}
