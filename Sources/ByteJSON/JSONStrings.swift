/// A string value decoded into a Swift `String`, plus what had to be changed on the way.
public struct JSONDecodedString: Sendable, Hashable {
    /// The text, at most the requested number of UTF-8 bytes.
    public var string: String
    /// True when the text was cut at the requested maximum (on a character boundary).
    public var truncated: Bool
    /// True when invalid UTF-8 bytes or lone surrogate escapes were replaced by U+FFFD;
    /// callers report it as `decode.invalid_utf8`.
    public var invalidUTF8: Bool

    /// Creates a decoded string.
    public init(string: String, truncated: Bool = false, invalidUTF8: Bool = false) {
        self.string = string
        self.truncated = truncated
        self.invalidUTF8 = invalidUTF8
    }
}

extension JSONValue {
    /// Decodes a string value (all JSON escapes, surrogate pairs; lone surrogates and invalid
    /// UTF-8 become U+FFFD), keeping at most `maxBytes` UTF-8 bytes. Nil when not a string.
    /// Throws `decode.syntax` for an invalid escape.
    @inlinable
    public func decodeString(maxBytes: Int = Int.max) throws(JSONError) -> JSONDecodedString? {
        guard kind == .string else { return nil }
        return try JSONStrings.decode(
            base: base, start: start + 1, end: end - 1, escaped: hasEscapes, maxBytes: maxBytes,
            ascii: isASCII)
    }
}

@usableFromInline
enum JSONStrings {
    @usableFromInline
    static func decode(
        base: UnsafeRawPointer, start: Int, end: Int, escaped: Bool, maxBytes: Int, ascii: Bool = false
    ) throws(JSONError) -> JSONDecodedString {
        let cap = max(0, maxBytes)
        if !escaped {
            var n = end - start
            var truncated = false
            if n > cap {
                n = completePrefix(base + start, cap)
                truncated = true
            }
            let buf = UnsafeBufferPointer(start: (base + start).assumingMemoryBound(to: UInt8.self), count: n)
            if ascii { return JSONDecodedString(string: String(decoding: buf, as: UTF8.self), truncated: truncated) }
            return make(buf, truncated: truncated, replaced: false)
        }
        let size = min(end - start, cap)
        let result: Result<JSONDecodedString, JSONError> = withUnsafeTemporaryAllocation(
            of: UInt8.self, capacity: max(size, 1)
        ) { out in
            var replaced = false
            var truncated = false
            switch unescape(base, start, end, into: out, cap: size, replaced: &replaced, truncated: &truncated) {
            case .failure(let e): return .failure(e)
            case .success(var n):
                if truncated { n = completePrefix(UnsafeRawPointer(out.baseAddress!), n) }
                return .success(
                    make(UnsafeBufferPointer(rebasing: out[0..<n]), truncated: truncated, replaced: replaced))
            }
        }
        return try result.get()
    }

    static func make(_ buf: UnsafeBufferPointer<UInt8>, truncated: Bool, replaced: Bool) -> JSONDecodedString {
        if let s = String(validating: buf, as: UTF8.self) {
            return JSONDecodedString(string: s, truncated: truncated, invalidUTF8: replaced)
        }
        return JSONDecodedString(string: String(decoding: buf, as: UTF8.self), truncated: truncated, invalidUTF8: true)
    }

    /// Largest `m <= n` such that the first `m` bytes do not end inside a multi-byte sequence.
    static func completePrefix(_ p: UnsafeRawPointer, _ n: Int) -> Int {
        var lead = n - 1
        var cont = 0
        while lead >= 0, cont < 3, p.load(fromByteOffset: lead, as: UInt8.self) & 0xC0 == 0x80 {
            lead -= 1
            cont += 1
        }
        guard lead >= 0 else { return n }
        let c = p.load(fromByteOffset: lead, as: UInt8.self)
        let need = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1
        return n - lead >= need ? n : lead
    }

    @inline(__always)
    static func hex4(_ b: UnsafeRawPointer, _ i: Int) -> Int {
        var v = 0
        for k in 0..<4 {
            let c = Int(b.load(fromByteOffset: i + k, as: UInt8.self))
            let d: Int
            switch c {
            case 0x30...0x39: d = c - 0x30
            case 0x41...0x46: d = c - 0x37
            case 0x61...0x66: d = c - 0x57
            default: return -1
            }
            v = v << 4 | d
        }
        return v
    }

    /// Decodes escapes of `[start, end)` into `out`, stopping (truncated) before `cap` would be exceeded.
    static func unescape(
        _ b: UnsafeRawPointer, _ start: Int, _ end: Int, into out: UnsafeMutableBufferPointer<UInt8>, cap: Int,
        replaced: inout Bool, truncated: inout Bool
    ) -> Result<Int, JSONError> {
        var i = start
        var o = 0
        let dst = UnsafeMutableRawPointer(out.baseAddress!)
        while i < end {
            // Copy the run up to the next backslash in one go.
            var j = i
            while j < end, b.load(fromByteOffset: j, as: UInt8.self) != Scan.backslash { j += 1 }
            if j > i {
                let n = min(j - i, cap - o)
                (dst + o).copyMemory(from: b + i, byteCount: n)
                o += n
                if n < j - i {
                    truncated = true
                    return .success(o)
                }
                i = j
                if i >= end { break }
            }
            guard i + 1 < end else { return .failure(JSONError(.syntax, at: i, "unterminated escape")) }
            let e = b.load(fromByteOffset: i + 1, as: UInt8.self)
            var scalar: UInt32
            switch e {
            case 0x22, 0x5C, 0x2F: scalar = UInt32(e)
            case 0x62: scalar = 0x08
            case 0x66: scalar = 0x0C
            case 0x6E: scalar = 0x0A
            case 0x72: scalar = 0x0D
            case 0x74: scalar = 0x09
            case 0x75:
                guard i + 6 <= end else { return .failure(JSONError(.syntax, at: i, "truncated \\u escape")) }
                let u = hex4(b, i + 2)
                guard u >= 0 else { return .failure(JSONError(.syntax, at: i, "invalid \\u escape")) }
                scalar = UInt32(u)
                i += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    // A high surrogate must be followed by `\uDC00`…`\uDFFF`; otherwise it is lone.
                    if i + 8 <= end, b.load(fromByteOffset: i + 2, as: UInt8.self) == Scan.backslash,
                        b.load(fromByteOffset: i + 3, as: UInt8.self) == 0x75
                    {
                        let lo = hex4(b, i + 4)
                        if (0xDC00...0xDFFF).contains(lo) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + UInt32(lo - 0xDC00)
                            i += 6
                        } else {
                            scalar = 0xFFFD
                            replaced = true
                        }
                    } else {
                        scalar = 0xFFFD
                        replaced = true
                    }
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    scalar = 0xFFFD
                    replaced = true
                }
            default:
                return .failure(JSONError(.syntax, at: i, "invalid escape"))
            }
            i += 2
            let len = scalar < 0x80 ? 1 : scalar < 0x800 ? 2 : scalar < 0x10000 ? 3 : 4
            guard o + len <= cap else {
                truncated = true
                return .success(o)
            }
            writeUTF8(scalar, len, dst + o)
            o += len
        }
        return .success(o)
    }

    @inline(__always)
    static func writeUTF8(_ s: UInt32, _ len: Int, _ p: UnsafeMutableRawPointer) {
        switch len {
        case 1:
            p.storeBytes(of: UInt8(s), as: UInt8.self)
        case 2:
            p.storeBytes(of: UInt8(0xC0 | s >> 6), as: UInt8.self)
            p.storeBytes(of: UInt8(0x80 | s & 0x3F), toByteOffset: 1, as: UInt8.self)
        case 3:
            p.storeBytes(of: UInt8(0xE0 | s >> 12), as: UInt8.self)
            p.storeBytes(of: UInt8(0x80 | (s >> 6) & 0x3F), toByteOffset: 1, as: UInt8.self)
            p.storeBytes(of: UInt8(0x80 | s & 0x3F), toByteOffset: 2, as: UInt8.self)
        default:
            p.storeBytes(of: UInt8(0xF0 | s >> 18), as: UInt8.self)
            p.storeBytes(of: UInt8(0x80 | (s >> 12) & 0x3F), toByteOffset: 1, as: UInt8.self)
            p.storeBytes(of: UInt8(0x80 | (s >> 6) & 0x3F), toByteOffset: 2, as: UInt8.self)
            p.storeBytes(of: UInt8(0x80 | s & 0x3F), toByteOffset: 3, as: UInt8.self)
        }
    }
}
