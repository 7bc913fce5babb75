import EventModel

/// A fast, stable 64-bit hash over UTF-8 bytes. Baselines store hashes instead
/// of log strings (bounded memory, no per-event `String` allocation); the value
/// is persisted in the state file, so it must never depend on a per-process
/// seed (unlike `Hasher`). Reads 8 bytes at a time and finishes with the
/// MurmurHash3 fmix64 avalanche. Never returns 0 (0 marks "none").
public enum Hash64 {
    private static let seed: UInt64 = 0x9E37_79B9_7F4A_7C15
    private static let m1: UInt64 = 0xFF51_AFD7_ED55_8CCD
    private static let m2: UInt64 = 0xC4CE_B9FE_1A85_EC53

    /// Hash of a string's UTF-8 bytes.
    @inlinable
    public static func of(_ s: String) -> UInt64 {
        s.withUTF8Bytes { of(UnsafeRawBufferPointer($0)) }
    }

    /// Hash of a substring's UTF-8 bytes (same value as the equal `String`).
    public static func of(_ s: Substring) -> UInt64 {
        if let h = s.utf8.withContiguousStorageIfAvailable({ of(UnsafeRawBufferPointer($0)) }) { return h }
        return of(String(s))
    }

    /// Hash of raw bytes.
    public static func of(_ b: UnsafeRawBufferPointer) -> UInt64 {
        var h = seed ^ (UInt64(b.count) &* m1)
        var i = 0
        let n = b.count
        while i + 8 <= n {
            let w = b.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            h = mixWord(h, UInt64(littleEndian: w))
            i += 8
        }
        if i < n {
            var w: UInt64 = 0
            var shift: UInt64 = 0
            while i < n {
                w |= UInt64(b[i]) << shift
                shift += 8
                i += 1
            }
            h = mixWord(h, w)
        }
        return finish(h)
    }

    /// Combines two hashes into one (order matters). Used for `service:Operation`
    /// keys and (kind, id) resource keys.
    @inlinable
    public static func combine(_ a: UInt64, _ b: UInt64) -> UInt64 {
        finish(mixWord(a &* 0x2545_F491_4F6C_DD1D, b))
    }

    /// Hash of an API key from its parts (`combine(of(service), of(operation))`).
    @inlinable
    public static func api(service: String, operation: String) -> UInt64 {
        combine(of(service), of(operation))
    }

    /// Hash of an API key written `service:Operation` (same value as `api(service:operation:)`).
    public static func api(_ key: String) -> UInt64 {
        guard let colon = key.firstIndex(of: ":") else { return combine(of(""), of(key)) }
        return combine(of(key[..<colon]), of(key[key.index(after: colon)...]))
    }

    @usableFromInline
    static func mixWord(_ h: UInt64, _ w: UInt64) -> UInt64 {
        var k = w &* m1
        k = (k << 31) | (k >> 33)
        k = k &* m2
        let x = h ^ k
        return ((x << 27) | (x >> 37)) &* 5 &+ 0x52DC_E729
    }

    @usableFromInline
    static func finish(_ h0: UInt64) -> UInt64 {
        var h = h0
        h ^= h >> 33
        h = h &* m1
        h ^= h >> 33
        h = h &* m2
        h ^= h >> 33
        return h == 0 ? 1 : h
    }
}
