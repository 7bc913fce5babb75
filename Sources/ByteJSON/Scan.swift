// The byte-level state machines behind the public API. Everything works on a raw
// base pointer plus explicit limits so the hot loops carry no bounds checks; each
// function checks its own limits before every load.

@usableFromInline
enum Scan {
    @usableFromInline static let quote: UInt8 = 0x22
    @usableFromInline static let backslash: UInt8 = 0x5C

    /// Flag bits stored in `JSONValue.flags` for strings.
    @usableFromInline static let escapeFlag: UInt8 = 1
    @usableFromInline static let nonASCIIFlag: UInt8 = 2

    @inline(__always) @usableFromInline
    static func byte(_ b: UnsafeRawPointer, _ i: Int) -> UInt8 {
        b.load(fromByteOffset: i, as: UInt8.self)
    }

    @inline(__always)
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }

    @inline(__always) @usableFromInline
    static func skipSpace(_ b: UnsafeRawPointer, _ i0: Int, _ limit: Int) -> Int {
        var i = i0
        while i < limit, isSpace(byte(b, i)) { i += 1 }
        return i
    }

    @inline(__always)
    static func eof(_ at: Int) -> JSONError { JSONError(.syntax, at: at, "unexpected end of input") }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Bytes of `w` equal to `c` marked by their high bit; exact for the lowest match.
    @inline(__always)
    static func matches(_ w: UInt64, _ c: UInt8) -> UInt64 {
        let v = w ^ (ones &* UInt64(c))
        return (v &- ones) & ~v & highs
    }

    /// Scans a string body starting just after its opening quote. Returns the offset just
    /// after the closing quote and the escape / non-ASCII flags. Eight bytes at a time:
    /// most of a CloudTrail record is string bytes without escapes.
    @usableFromInline
    static func stringEnd(_ b: UnsafeRawPointer, _ i0: Int, _ limit: Int) throws(JSONError) -> (Int, UInt8) {
        var i = i0
        var flags: UInt8 = 0
        while true {
            while i &+ 8 <= limit {
                let w = UInt64(littleEndian: b.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let stop = matches(w, quote) | matches(w, backslash)
                if stop == 0 {
                    if w & highs != 0 { flags |= nonASCIIFlag }
                    i &+= 8
                    continue
                }
                let bit = stop.trailingZeroBitCount
                let before = (UInt64(1) << UInt64(bit & ~7)) &- 1
                if w & highs & before != 0 { flags |= nonASCIIFlag }
                i &+= bit >> 3
                break
            }
            // Tail (or the stop byte found above) one byte at a time.
            while i < limit {
                let c = byte(b, i)
                if c == quote || c == backslash { break }
                if c >= 0x80 { flags |= nonASCIIFlag }
                i &+= 1
            }
            guard i < limit else { throw eof(limit) }
            if byte(b, i) == quote { return (i &+ 1, flags) }
            flags |= escapeFlag
            i &+= 2
            guard i <= limit else { throw eof(limit) }
        }
    }

    /// Offset just after the container opening at `i0`. Checks bracket pairing and
    /// string state but not the scalars inside: this is the fast skip.
    @usableFromInline
    static func containerEnd(
        _ b: UnsafeRawPointer, _ i0: Int, _ limit: Int, enclosing: Int, maxDepth: Int
    ) throws(JSONError) -> Int {
        // One bit per open container (1 = array); maxDepth <= 64 keeps it in a word.
        var stack: UInt64 = 0
        var depth = enclosing
        var i = i0
        while i < limit {
            let c = byte(b, i)
            switch c {
            case quote:
                i = try stringEnd(b, i &+ 1, limit).0
                continue
            case 0x7B, 0x5B:  // { [
                depth &+= 1
                if depth > maxDepth { throw JSONError(.tooDeep, at: i, "nesting deeper than the depth limit") }
                stack = stack << 1 | (c == 0x5B ? 1 : 0)
            case 0x7D, 0x5D:  // } ]
                if (stack & 1 == 1) != (c == 0x5D) {
                    throw JSONError(.syntax, at: i, "mismatched closing bracket")
                }
                stack >>= 1
                depth &-= 1
                if depth == enclosing { return i &+ 1 }
            default:
                break
            }
            i &+= 1
        }
        throw eof(limit)
    }

    /// Offset just after a number token starting at `i0`, checked against JSON's grammar.
    @usableFromInline
    static func numberEnd(_ b: UnsafeRawPointer, _ i0: Int, _ limit: Int) throws(JSONError) -> Int {
        var i = i0
        @inline(__always) func digits() -> Int {
            let s = i
            while i < limit, byte(b, i) &- 0x30 < 10 { i &+= 1 }
            return i &- s
        }
        if i < limit, byte(b, i) == 0x2D { i &+= 1 }
        let intStart = i
        let n = digits()
        if n == 0 { throw JSONError(.syntax, at: i, "invalid number") }
        if n > 1, byte(b, intStart) == 0x30 { throw JSONError(.syntax, at: intStart, "leading zero in number") }
        if i < limit, byte(b, i) == 0x2E {
            i &+= 1
            if digits() == 0 { throw JSONError(.syntax, at: i, "invalid number fraction") }
        }
        if i < limit, byte(b, i) | 0x20 == 0x65 {
            i &+= 1
            if i < limit, byte(b, i) == 0x2B || byte(b, i) == 0x2D { i &+= 1 }
            if digits() == 0 { throw JSONError(.syntax, at: i, "invalid number exponent") }
        }
        return i
    }

    @inline(__always)
    static func literalEnd(
        _ b: UnsafeRawPointer, _ i: Int, _ limit: Int, _ word: StaticString
    ) throws(JSONError) -> Int {
        let n = word.utf8CodeUnitCount
        guard i &+ n <= limit else { throw eof(limit) }
        let w = word.utf8Start
        for k in 1..<n where byte(b, i &+ k) != w[k] {
            throw JSONError(.syntax, at: i &+ k, "invalid literal")
        }
        return i &+ n
    }

    /// Parses (and for containers, skips) the value starting at the first non-space
    /// byte at or after `i0`. `enclosing` is the number of containers around it.
    @usableFromInline
    static func value(
        _ b: UnsafeRawPointer, _ i0: Int, _ limit: Int, enclosing: Int, maxDepth: Int
    ) throws(JSONError) -> JSONValue {
        let i = skipSpace(b, i0, limit)
        guard i < limit else { throw eof(limit) }
        let c = byte(b, i)
        let kind: JSONKind
        var flags: UInt8 = 0
        let end: Int
        switch c {
        case quote:
            kind = .string
            (end, flags) = try stringEnd(b, i &+ 1, limit)
        case 0x7B, 0x5B:
            kind = c == 0x7B ? .object : .array
            end = try containerEnd(b, i, limit, enclosing: enclosing, maxDepth: maxDepth)
        case 0x74:
            kind = .true
            end = try literalEnd(b, i, limit, "true")
        case 0x66:
            kind = .false
            end = try literalEnd(b, i, limit, "false")
        case 0x6E:
            kind = .null
            end = try literalEnd(b, i, limit, "null")
        case 0x2D, 0x30...0x39:
            kind = .number
            end = try numberEnd(b, i, limit)
        default:
            throw JSONError(.syntax, at: i, "expected a value")
        }
        return JSONValue(
            base: b, start: i, end: end, kind: kind, flags: flags, enclosing: enclosing, maxDepth: maxDepth)
    }
}
