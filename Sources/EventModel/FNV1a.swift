/// 64-bit FNV-1a, fed piece by piece. Stable across runs and machines (unlike `Hasher`), so it
/// serves what is saved or printed: finding ids, identity key hashes in state files, event ids.
public struct FNV1a {
    /// The hash of what was added so far.
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    /// The hash of nothing.
    public init() {}

    /// The hash of `text`'s UTF-8 bytes, never 0 (tables of these hashes mark an empty slot with 0).
    public static func hash(_ text: String) -> UInt64 {
        var h = FNV1a()
        h.add(text)
        return h.value == 0 ? 1 : h.value
    }

    /// Adds one byte.
    @inline(__always) public mutating func add(byte b: UInt8) {
        value = (value ^ UInt64(b)) &* 0x100_0000_01b3
    }

    /// Adds the bytes.
    @inline(__always) public mutating func add(_ bytes: UnsafeBufferPointer<UInt8>) {
        for b in bytes { add(byte: b) }
    }

    /// Adds the bytes.
    @inline(__always) public mutating func add(_ bytes: UnsafeRawBufferPointer) {
        for b in bytes { add(byte: b) }
    }

    /// Adds the UTF-8 bytes of `text` (read in place: `String.withUTF8Bytes`).
    public mutating func add(_ text: String) {
        text.withUTF8Bytes { add($0) }
    }
}
