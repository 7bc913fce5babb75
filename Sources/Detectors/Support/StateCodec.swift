import Baselines
import EventModel

/// Bounds shared by the detector snapshots. A snapshot comes back from disk after a
/// crash, so every count, text and time read from it is checked: bad data makes the
/// restore fail as a whole (the detector stays empty) rather than trap later.
enum StateCodec {
    /// Longest text read back: detectors keep at most a parameter value (plus an ellipsis).
    static let maxText = Limits.maxParameterValue + 64
    /// Largest event time accepted (ms; about ±35,000 years): differences of two such
    /// times cannot overflow.
    static let maxTime: Int64 = 1 << 50

    /// Reads a whole snapshot: checks the version byte, runs `body`, and requires that
    /// every byte was read. Returns nil on any problem (an unknown version included).
    static func decode<T>(
        _ bytes: [UInt8], versions: ClosedRange<UInt8>,
        _ body: (_ version: UInt8, inout BinaryReader) throws(BinaryDecodeError) -> T
    ) -> T? {
        var r = BinaryReader(bytes)
        do throws(BinaryDecodeError) {
            let version = try r.u8()
            guard versions.contains(version) else { return nil }
            let value = try body(version, &r)
            return r.isAtEnd ? value : nil
        } catch {
            return nil
        }
    }
}

extension BinaryWriter {
    /// Appends the evidence ids.
    mutating func evidence(_ e: Evidence) { strings(e.ids) }
}

extension BinaryReader {
    /// Reads an event time (see `StateCodec.maxTime`).
    mutating func time() throws(BinaryDecodeError) -> Int64 {
        let v = try int()
        guard abs(v) <= StateCodec.maxTime else { throw BinaryDecodeError("time \(v) out of range", offset: offset) }
        return v
    }

    /// Reads an event time or the sentinel `never` (`Int64.min`: "not yet"; `Int64.max` for a minimum).
    mutating func mark(never: Int64 = .min) throws(BinaryDecodeError) -> Int64 {
        let v = try int()
        guard v == never || abs(v) <= StateCodec.maxTime else {
            throw BinaryDecodeError("time \(v) out of range", offset: offset)
        }
        return v
    }

    /// Reads a bounded text.
    mutating func text() throws(BinaryDecodeError) -> String { try string(max: StateCodec.maxText) }

    /// Reads evidence ids written by `BinaryWriter.evidence`.
    mutating func evidence() throws(BinaryDecodeError) -> Evidence {
        var e = Evidence()
        for id in try strings(max: Evidence.cap, maxLength: StateCodec.maxText) { e.add(id) }
        return e
    }
}

extension BoundedStates {
    /// Appends every entry, sorted by key (deterministic bytes): the count, then each
    /// key, last use and `body`'s encoding of the value. Every entry is kept, even an
    /// idle one: it still counts towards the capacity, so eviction stays the same.
    func encode(into w: inout BinaryWriter, _ body: (Value, inout BinaryWriter) -> Void) {
        let sorted = entries.sorted { $0.key < $1.key }
        w.uint(sorted.count)
        for (k, v) in sorted {
            w.u64(k)
            w.int(v.used)
            body(v, &w)
        }
    }

    /// Reads what `encode` wrote into an empty map of the same capacity.
    func decoded(
        from r: inout BinaryReader, _ body: (inout BinaryReader) throws(BinaryDecodeError) -> Value
    ) throws(BinaryDecodeError) -> BoundedStates {
        var out = BoundedStates(capacity: capacity)
        for _ in 0..<(try r.uint(max: capacity)) {
            let k = try r.u64()
            let used = try r.mark()
            out.restore(k, used: used, try body(&r))
        }
        return out
    }
}

/// The state of a source detector: its learning clock, then its per-key states.
struct ClockedStates<Value: RecentState> {
    var clock: LearningClock
    var states: BoundedStates<Value>

    /// Snapshot bytes (`version`, clock, states).
    func encoded(version: UInt8, _ body: (Value, inout BinaryWriter) -> Void) -> [UInt8] {
        BinaryWriter.encoded(version: version) { w in
            clock.encode(into: &w)
            states.encode(into: &w, body)
        }
    }

    /// Reads what `encoded` wrote (states of the same capacity); nil on any problem.
    func decoded(
        _ bytes: [UInt8], version: UInt8, _ body: (inout BinaryReader) throws(BinaryDecodeError) -> Value
    ) -> ClockedStates? {
        StateCodec.decode(bytes, versions: version...version) { _, r throws(BinaryDecodeError) in
            ClockedStates(clock: try LearningClock.decoded(from: &r), states: try states.decoded(from: &r, body))
        }
    }
}

extension SeenKey {
    /// Appends the key's state (its last use is written by `BoundedStates.encode`).
    func encode(into w: inout BinaryWriter) { w.int(since) }

    /// Reads what `encode` wrote.
    static func decoded(from r: inout BinaryReader) throws(BinaryDecodeError) -> SeenKey {
        let k = SeenKey()
        k.since = try r.time()
        return k
    }
}
