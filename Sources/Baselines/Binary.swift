/// Appends a compact binary encoding (LEB128 varints, zigzag for signed
/// values, length-prefixed strings). Used for baseline and detector snapshots:
/// not on the per-event path.
public struct BinaryWriter: Sendable {
    /// Bytes written so far.
    public private(set) var bytes: [UInt8] = []

    /// Creates an empty writer.
    public init() {}

    /// Appends one byte.
    public mutating func u8(_ v: UInt8) { bytes.append(v) }

    /// Appends an unsigned varint.
    public mutating func varint(_ v0: UInt64) {
        var v = v0
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// Appends an unsigned varint.
    public mutating func uint(_ v: Int) { varint(UInt64(max(0, v))) }

    /// Appends a signed varint (zigzag).
    public mutating func int(_ v: Int64) { varint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }

    /// Appends 8 bytes little-endian (hashes: varints would not be shorter).
    public mutating func u64(_ v: UInt64) {
        for i in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(i)))) }
    }

    /// Appends many 8-byte little-endian values in one copy (large hash sets).
    public mutating func u64s(_ values: [UInt64]) {
        let le = values.map(\.littleEndian)
        le.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    /// Appends a count and the strings.
    public mutating func strings(_ list: [String]) {
        uint(list.count)
        for s in list { string(s) }
    }

    /// Bytes of one snapshot: the format `version`, then what `body` writes.
    public static func encoded(version: UInt8, _ body: (inout BinaryWriter) -> Void) -> [UInt8] {
        var w = BinaryWriter()
        w.u8(version)
        body(&w)
        return w.bytes
    }

    /// Appends a length-prefixed UTF-8 string.
    public mutating func string(_ s: String) {
        uint(s.utf8.count)
        bytes.append(contentsOf: s.utf8)
    }

    /// Appends a length-prefixed byte blob.
    public mutating func blob(_ b: [UInt8]) {
        uint(b.count)
        bytes.append(contentsOf: b)
    }

    /// Appends a boolean.
    public mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }
}

/// A snapshot could not be decoded (truncated, wrong version, out-of-range value).
public struct BinaryDecodeError: Error, Sendable, CustomStringConvertible {
    /// What was wrong.
    public var message: String
    /// Byte offset where decoding stopped.
    public var offset: Int

    /// Creates an error.
    public init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    /// `message at byte N`.
    public var description: String { "\(message) at byte \(offset)" }
}

/// Reads what `BinaryWriter` wrote; every read checks bounds and throws
/// `BinaryDecodeError` instead of trapping on bad data.
public struct BinaryReader {
    private let bytes: [UInt8]
    /// Current offset.
    public private(set) var offset = 0

    /// Creates a reader.
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// True when every byte was read.
    public var isAtEnd: Bool { offset >= bytes.count }

    /// Reads one byte.
    public mutating func u8() throws(BinaryDecodeError) -> UInt8 {
        guard offset < bytes.count else { throw BinaryDecodeError("truncated", offset: offset) }
        offset += 1
        return bytes[offset - 1]
    }

    /// Reads an unsigned varint.
    public mutating func varint() throws(BinaryDecodeError) -> UInt64 {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try u8()
            guard shift < 64 else { throw BinaryDecodeError("varint too long", offset: offset) }
            v |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 { return v }
            shift += 7
        }
    }

    /// Reads an unsigned varint no larger than `limit`.
    public mutating func uint(max limit: Int = Int(Int32.max)) throws(BinaryDecodeError) -> Int {
        let v = try varint()
        guard v <= UInt64(limit) else { throw BinaryDecodeError("value \(v) exceeds \(limit)", offset: offset) }
        return Int(v)
    }

    /// Reads an unsigned 32-bit varint.
    public mutating func u32() throws(BinaryDecodeError) -> UInt32 {
        UInt32(try uint(max: Int(UInt32.max)))
    }

    /// Reads a signed varint (zigzag).
    public mutating func int() throws(BinaryDecodeError) -> Int64 {
        let u = try varint()
        return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    /// Reads 8 bytes little-endian.
    public mutating func u64() throws(BinaryDecodeError) -> UInt64 {
        guard offset + 8 <= bytes.count else { throw BinaryDecodeError("truncated", offset: offset) }
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        offset += 8
        return v
    }

    /// Reads `count` values written by `BinaryWriter.u64s`.
    public mutating func u64s(count: Int) throws(BinaryDecodeError) -> [UInt64] {
        guard count >= 0, offset + 8 * count <= bytes.count else {
            throw BinaryDecodeError("truncated", offset: offset)
        }
        var out = [UInt64](repeating: 0, count: count)
        out.withUnsafeMutableBytes { dst in
            bytes.withUnsafeBytes { src in
                dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[offset..<(offset + 8 * count)]))
            }
        }
        offset += 8 * count
        return out.map { UInt64(littleEndian: $0) }
    }

    /// Reads a length-prefixed UTF-8 string of at most `limit` bytes.
    public mutating func string(max limit: Int = 1 << 20) throws(BinaryDecodeError) -> String {
        let n = try uint(max: limit)
        guard offset + n <= bytes.count else { throw BinaryDecodeError("truncated string", offset: offset) }
        let s = String(decoding: bytes[offset..<(offset + n)], as: UTF8.self)
        offset += n
        return s
    }

    /// Reads at most `limit` strings written by `BinaryWriter.strings`, each at most `maxLength` bytes.
    public mutating func strings(max limit: Int, maxLength: Int = 1 << 16) throws(BinaryDecodeError) -> [String] {
        var out: [String] = []
        for _ in 0..<(try uint(max: limit)) { out.append(try string(max: maxLength)) }
        return out
    }

    /// Reads a length-prefixed blob of at most `limit` bytes.
    public mutating func blob(max limit: Int = 1 << 30) throws(BinaryDecodeError) -> [UInt8] {
        let n = try uint(max: limit)
        guard offset + n <= bytes.count else { throw BinaryDecodeError("truncated blob", offset: offset) }
        let b = Array(bytes[offset..<(offset + n)])
        offset += n
        return b
    }

    /// Reads a boolean.
    public mutating func bool() throws(BinaryDecodeError) -> Bool { try u8() != 0 }
}
