import EventModel
import Testing

/// `ByteWriter` holds every finding line `scan` writes: its writes must keep every byte across
/// growth, and its decimal digits must read back as the number.
@Suite struct ByteWriterTests {
    /// Random writes of every kind into a writer that starts tiny give the same bytes as the
    /// same writes into an array.
    @Test func randomWritesMatchAnArrayAcrossGrowth() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var w = ByteWriter(capacity: 1)
            var reference: [UInt8] = []
            for _ in 0..<Int.random(in: 0..<60, using: &rng) {
                switch Int.random(in: 0..<4, using: &rng) {
                case 0:
                    let b = UInt8.random(in: 0...255, using: &rng)
                    w.append(b)
                    reference.append(b)
                case 1:
                    let length = Int.random(in: 0..<300, using: &rng)
                    let run = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
                    run.withUnsafeBufferPointer { w.append($0) }
                    reference += run
                case 2:
                    let s = String(repeating: "é☃x", count: Int.random(in: 0..<40, using: &rng))
                    w.append(utf8: s)
                    reference += Array(s.utf8)
                default:
                    w.append(",\"k\":")
                    reference += Array(",\"k\":".utf8)
                }
            }
            let (bytes, count) = (w.withBytes { Array($0) }, w.count)
            #expect(bytes == reference)
            #expect(count == reference.count)
        }
    }

    /// Decimal digits, at the edges of `Int` too.
    @Test(arguments: [0, 1, -1, 9, 10, -10, 1_234_567, Int.max, Int.min])
    func decimalDigitsReadBackAsTheNumber(_ n: Int) {
        var w = ByteWriter(capacity: 1)
        w.append("n=")
        w.append(decimal: n)
        let text = w.text
        #expect(text == "n=\(n)")
    }

    /// Emptying keeps the writer and its memory usable.
    @Test func emptyingKeepsTheWriterUsable() {
        var w = ByteWriter(capacity: 4)
        w.append(utf8: "abcdefghij")
        w.removeAll()
        let empty = w.isEmpty
        #expect(empty)
        w.append(0x41)
        let text = w.text
        #expect(text == "A")
    }
}
