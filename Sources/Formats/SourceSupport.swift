import ByteJSON
import EventModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Helpers shared by the non-AWS formats (Kubernetes, GCP, Azure, workflow servers):
/// tolerant field access, times in several notations, sources, user agents, bounded
/// parameters and records embedded as JSON strings.
enum SourceSupport {
    /// Largest embedded JSON document decoded (an audit event inside a string).
    static let maxNested = 4 << 20

    /// A value that is present and not JSON null.
    @inline(__always)
    static func present(_ v: JSONValue?) -> JSONValue? { CloudTrail.present(v) }

    /// Member `key` of `v` when `v` is an object, else nil.
    static func member(_ v: JSONValue?, _ key: StaticString) throws(JSONError) -> JSONValue? {
        guard let v, v.kind == .object else { return nil }
        return present(try v.member(key))
    }

    /// `v[k1][k2]…` through nested objects.
    static func member(_ v: JSONValue?, _ k1: StaticString, _ k2: StaticString) throws(JSONError) -> JSONValue? {
        try member(try member(v, k1), k2)
    }

    /// Text of a string value or the `value` member of `{"value": …, "localizedValue": …}`
    /// (Azure's REST shape); "" otherwise.
    static func valueText(_ v: JSONValue?, _ ctx: inout DecodeContext, max: Int = 256) throws(JSONError) -> String {
        guard let v = present(v) else { return "" }
        if v.kind == .object { return try ctx.text(try member(v, "value"), max: max) }
        return try ctx.text(v, max: max)
    }

    /// Milliseconds since the epoch from an ISO-8601 string, a number of epoch seconds
    /// (fractional allowed) or milliseconds (values above 10^11 are taken as ms), or such
    /// a number written as a string. Nil when the value is none of these.
    static func time(_ v: JSONValue?, _ ctx: inout DecodeContext) throws(JSONError) -> Int64? {
        guard let v = present(v) else { return nil }
        switch v.kind {
        case .string:
            if let t = try CloudTrail.parseTime(v, &ctx) { return t }
            return epoch(Double(try ctx.text(v, max: 40)))
        case .number:
            return epoch(v.double)
        default:
            return nil
        }
    }

    private static func epoch(_ d: Double?) -> Int64? {
        guard let d, d.isFinite, d > 0, d < 1e15 else { return nil }
        return d >= 1e11 ? Int64(d) : Int64((d * 1000).rounded())
    }

    /// A source from one address text (`203.0.113.7`, `203.0.113.7:51234`, `[2001:db8::1]:443`,
    /// comma-separated lists); a trailing `:port` after an IPv4 address is dropped.
    static func source(_ text: String) -> Source {
        if text.isEmpty { return .unknown }
        var s = SourceAddress.parse(text)
        if s.kind == .unknown, let stripped = withoutPort(text) {
            s = SourceAddress.parse(stripped)
            if s.kind == .ip { s.raw = text }
        }
        return s
    }

    /// `a.b.c.d:port` → `a.b.c.d`; `[v6]:port` → `v6`; nil when there is no port to strip.
    static func withoutPort(_ text: String) -> String? {
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            return String(text[text.index(after: text.startIndex)..<close])
        }
        let colons = text.utf8.filter { $0 == 0x3A }.count
        guard colons == 1, let c = text.firstIndex(of: ":") else { return nil }
        return String(text[..<c])
    }

    /// A source from a JSON array of address strings (Kubernetes `sourceIPs`), at most
    /// `SourceAddress.maxIPs`, or from a single string.
    static func source(array v: JSONValue?, _ ctx: inout DecodeContext) throws(JSONError) -> Source {
        guard let v = present(v) else { return .unknown }
        if v.kind == .string { return source(try ctx.text(v, max: SourceAddress.maxRaw)) }
        guard v.kind == .array else { return .unknown }
        var parts: [String] = []
        var it = v.elements()
        while let e = try it.next(), parts.count < SourceAddress.maxIPs {
            let t = try ctx.text(e, max: 64)
            if !t.isEmpty { parts.append(t) }
        }
        if parts.count == 1 { return source(parts[0]) }
        return source(parts.joined(separator: ", "))
    }

    /// Normalized user agent of a string value.
    static func userAgent(_ v: JSONValue?, _ ctx: inout DecodeContext) throws(JSONError) -> UserAgent {
        try CloudTrail.userAgent(v, &ctx)
    }

    /// Normalized user agent of text already decoded.
    static func userAgent(_ text: String, _ ctx: inout DecodeContext) -> UserAgent {
        text.isEmpty ? .empty : ctx.userAgents.normalize(text)
    }

    /// Adds a parameter when there is room and the value is not empty.
    @inline(__always)
    static func put(_ params: inout [String: String], _ key: String, _ value: String) {
        CloudTrail.put(&params, key, value)
    }

    /// Adds the raw JSON text of an object or array (or the text of a scalar), bounded.
    static func putRaw(_ params: inout [String: String], _ key: String, _ v: JSONValue?, _ ctx: inout DecodeContext)
        throws(JSONError)
    {
        guard let v = present(v) else { return }
        put(&params, key, try CloudTrail.parameterValue(v, &ctx))
    }

    /// Decodes a JSON document embedded as a string (AKS `properties.log`, a CloudWatch
    /// `message`) and hands its top-level members to `body`. The members point into a
    /// temporary buffer that lives only during the call. Errors in the embedded document
    /// become `failed` results saying so.
    static func nested(
        _ v: JSONValue, _ ctx: inout DecodeContext, what: String,
        _ body: (RecordFields, inout DecodeContext) throws(JSONError) -> DecodeResult
    ) -> DecodeResult {
        let decoded: JSONDecodedString?
        do {
            decoded = try v.decodeString(maxBytes: maxNested)
        } catch {
            return .failed(ctx.diagnostic(.error, error.code.rawValue, "\(what) is a broken JSON string"))
        }
        guard let decoded, !decoded.truncated else {
            return .failed(
                ctx.diagnostic(.error, DecodeCode.syntax, "\(what) is larger than \(maxNested) bytes; skipped"))
        }
        if decoded.invalidUTF8 { ctx.invalidUTF8 = true }
        var text = decoded.string
        return text.withUTF8 { u -> DecodeResult in
            let reader = JSONReader(UnsafeRawBufferPointer(u), maxDepth: ctx.maxDepth)
            do throws(JSONError) {
                guard try reader.rootKind() == .object else {
                    return .failed(ctx.diagnostic(.error, DecodeCode.notObject, "\(what) is not a JSON object"))
                }
                var it = try reader.rootMembers()
                var fields = RecordFields()
                try fields.collect(&it)
                // Decoded into a local first: passing `try body(…, &ctx)` to a method of `ctx` holds a copy of `ctx` (and of
                // its caches) while `body` writes them, which copies a cache on every insert.
                var result = try body(fields, &ctx)
                ctx.attachRaw(&result, UnsafeRawBufferPointer(u))
                return result
            } catch {
                return .failed(
                    ctx.diagnostic(
                        .error, error.code.rawValue,
                        "malformed \(what): \(error.message) at byte \(error.offset) of the embedded document"))
            }
        }
    }

    /// A stable synthetic event id from parts of a record (64-bit FNV-1a, hex), for records
    /// without an id of their own; duplicate deliveries of the same record get the same id.
    static func syntheticId(_ prefix: String, _ parts: [String]) -> String {
        var h = FNV1a()
        for p in parts {
            h.add(p)
            h.add(byte: 0x1F)
        }
        let hex = String(h.value, radix: 16)
        return prefix + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// `s` cut to at most `max` UTF-8 bytes on a character boundary.
    static func bounded(_ s: String, _ max: Int = Limits.maxIdentifier) -> String {
        guard s.utf8.count > max else { return s }
        var n = max
        let u = Array(s.utf8)
        while n > 0, u[n] & 0xC0 == 0x80 { n -= 1 }
        return String(decoding: u[0..<n], as: UTF8.self)
    }

    /// Byte-wise substring test (no `Character` work; both strings are UTF-8).
    static func contains(_ hay: String, _ needle: String) -> Bool {
        var h = hay
        var n = needle
        return h.withUTF8 { hb in
            n.withUTF8 { nb in
                guard let first = nb.first else { return true }
                guard hb.count >= nb.count else { return false }
                var i = 0
                let last = hb.count - nb.count
                while i <= last {
                    if hb[i] == first, memcmp(hb.baseAddress! + i, nb.baseAddress!, nb.count) == 0 { return true }
                    i += 1
                }
                return false
            }
        }
    }

    /// The `/`-separated segment that follows the segment `key` in `id` ("" when none); byte-wise.
    static func segment(after key: StaticString, in id: String) -> String {
        var s = id
        return s.withUTF8 { b -> String in
            let k = UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
            let n = b.count
            var i = 0
            while i < n {
                while i < n, b[i] == 0x2F { i += 1 }
                var j = i
                while j < n, b[j] != 0x2F { j += 1 }
                if j - i == k.count, UnsafeBufferPointer(rebasing: b[i..<j]).elementsEqual(k) {
                    var a = j
                    while a < n, b[a] == 0x2F { a += 1 }
                    var e = a
                    while e < n, b[e] != 0x2F { e += 1 }
                    return String(decoding: UnsafeBufferPointer(rebasing: b[a..<e]), as: UTF8.self)
                }
                i = j
            }
            return ""
        }
    }

    /// ASCII lower-casing (identifiers only; leaves other bytes alone).
    static func lower(_ s: String) -> String {
        var out = s
        if s.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) {
            out = String(decoding: s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
        return out
    }
}
