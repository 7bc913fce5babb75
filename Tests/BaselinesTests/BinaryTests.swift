import Baselines
import Testing

@Suite struct BinaryTests {
    @Test("scalars, strings and hash arrays read back as written")
    func roundTrip() throws {
        var w = BinaryWriter()
        w.u8(7)
        w.int(-123_456_789)
        w.uint(300)
        w.string("héllo")
        w.u64s([1, 0xFFFF_FFFF_FFFF_FFFF, 0x0102_0304_0506_0708])
        w.u64(42)
        var r = BinaryReader(w.bytes)
        #expect(try r.u8() == 7)
        #expect(try r.int() == -123_456_789)
        #expect(try r.uint(max: 1000) == 300)
        #expect(try r.string() == "héllo")
        #expect(try r.u64s(count: 3) == [1, 0xFFFF_FFFF_FFFF_FFFF, 0x0102_0304_0506_0708])
        #expect(try r.u64() == 42)
        #expect(r.isAtEnd)
    }

    @Test("truncated or oversized input throws instead of trapping")
    func badInput() {
        var w = BinaryWriter()
        w.u64s([1, 2])
        var r = BinaryReader(Array(w.bytes.dropLast()))
        #expect(throws: BinaryDecodeError.self) { try r.u64s(count: 2) }
        var big = BinaryWriter()
        big.uint(5000)
        var r2 = BinaryReader(big.bytes)
        #expect(throws: BinaryDecodeError.self) { try r2.uint(max: 4096) }
        var r3 = BinaryReader([0x05, 0x61])
        #expect(throws: BinaryDecodeError.self) { try r3.string() }
    }
}
