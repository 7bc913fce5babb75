extension JSONValue {
    /// The number as `Int64` when it is an integer literal (no fraction or exponent) in range.
    public var int64: Int64? {
        guard kind == .number else { return nil }
        return Numbers.int64(base + start, end - start)
    }

    /// The number as `Double` (nil for other kinds).
    public var double: Double? {
        guard kind == .number else { return nil }
        return Numbers.double(base + start, end - start)
    }

    /// Tolerant integer: a number, or a string whose whole body is an integer (`"42"`).
    /// Audit logs write numbers as text often enough that callers want both.
    public var lenientInt64: Int64? {
        switch kind {
        case .number: return int64
        case .string:
            let b = stringBytes
            return b.isEmpty ? nil : Numbers.int64(b.baseAddress!, b.count)
        default: return nil
        }
    }

    /// Tolerant boolean: `true`/`false`, or the strings `"true"`/`"false"` in any case.
    public var lenientBool: Bool? {
        switch kind {
        case .true: return true
        case .false: return false
        case .string:
            let b = stringBytes
            if b.count == 4, Numbers.lowerEquals(b, "true") { return true }
            if b.count == 5, Numbers.lowerEquals(b, "false") { return false }
            return nil
        default: return nil
        }
    }
}

enum Numbers {
    static func lowerEquals(_ b: UnsafeRawBufferPointer, _ word: StaticString) -> Bool {
        let w = word.utf8Start
        for k in 0..<b.count where b[k] | 0x20 != w[k] { return false }
        return true
    }

    static func int64(_ p: UnsafeRawPointer, _ n: Int) -> Int64? {
        var i = 0
        var negative = false
        if n > 0, p.load(as: UInt8.self) == 0x2D {
            negative = true
            i = 1
        }
        guard i < n else { return nil }
        var v: Int64 = 0
        while i < n {
            let d = p.load(fromByteOffset: i, as: UInt8.self) &- 0x30
            guard d < 10 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = negative ? m.subtractingReportingOverflow(Int64(d)) : m.addingReportingOverflow(Int64(d))
            if o1 || o2 { return nil }
            v = s
            i += 1
        }
        return v
    }

    private static let exact: [Double] = (0...22).map { e in
        var v = 1.0
        for _ in 0..<e { v *= 10 }
        return v
    }

    /// Clinger's fast path when mantissa and exponent are small enough to be exact;
    /// the standard library parser otherwise.
    static func double(_ p: UnsafeRawPointer, _ n: Int) -> Double? {
        var i = 0
        var negative = false
        if n > 0, p.load(as: UInt8.self) == 0x2D {
            negative = true
            i = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var exp10 = 0
        var sawDot = false
        while i < n {
            let c = p.load(fromByteOffset: i, as: UInt8.self)
            if c &- 0x30 < 10 {
                if digits < 19 {
                    mantissa = mantissa * 10 + UInt64(c &- 0x30)
                    if mantissa != 0 { digits += 1 }
                    if sawDot { exp10 -= 1 }
                } else if !sawDot {
                    exp10 += 1
                }
            } else if c == 0x2E {
                sawDot = true
            } else {
                break
            }
            i += 1
        }
        if i < n {
            guard let e = int64(p + i + 1, n - i - 1) ?? plusExponent(p + i + 1, n - i - 1) else { return nil }
            guard e > -10_000, e < 10_000 else { return slow(p, n) }
            exp10 += Int(e)
        }
        guard mantissa <= 1 << 53, exp10 >= -22, exp10 <= 22, digits < 19 else { return slow(p, n) }
        let m = Double(mantissa)
        let v = exp10 < 0 ? m / exact[-exp10] : m * exact[exp10]
        return negative ? -v : v
    }

    private static func plusExponent(_ p: UnsafeRawPointer, _ n: Int) -> Int64? {
        guard n > 1, p.load(as: UInt8.self) == 0x2B else { return nil }
        return int64(p + 1, n - 1)
    }

    private static func slow(_ p: UnsafeRawPointer, _ n: Int) -> Double? {
        Double(String(decoding: UnsafeRawBufferPointer(start: p, count: n), as: UTF8.self))
    }
}
