/// A per-window counter with the maximum over *earlier* windows, for "its
/// previous maximum was 2 per 10 min". Windows are tumbling buckets of event
/// time (`bucket = time / length`). The maximum only takes in buckets that
/// ended at least one full bucket ago, so a burst that straddles a bucket
/// boundary is not part of the maximum it is compared with. Aging: the maximum
/// is kept in two generations (each `forgetAfter / 2` long), so a peak fades out
/// between `forgetAfter / 2` and `forgetAfter` after it happened.
public struct WindowMax: Sendable, Hashable {
    /// Bucket index of `current`; `Int64.min` when nothing was counted yet.
    public private(set) var bucket: Int64 = .min
    /// Count in bucket `bucket`.
    public private(set) var current: UInt32 = 0
    /// Count in bucket `bucket - 1` (not yet folded into the maximum).
    public private(set) var pending: UInt32 = 0
    private var maxNew: UInt32 = 0
    private var maxOld: UInt32 = 0
    private var generation: Int32 = .min

    /// Creates an empty counter.
    public init() {}

    /// Adds `n` to bucket `b` (of generation `g`). Returns true when `b` is a new bucket.
    @discardableResult
    public mutating func add(_ n: UInt32, bucket b: Int64, generation g: Int32) -> Bool {
        age(to: g)
        var opened = false
        if b > bucket {
            if bucket != .min && b == bucket + 1 {
                fold(pending)
                pending = current
            } else {
                fold(pending)
                fold(current)
                pending = 0
            }
            current = 0
            bucket = b
            opened = true
        } else if b == bucket - 1 {
            pending = pending &+ n
            return false
        } else if b < bucket {
            // Late event for an older bucket: it is already past; count it in the maximum.
            fold(n)
            return false
        }
        current = current > UInt32.max - n ? .max : current + n
        return opened
    }

    /// Count in bucket `b` so far (0 when `b` is not the current bucket).
    public func count(inBucket b: Int64) -> UInt32 { b == bucket ? current : 0 }

    /// Count in the bucket before `b` (0 when unknown).
    public func count(beforeBucket b: Int64) -> UInt32 {
        if b == bucket { return pending }
        if b == bucket + 1 { return current }
        return 0
    }

    /// Maximum over buckets that ended before bucket `b - 1` began, as seen at
    /// bucket `b` of generation `g` (peaks older than two generations are gone).
    public func priorMax(atBucket b: Int64, generation g: Int32) -> UInt32 {
        var m: UInt32
        if generation == .min || g > generation + 1 {
            m = 0
        } else if g == generation + 1 {
            m = maxNew
        } else {
            m = Swift.max(maxNew, maxOld)
        }
        if bucket != .min {
            if bucket <= b - 2 { m = Swift.max(m, Swift.max(current, pending)) }
            if bucket == b - 1 { m = Swift.max(m, pending) }
        }
        return m
    }

    /// Raw parts for snapshots: bucket, current, pending, newer max, older max, generation.
    public var parts: (Int64, UInt32, UInt32, UInt32, UInt32, Int32) {
        (bucket, current, pending, maxNew, maxOld, generation)
    }

    /// Rebuilds from `parts`.
    public init(parts p: (Int64, UInt32, UInt32, UInt32, UInt32, Int32)) {
        (bucket, current, pending, maxNew, maxOld, generation) = p
    }

    private mutating func fold(_ v: UInt32) { if v > maxNew { maxNew = v } }

    private mutating func age(to g: Int32) {
        if generation == .min {
            generation = g
        } else if g == generation + 1 {
            maxOld = maxNew
            maxNew = 0
            generation = g
        } else if g > generation + 1 {
            maxOld = 0
            maxNew = 0
            generation = g
        }
    }

    /// Equality of all parts.
    public static func == (a: WindowMax, b: WindowMax) -> Bool {
        a.bucket == b.bucket && a.current == b.current && a.pending == b.pending && a.maxNew == b.maxNew
            && a.maxOld == b.maxOld && a.generation == b.generation
    }

    /// Hash of all parts.
    public func hash(into h: inout Hasher) {
        h.combine(bucket)
        h.combine(current)
        h.combine(pending)
        h.combine(maxNew)
        h.combine(maxOld)
        h.combine(generation)
    }
}
