/// Minimal JSON string escaping for output (no Foundation, stable key order).
public enum JSONText {
    /// `s` as a JSON string literal, with control characters (and U+2028/U+2029, which break
    /// JavaScript readers) escaped. Byte-wise: every finding and event written passes here, and
    /// most text needs no escape at all, so it is copied whole.
    public static func quote(_ s: String) -> String {
        var text = s
        return text.withUTF8 { u in
            guard firstEscape(u) != nil else { return "\"" + s + "\"" }
            var out = ByteWriter(capacity: u.count + 16)
            appendQuoted(u, to: &out)
            return out.text
        }
    }

    /// Appends `s` as a JSON string literal (escaped as `quote` does) to `out`: writers that build
    /// a whole line in one buffer (findings, events) use it instead of joining quoted strings.
    public static func appendQuoted(_ s: String, to out: inout ByteWriter) {
        s.withUTF8Bytes { appendQuoted($0, to: &out) }
    }

    /// Appends the bytes as a JSON string literal; runs of bytes that need no escape are copied whole.
    public static func appendQuoted(_ u: UnsafeBufferPointer<UInt8>, to out: inout ByteWriter) {
        // Room for the plain case up front (most text has no escape): each write below still checks.
        out.reserve(u.count &+ 2)
        out.append(0x22)
        appendEscaped(u, to: &out)
        out.append(0x22)
    }

    /// Appends the bytes escaped as inside a JSON string literal, without the quotes.
    public static func appendEscaped(_ u: UnsafeBufferPointer<UInt8>, to out: inout ByteWriter) {
        var run = 0
        var i = 0
        while i < u.count {
            // Whole words that cannot need an escape (a finding line is kilobytes of plain text);
            // a doubtful word is read byte by byte below.
            i = plainWordsEnd(u, from: i)
            guard i < u.count else { break }
            let c = u[i]
            let line = c == 0xE2 && i + 2 < u.count && u[i + 1] == 0x80 && (u[i + 2] == 0xA8 || u[i + 2] == 0xA9)
            guard c < 0x20 || c == 0x22 || c == 0x5C || line else {
                i += 1
                continue
            }
            out.append(UnsafeBufferPointer(rebasing: u[run..<i]))
            if line {
                appendASCII(u[i + 2] == 0xA8 ? "\\u2028" : "\\u2029", to: &out)
                i += 3
            } else {
                escape(c, into: &out)
                i += 1
            }
            run = i
        }
        out.append(UnsafeBufferPointer(rebasing: u[run..<u.count]))
    }

    /// Appends ASCII text (keys, punctuation) unquoted.
    public static func appendASCII(_ s: StaticString, to out: inout ByteWriter) { out.append(s) }

    /// False when no byte of `w` is a control character, `"`, `\\` or 0xE2 (the lead byte of
    /// U+2028/U+2029): then none of the eight needs an escape. True may be a false alarm (the
    /// caller then looks byte by byte); false never misses one.
    @inline(__always) static func mayNeedEscape(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func hasZero(_ x: UInt64) -> UInt64 { (x &- ones) & ~x & highs }
        let control = (w &- ones &* 0x20) & ~w & highs
        return control | hasZero(w ^ (ones &* 0x22)) | hasZero(w ^ (ones &* 0x5C)) | hasZero(w ^ (ones &* 0xE2)) != 0
    }

    /// `i` moved past the whole eight-byte words from `i` on that `mayNeedEscape` clears.
    @inline(__always) static func plainWordsEnd(_ u: UnsafeBufferPointer<UInt8>, from i: Int) -> Int {
        guard let base = u.baseAddress else { return i }
        var j = i
        while j &+ 8 <= u.count, !mayNeedEscape(UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self)) { j &+= 8 }
        return j
    }

    /// Index of the first byte that needs escaping; nil when none does.
    private static func firstEscape(_ u: UnsafeBufferPointer<UInt8>) -> Int? {
        for i in plainWordsEnd(u, from: 0)..<u.count {
            let c = u[i]
            if c < 0x20 || c == 0x22 || c == 0x5C { return i }
            if c == 0xE2, i + 2 < u.count, u[i + 1] == 0x80, u[i + 2] == 0xA8 || u[i + 2] == 0xA9 { return i }
        }
        return nil
    }

    private static func escape(_ c: UInt8, into out: inout ByteWriter) {
        out.append(0x5C)
        switch c {
        case 0x22: out.append(0x22)
        case 0x5C: out.append(0x5C)
        case 0x0A: out.append(0x6E)
        case 0x0D: out.append(0x72)
        case 0x09: out.append(0x74)
        default:
            let hex: StaticString = "0123456789abcdef"
            out.append(0x75)
            out.append(0x30)
            out.append(0x30)
            out.append(hex.utf8Start[Int(c >> 4)])
            out.append(hex.utf8Start[Int(c & 0xF)])
        }
    }

    /// A JSON array of strings.
    public static func array(_ items: [String]) -> String {
        var out = ByteWriter(capacity: 64)
        appendArray(items, to: &out)
        return out.text
    }

    /// Appends a JSON array of strings.
    public static func appendArray(_ items: [String], to out: inout ByteWriter) {
        out.append(0x5B)
        for (i, item) in items.enumerated() {
            if i > 0 { out.append(0x2C) }
            appendQuoted(item, to: &out)
        }
        out.append(0x5D)
    }
}
