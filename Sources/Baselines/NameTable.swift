/// A bounded table from hash to display name. Baselines key everything by
/// 64-bit hashes; names are kept only to explain findings and for `baseline
/// show`. Two generations: when the newer one reaches half the capacity the
/// older one is dropped, so names in use (refreshed by `keep`) survive and
/// memory stays bounded however many distinct strings the logs contain.
public struct NameTable: Sendable {
    private var newer: [UInt64: String] = [:]
    private var older: [UInt64: String] = [:]
    /// Most names kept (both generations).
    public let capacity: Int
    /// Longest name kept, in bytes; longer ones are cut.
    public static let maxNameBytes = 256

    /// Creates an empty table.
    public init(capacity: Int) { self.capacity = max(2, capacity) }

    /// The name of `hash`, if still kept.
    public func name(_ hash: UInt64) -> String? { newer[hash] ?? older[hash] }

    /// True when `hash` has a name.
    public func contains(_ hash: UInt64) -> Bool { newer[hash] != nil || older[hash] != nil }

    /// Records the name of `hash`; `make` runs only when the name is missing.
    public mutating func intern(_ hash: UInt64, _ make: () -> String) {
        if newer[hash] != nil { return }
        if let old = older.removeValue(forKey: hash) {
            put(hash, old)
            return
        }
        var s = make()
        if s.utf8.count > Self.maxNameBytes {
            s = String(decoding: s.utf8.prefix(Self.maxNameBytes), as: UTF8.self)
        }
        put(hash, s)
    }

    /// Moves a name to the newer generation so that it survives the next turnover.
    public mutating func keep(_ hash: UInt64) {
        if newer[hash] == nil, let old = older.removeValue(forKey: hash) { put(hash, old) }
    }

    /// Number of names kept.
    public var count: Int { newer.count + older.count }

    /// All names (for snapshots), newer generation last so it is restored last.
    public var all: [(UInt64, String)] {
        older.map { ($0.key, $0.value) } + newer.map { ($0.key, $0.value) }
    }

    /// Approximate heap bytes (entries, buckets, string buffers).
    public var approximateBytes: Int {
        var n = 0
        for d in [newer, older] {
            n += 64 + d.capacity * 4 / 3 * (8 + 16)
            for v in d.values where v.utf8.count > 15 { n += 32 + v.utf8.count }
        }
        return n
    }

    private mutating func put(_ hash: UInt64, _ name: String) {
        if newer.count >= capacity / 2 {
            older = newer
            newer = [:]
        }
        newer[hash] = name
    }
}
