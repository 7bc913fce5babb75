/// The provider's own record behind an `Event`, as bytes of one JSON object, kept only when a
/// loaded rule may read it (see `RawInterest`). Rule languages such as Sigma name the source's
/// own fields (`requestParameters.attribute`, `objectRef.resource`), which the normalized
/// `Event` does not keep; resolving them lazily from these bytes costs nothing for the events
/// no rule can match. For wrapped records (EventBridge `detail`, CloudWatch Logs batches, EKS
/// and AKS wrappers) these are the bytes of the inner provider record.
///
/// A class so that copies of an `Event` share one buffer. The bytes live in memory the record
/// owns, at a fixed address for its whole life, so a rule engine may keep a parsed view of them
/// (`memo`) and every rule that reads the event shares one parse.
///
/// `@unchecked Sendable`: the bytes never change after `init`; `memo` is written and read only by
/// the thread that runs detection on the event (the decoders never touch it).
public final class RawRecord: @unchecked Sendable {
    private let storage: UnsafeMutableRawPointer
    private let count: Int
    /// A parsed view of `buffer` kept by the rule engine that made it (Sigma's top-level members),
    /// so the next rule on the same event does not read the record again. Detection thread only.
    public var memo: AnyObject?

    /// Copies a record's bytes.
    public init(copying source: UnsafeRawBufferPointer) {
        count = source.count
        storage = UnsafeMutableRawPointer.allocate(byteCount: max(1, source.count), alignment: 8)
        if let base = source.baseAddress, source.count > 0 { storage.copyMemory(from: base, byteCount: source.count) }
    }

    /// Copies a record's bytes.
    public init(bytes: [UInt8]) {
        let p = UnsafeMutableRawPointer.allocate(byteCount: max(1, bytes.count), alignment: 8)
        bytes.withUnsafeBytes {
            if let base = $0.baseAddress, $0.count > 0 { p.copyMemory(from: base, byteCount: $0.count) }
        }
        storage = p
        count = bytes.count
    }

    deinit { storage.deallocate() }

    /// The record's JSON text (one object), valid as long as this record is alive.
    public var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: storage, count: count) }

    /// The record's JSON text as an array (a copy).
    public var bytes: [UInt8] { Array(buffer) }
}

/// Which events' raw records the decoders keep (`Event.raw`): per provider, every event or
/// the events whose `action.operation` is one of a set (compared ASCII case-insensitively,
/// as Sigma compares values). The default keeps none, so a run without rules copies nothing.
public struct RawInterest: Sendable, Equatable {
    /// What is kept for one provider.
    public enum Scope: Sendable, Equatable {
        /// Every event of the provider.
        case all
        /// Events whose operation is in the set.
        case operations(Set<CaseFoldedKey>)
    }

    /// Scope by provider; a provider not listed keeps nothing.
    public private(set) var scopes: [Provider: Scope] = [:]
    /// The rules themselves, when they can be decided where records are decoded: the decoder then
    /// runs them on the record's own bytes and stores the verdicts in `Event.ruleHits` instead of
    /// copying the record into `Event.raw` (one copy per event saved, and the matching done on
    /// the decoding threads). Nil: the decoder keeps `raw` and the rules read it later.
    public var prematcher: (any RecordPrematcher)?

    /// Keeps nothing.
    public static let none = RawInterest()

    /// Creates an empty interest.
    public init() {}

    /// Equal scopes and the same prematcher (or none).
    public static func == (a: RawInterest, b: RawInterest) -> Bool {
        a.scopes == b.scopes && a.prematcher?.serial == b.prematcher?.serial
    }

    /// True when no provider's raw records are kept.
    public var isEmpty: Bool { scopes.isEmpty }

    /// Keeps every event of `provider`.
    public mutating func addAll(_ provider: Provider) { scopes[provider] = .all }

    /// Keeps the events of `provider` whose operation is one of `operations`.
    public mutating func add(_ provider: Provider, operations: some Sequence<String>) {
        switch scopes[provider] {
        case .all: return
        case .operations(var set):
            for o in operations { set.insert(CaseFoldedKey(o)) }
            scopes[provider] = .operations(set)
        case nil:
            scopes[provider] = .operations(Set(operations.map(CaseFoldedKey.init)))
        }
    }

    /// The union of two interests.
    public mutating func formUnion(_ other: RawInterest) {
        for (p, s) in other.scopes {
            switch s {
            case .all: addAll(p)
            case .operations(let set): add(p, operations: set.map(\.text))
            }
        }
    }

    /// True when an event of `provider` performing `operation` should keep its raw record.
    @inlinable public func wants(_ provider: Provider, operation: String) -> Bool {
        if scopes.isEmpty { return false }
        switch scopes[provider] {
        case nil: return false
        case .all: return true
        case .operations(let set): return set.contains(CaseFoldedKey(operation))
        }
    }
}

/// Rules run by the decoders on each wanted record's own bytes (see `RawInterest.prematcher`).
/// Implementations are immutable and shared by every decoding thread.
public protocol RecordPrematcher: AnyObject, Sendable {
    /// Tells this rule set's verdicts (`RuleHits.set`) from another's: distinct per set (a random
    /// 64-bit value), so an event decoded before a reload is not read with the new set's numbers.
    var serial: UInt64 { get }
    /// The set's verdicts on the event: the indices (in this set) of the rules it matches;
    /// `record` is the event's provider record (one JSON object), valid only during the call.
    func match(_ event: Event, record: UnsafeRawBufferPointer) -> RuleHits
}

/// The verdicts of a `RecordPrematcher` on one event. No hit or one hit (nearly every verdict)
/// is held without an allocation; two or more in a short array.
public struct RuleHits: Sendable, Equatable {
    /// `RecordPrematcher.serial` of the set that decided them.
    public let set: UInt64
    /// The matching rule when exactly one matched, else `Self.none`.
    private var one = Self.none
    /// The matching rules, ascending, when two or more matched.
    private var many: [UInt32] = []
    private static let none = UInt32.max

    /// Verdicts of set `set`: `rules` matched (any order).
    public init(set: UInt64, rules: [UInt32] = []) {
        self.set = set
        for r in rules { insert(r) }
    }

    /// Records that rule `i` (never `UInt32.max`) matched.
    public mutating func insert(_ i: UInt32) {
        if one == Self.none && many.isEmpty {
            one = i
        } else if one != Self.none {
            if one != i { many = one < i ? [one, i] : [i, one] }
            if !many.isEmpty { one = Self.none }
        } else if !many.contains(i) {
            many.insert(i, at: many.firstIndex { $0 > i } ?? many.count)
        }
    }

    /// Indices of the matching rules, ascending.
    public var rules: [UInt32] { one != Self.none ? [one] : many }

    /// True when rule `i` matched.
    public func contains(_ i: UInt32) -> Bool { one == i || (!many.isEmpty && many.contains(i)) }
}

/// A string compared and hashed with ASCII letters folded to lower case, without allocating:
/// an index keyed by it finds `ConsoleLogin` for `consolelogin`.
public struct CaseFoldedKey: Hashable, Sendable {
    /// The text as given.
    public let text: String

    /// Wraps `text`.
    @inlinable public init(_ text: String) { self.text = text }

    @inlinable static func fold(_ b: UInt8) -> UInt8 { b &- 65 < 26 ? b | 0x20 : b }

    /// Hashes the folded bytes, eight at a time (the engine and the rule index look one up per
    /// event; feeding the hasher byte by byte cost more than the lookup).
    public func hash(into h: inout Hasher) {
        var t = text
        t.withUTF8 { u in
            var word: UInt64 = 0
            var filled: UInt64 = 0
            for b in u {
                word |= UInt64(Self.fold(b)) << (filled * 8)
                filled += 1
                if filled == 8 {
                    h.combine(word)
                    word = 0
                    filled = 0
                }
            }
            if filled > 0 { h.combine(word) }
            h.combine(u.count)
        }
    }

    /// Equal when the texts are equal after folding ASCII letters.
    public static func == (a: CaseFoldedKey, b: CaseFoldedKey) -> Bool {
        guard a.text.utf8.count == b.text.utf8.count else { return false }
        return a.text.utf8.elementsEqual(b.text.utf8) { fold($0) == fold($1) }
    }
}

/// A map from operation names, compared ASCII-case-insensitively, to what routes on them (the
/// engine's detectors and the decoders' rules), with a bit-set gate in front: an operation whose
/// length and folded first, second and last bytes no key shares is turned away without hashing it.
/// Most events perform an operation no rule names, and hashing the name was most of the lookup.
public struct CaseFoldedIndex<Value> {
    private let map: [CaseFoldedKey: Value]
    /// 4096 bits, one per fingerprint some key has (a few hundred rule operations set under a tenth).
    private var gate = [UInt64](repeating: 0, count: 64)

    /// An index over `map`.
    public init(_ map: [CaseFoldedKey: Value]) {
        self.map = map
        for k in map.keys {
            var t = k.text
            let f = t.withUTF8 { Self.fingerprint($0) }
            gate[f >> 6] |= 1 << UInt64(f & 63)
        }
    }

    /// True when no operation routes anywhere.
    public var isEmpty: Bool { map.isEmpty }

    /// What `operation` routes to, if anything.
    @inlinable public subscript(_ operation: String) -> Value? {
        var t = operation
        let f = t.withUTF8 { Self.fingerprint($0) }
        guard admits(f) else { return nil }
        return lookup(operation)
    }

    @usableFromInline func admits(_ f: Int) -> Bool {
        gate[f >> 6] >> UInt64(f & 63) & 1 == 1
    }

    @usableFromInline func lookup(_ operation: String) -> Value? { map[CaseFoldedKey(operation)] }

    /// Length and folded first, second and last bytes, mixed into 0..<4096.
    @inlinable static func fingerprint(_ u: UnsafeBufferPointer<UInt8>) -> Int {
        guard let first = u.first, let last = u.last else { return 0 }
        let second = u.count > 1 ? u[1] : 0
        var h = UInt32(truncatingIfNeeded: u.count) &* 0x9E37_79B1
        h = (h ^ UInt32(CaseFoldedKey.fold(first))) &* 0x85EB_CA6B
        h = (h ^ UInt32(CaseFoldedKey.fold(second))) &* 0xC2B2_AE35
        h = (h ^ UInt32(CaseFoldedKey.fold(last))) &* 0x27D4_EB2F
        return Int(h >> 20)
    }
}

extension CaseFoldedIndex: Sendable where Value: Sendable {}
