import EventModel

/// One line of a text access log, split into fields byte by byte (no regular expressions,
/// no copies): a field is a run of non-blank bytes, a `"…"` quoted string (backslash escapes
/// skipped over, not decoded: nginx writes `\x22` for a quote, ALB `\"`) or a `[…]` bracketed
/// value (nginx `$time_local`, ingress-nginx upstream names). Fields hold the bytes between
/// the quotes or brackets. At most `maxFields` are split; the rest is ignored.
struct TextLine {
    /// Most fields read from a line (ALB writes about 30; more is not an access log).
    static let maxFields = 48

    /// The whole line (no newline).
    let bytes: UnsafeRawBufferPointer
    /// One field: its byte range in `bytes` and how it was written.
    struct Field {
        var start: Int
        var end: Int
        /// 0 bare, 1 `"…"`, 2 `[…]`.
        var delimiter: UInt8
    }

    /// The fields, in order (one allocation per line).
    private(set) var fields: [Field] = []

    /// Splits `bytes`; `limit` bounds the fields split (sniffing needs only the first few).
    init(_ bytes: UnsafeRawBufferPointer, limit: Int = TextLine.maxFields) {
        self.bytes = bytes
        fields.reserveCapacity(Swift.min(limit, 32))
        var i = 0
        let n = bytes.count
        while i < n && fields.count < limit {
            while i < n && (bytes[i] == 0x20 || bytes[i] == 0x09) { i += 1 }
            guard i < n else { break }
            let c = bytes[i]
            if c == 0x22 || c == 0x5B {
                let close: UInt8 = c == 0x22 ? 0x22 : 0x5D
                var j = i + 1
                while j < n && bytes[j] != close {
                    j += c == 0x22 && bytes[j] == 0x5C ? 2 : 1
                }
                fields.append(Field(start: i + 1, end: Swift.min(j, n), delimiter: c == 0x22 ? 1 : 2))
                i = j + 1
            } else {
                var j = i
                while j < n && bytes[j] != 0x20 && bytes[j] != 0x09 { j += 1 }
                fields.append(Field(start: i, end: j, delimiter: 0))
                i = j
            }
        }
    }

    /// Number of fields split.
    var count: Int { fields.count }

    /// The bytes of field `i` (empty when out of range).
    subscript(_ i: Int) -> UnsafeRawBufferPointer {
        guard i < fields.count else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(rebasing: bytes[fields[i].start..<fields[i].end])
    }

    /// True when field `i` was written in `"…"`.
    func isQuoted(_ i: Int) -> Bool { i < fields.count && fields[i].delimiter == 1 }

    /// True when field `i` was written in `[…]`.
    func isBracketed(_ i: Int) -> Bool { i < fields.count && fields[i].delimiter == 2 }

    /// Field `i` as text bounded to `max` bytes; "" for `-` (the access logs' "no value") and
    /// out-of-range fields. Short ASCII values are interned through `ctx`.
    func text(_ i: Int, _ ctx: inout DecodeContext, max: Int = 256) -> String {
        TextLine.text(self[i], &ctx, max: max)
    }

    /// Bytes as text bounded to `max`; "" for `-` and empty input.
    static func text(_ b0: UnsafeRawBufferPointer, _ ctx: inout DecodeContext, max: Int = 256) -> String {
        var b = b0
        if b.count == 0 || (b.count == 1 && b[0] == 0x2D) { return "" }
        if b.count > max { b = UnsafeRawBufferPointer(rebasing: b[0..<max]) }
        if b.count <= 64, !b.contains(where: { $0 >= 0x80 }) { return ctx.strings.intern(b) }
        if let s = String(validating: b, as: UTF8.self) { return s }
        ctx.invalidUTF8 = true
        return String(decoding: b, as: UTF8.self)
    }

    /// True when field `i` equals `s`.
    func equals(_ i: Int, _ s: StaticString) -> Bool {
        let f = self[i]
        guard f.count == s.utf8CodeUnitCount else { return false }
        return memcmpEqual(f, s)
    }

    private func memcmpEqual(_ f: UnsafeRawBufferPointer, _ s: StaticString) -> Bool {
        let p = s.utf8Start
        for k in 0..<f.count where f[k] != p[k] { return false }
        return true
    }

    /// True when field `i` is an IPv4 or IPv6 address, optionally with `:port` (v4) or as `[v6]:port`.
    func isAddress(_ i: Int) -> Bool {
        let f = self[i]
        guard f.count >= 2, f.count <= 64 else { return false }
        let u = f.bindMemory(to: UInt8.self)
        if SourceAddress.isIPv4(u) || SourceAddress.isIPv6(u) { return true }
        if let c = u.lastIndex(of: 0x3A) {
            let host = u[..<c]
            if host.first == 0x5B, host.last == 0x5D {
                return SourceAddress.isIPv6(UnsafeBufferPointer(rebasing: host.dropFirst().dropLast()))
            }
            return SourceAddress.isIPv4(host)
        }
        return false
    }
}
