#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Hash of a byte run, eight bytes at a time. Not cryptographic: collisions only cost
/// a cache miss because every hit is confirmed by comparing the bytes.
@inline(__always)
func byteHash(_ b: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
    guard let p = b.baseAddress else { return seed &+ 0x9E37_79B9_7F4A_7C15 }
    let n = b.count
    var h: UInt64 = seed ^ (UInt64(n) &* 0x9E37_79B9_7F4A_7C15)
    var i = 0
    while i + 8 <= n {
        h = (h ^ UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self))) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 29
        i += 8
    }
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while i < n {
        tail |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << shift
        shift += 8
        i += 1
    }
    h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
    return h ^ (h >> 32)
}

@inline(__always)
func bytesEqual(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
    guard a.count == b.count else { return false }
    if a.count == 0 { return true }
    return memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0
}

/// Interns short strings by their bytes so that repeated values (event names, regions,
/// account ids, ARNs) are created once. Direct-mapped: a colliding newcomer replaces
/// the old entry, so memory stays fixed (`slots` × `maxLength`) whatever the input.
struct StringInterner {
    private var hashes: [UInt64]
    private var values: [String]
    private let mask: Int
    /// Longer strings are not interned (they are rarely repeated and would cost memory).
    let maxLength: Int

    init(slots: Int = 4096, maxLength: Int = 256) {
        var n = 64
        while n < slots { n *= 2 }
        hashes = [UInt64](repeating: 0, count: n)
        values = [String](repeating: "", count: n)
        mask = n - 1
        self.maxLength = maxLength
    }

    /// The interned string for valid-UTF-8 `bytes` (caller guarantees validity).
    mutating func intern(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> String {
        guard bytes.count <= maxLength else { return String(decoding: bytes, as: UTF8.self) }
        let h = byteHash(bytes, seed: seed)
        let s = Int(truncatingIfNeeded: h) & mask
        if hashes[s] == h {
            var v = values[s]
            let same = v.withUTF8 { bytesEqual(UnsafeRawBufferPointer($0), bytes) }
            if same { return v }
        }
        let v = String(decoding: bytes, as: UTF8.self)
        hashes[s] = h
        values[s] = v
        return v
    }

    /// The interned `prefix + bytes` (for flattened parameter paths).
    mutating func intern(prefix: StaticString, _ bytes: UnsafeRawBufferPointer) -> String {
        let n = prefix.utf8CodeUnitCount + bytes.count
        guard n <= maxLength else { return prefix.description + String(decoding: bytes, as: UTF8.self) }
        return withUnsafeTemporaryAllocation(byteCount: n, alignment: 1) { buf in
            buf.baseAddress!.copyMemory(from: prefix.utf8Start, byteCount: prefix.utf8CodeUnitCount)
            if bytes.count > 0 {
                (buf.baseAddress! + prefix.utf8CodeUnitCount).copyMemory(
                    from: bytes.baseAddress!, byteCount: bytes.count)
            }
            return intern(UnsafeRawBufferPointer(buf))
        }
    }
}

/// A direct-mapped cache from a byte string (kept as a copy to confirm hits) to a value,
/// for pure functions of one field: identity from `userIdentity`, user agent, source.
/// Bounded by `slots` entries of at most `maxKeyLength` bytes each.
struct ByteCache<Value> {
    private var hashes: [UInt64]
    private var keys: [[UInt8]]
    private var values: [Value?]
    private let mask: Int
    /// Keys longer than this are never cached.
    let maxKeyLength: Int

    init(slots: Int, maxKeyLength: Int) {
        var n = 16
        while n < slots { n *= 2 }
        hashes = [UInt64](repeating: 0, count: n)
        keys = [[UInt8]](repeating: [], count: n)
        values = [Value?](repeating: nil, count: n)
        mask = n - 1
        self.maxKeyLength = maxKeyLength
    }

    /// Cached value for `key`, with the hash to pass to `insert` on a miss.
    func lookup(_ key: UnsafeRawBufferPointer) -> (Value?, UInt64) {
        guard key.count <= maxKeyLength else { return (nil, 0) }
        let h = byteHash(key)
        let s = Int(truncatingIfNeeded: h) & mask
        guard hashes[s] == h, let v = values[s] else { return (nil, h) }
        let same = keys[s].withUnsafeBytes { bytesEqual($0, key) }
        return (same ? v : nil, h)
    }

    mutating func insert(_ key: UnsafeRawBufferPointer, hash h: UInt64, _ value: Value) {
        guard key.count <= maxKeyLength else { return }
        let s = Int(truncatingIfNeeded: h) & mask
        hashes[s] = h
        keys[s] = Array(key)
        values[s] = value
    }
}
