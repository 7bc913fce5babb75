/// Minimal JSON string escaping for output (no Foundation, stable key order).
public enum JSONText {
    /// `s` as a JSON string literal, with control characters (and U+2028/U+2029, which break
    /// JavaScript readers) escaped. Byte-wise: every finding and event written passes here, and
    /// most text needs no escape at all, so it is copied whole.
    public static func quote(_ s: String) -> String {
        var text = s
        return text.withUTF8 { u in
            guard let first = firstEscape(u) else { return "\"" + s + "\"" }
            var out: [UInt8] = []
            out.reserveCapacity(u.count + 16)
            out.append(0x22)
            out.append(contentsOf: u[..<first])
            var i = first
            while i < u.count {
                let c = u[i]
                if c == 0xE2, i + 2 < u.count, u[i + 1] == 0x80, u[i + 2] == 0xA8 || u[i + 2] == 0xA9 {
                    out.append(contentsOf: u[i + 2] == 0xA8 ? Array("\\u2028".utf8) : Array("\\u2029".utf8))
                    i += 3
                    continue
                }
                escape(c, into: &out)
                i += 1
            }
            out.append(0x22)
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Index of the first byte that needs escaping; nil when none does.
    private static func firstEscape(_ u: UnsafeBufferPointer<UInt8>) -> Int? {
        for i in 0..<u.count {
            let c = u[i]
            if c < 0x20 || c == 0x22 || c == 0x5C { return i }
            if c == 0xE2, i + 2 < u.count, u[i + 1] == 0x80, u[i + 2] == 0xA8 || u[i + 2] == 0xA9 { return i }
        }
        return nil
    }

    private static func escape(_ c: UInt8, into out: inout [UInt8]) {
        switch c {
        case 0x22: out.append(contentsOf: [0x5C, 0x22])
        case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
        case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
        case 0x0D: out.append(contentsOf: [0x5C, 0x72])
        case 0x09: out.append(contentsOf: [0x5C, 0x74])
        case ..<0x20:
            let hex = Array("0123456789abcdef".utf8)
            out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 0xF)]])
        default: out.append(c)
        }
    }

    /// A JSON array of strings.
    public static func array(_ items: [String]) -> String {
        "[" + items.map(quote).joined(separator: ",") + "]"
    }
}
