/// A growable byte buffer written through a raw pointer. Finding lines are built here: an
/// `[UInt8]` append checks uniqueness and capacity through a runtime call for every byte and
/// run, which made a 2.4 KB finding line cost about 30,000 instructions (`docs/performance.md`).
/// Here a write is a compare against the capacity and a store or a `memcpy`.
///
/// Non-copyable, so that the memory has one owner and is freed once; every write checks the
/// capacity (it grows as needed), so no caller has to size the buffer for the worst case.
public struct ByteWriter: ~Copyable {
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var used = 0
    @usableFromInline var capacity: Int

    /// An empty buffer with room for `capacity` bytes before it first grows.
    public init(capacity: Int = 4096) {
        self.capacity = Swift.max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Bytes written so far.
    public var count: Int { used }

    /// True when nothing is written.
    public var isEmpty: Bool { used == 0 }

    /// Makes room for `n` more bytes.
    @inlinable @inline(__always)
    public mutating func reserve(_ n: Int) {
        if n > capacity &- used { grow(n) }
    }

    @usableFromInline mutating func grow(_ n: Int) {
        let wanted = Swift.max(capacity &* 2, used + n)
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: wanted)
        larger.update(from: base, count: used)
        base.deallocate()
        (base, capacity) = (larger, wanted)
    }

    /// Appends one byte.
    @inlinable @inline(__always)
    public mutating func append(_ b: UInt8) {
        reserve(1)
        (base + used).initialize(to: b)
        used &+= 1
    }

    /// Appends the bytes.
    @inlinable
    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let from = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (base + used).update(from: from, count: bytes.count)
        used &+= bytes.count
    }

    /// Appends the bytes of an array.
    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    /// Appends ASCII text (keys, punctuation).
    @inlinable
    public mutating func append(_ s: StaticString) {
        append(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    /// Appends the UTF-8 bytes of `s`, read in place when they are contiguous.
    public mutating func append(utf8 s: String) {
        s.withUTF8Bytes { append($0) }
    }

    /// Appends the decimal digits of `n` (no string is made).
    public mutating func append(decimal n: Int) {
        var v = n.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes; "-9223372036854775808" is 20
        withUnsafeMutableBytes(of: &digits) { raw in
            var i = raw.count
            repeat {
                i -= 1
                raw[i] = 0x30 + UInt8(v % 10)
                v /= 10
            } while v > 0
            if n < 0 {
                i -= 1
                raw[i] = 0x2D
            }
            let first = raw.baseAddress!.assumingMemoryBound(to: UInt8.self) + i
            append(UnsafeBufferPointer(start: first, count: raw.count - i))
        }
    }

    /// Empties the buffer, keeping its memory.
    public mutating func removeAll() { used = 0 }

    /// Calls `body` with the bytes written so far.
    public func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: base, count: used))
    }

    /// The bytes written so far, as UTF-8 text (the writers here only write valid UTF-8).
    public var text: String { withBytes { String(decoding: $0, as: UTF8.self) } }
}
