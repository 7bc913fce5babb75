/// A fixed set of keys looked up by hash, for dispatching on object members with one
/// probe instead of one comparison per candidate key. Build it once (`static let`).
public struct JSONKeyTable: Sendable {
    private let slots: [Int16]
    private let mask: Int
    private let bytes: [UInt8]
    private let offsets: [Int32]

    /// Builds a table; the index of a key is its position in `keys`.
    public init(_ keys: [StaticString]) {
        var bytes: [UInt8] = []
        var offsets: [Int32] = [0]
        for k in keys {
            bytes.append(contentsOf: UnsafeBufferPointer(start: k.utf8Start, count: k.utf8CodeUnitCount))
            offsets.append(Int32(bytes.count))
        }
        var size = 8
        while size < keys.count * 4 { size *= 2 }
        var slots = [Int16](repeating: -1, count: size)
        bytes.withUnsafeBytes { all in
            for idx in keys.indices {
                let h = JSONKeyTable.hash(all.baseAddress! + Int(offsets[idx]), Int(offsets[idx + 1] - offsets[idx]))
                var s = h & (size - 1)
                while slots[s] >= 0 { s = (s + 1) & (size - 1) }
                slots[s] = Int16(idx)
            }
        }
        self.slots = slots
        self.mask = size - 1
        self.bytes = bytes
        self.offsets = offsets
    }

    /// Number of keys.
    public var count: Int { offsets.count - 1 }

    @inline(__always)
    static func hash(_ p: UnsafeRawPointer, _ n: Int) -> Int {
        var h: UInt32 = 2_166_136_261
        for i in 0..<n { h = (h ^ UInt32(p.load(fromByteOffset: i, as: UInt8.self))) &* 16_777_619 }
        return Int(h >> 3)
    }

    /// Index of `key` in the table, nil when absent.
    public func index(of key: JSONKey) -> Int? {
        if key.hasEscapes {
            guard var s = try? key.decoded() else { return nil }
            return s.withUTF8 { index(ofBytes: UnsafeRawBufferPointer($0)) }
        }
        return index(ofBytes: key.bytes)
    }

    /// Index of the raw key bytes in the table, nil when absent.
    public func index(ofBytes key: UnsafeRawBufferPointer) -> Int? {
        let n = key.count
        guard let kp = key.baseAddress ?? (n == 0 ? UnsafeRawPointer(bitPattern: 1) : nil) else { return nil }
        var s = JSONKeyTable.hash(kp, n) & mask
        return bytes.withUnsafeBytes { all -> Int? in
            while true {
                let idx = Int(slots[s])
                if idx < 0 { return nil }
                let a = Int(offsets[idx])
                if Int(offsets[idx + 1]) - a == n, n == 0 || memcmpBytes(all.baseAddress! + a, kp, n) { return idx }
                s = (s + 1) & mask
            }
        }
    }
}
