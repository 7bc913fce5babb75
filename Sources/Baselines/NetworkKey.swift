import EventModel

/// Source networks as 64-bit keys, computed from an address string without
/// allocating: IPv4 /24, IPv6 /48 (IPv4-mapped IPv6 counts as IPv4), and one
/// key for "via AWS service" (the call was made by a service on the
/// principal's behalf, so it has no network). The key renders back to text,
/// so no name table is needed.
public enum NetworkKey {
    /// Tag byte (top 8 bits) of an IPv4 /24 key.
    static let v4Tag: UInt64 = 4 << 56
    /// Tag byte of an IPv6 /48 key.
    static let v6Tag: UInt64 = 6 << 56
    /// The key of "via AWS service".
    public static let awsService: UInt64 = 1 << 56

    /// The /24 or /48 network of an IP address; nil when `ip` is not an address.
    public static func of(ip: String) -> UInt64? {
        ip.withUTF8Bytes { parse($0) }
    }

    /// `of(ip:)` for text already in a byte buffer (snapshot lines), without making a String.
    public static func of(ipBytes b: UnsafeBufferPointer<UInt8>) -> UInt64? { parse(b) }

    private static func parse(_ b: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard !b.isEmpty, b.count <= 64 else { return nil }
        var hasColon = false
        for c in b where c == UInt8(ascii: ":") {
            hasColon = true
            break
        }
        if !hasColon { return v4(b, from: 0).map { v4Tag | UInt64($0 >> 8) } }
        return v6(b)
    }

    /// Parses dotted IPv4 from `start` to the end; returns the 32-bit address.
    private static func v4(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> UInt32? {
        var addr: UInt32 = 0
        var octet: UInt32 = 0
        var digits = 0
        var parts = 0
        for i in start..<b.count {
            let c = b[i]
            if c >= 48 && c <= 57 {
                octet = octet * 10 + UInt32(c - 48)
                digits += 1
                if digits > 3 || octet > 255 { return nil }
            } else if c == UInt8(ascii: ".") {
                if digits == 0 || parts == 3 { return nil }
                addr = addr << 8 | octet
                parts += 1
                octet = 0
                digits = 0
            } else {
                return nil
            }
        }
        guard digits > 0, parts == 3 else { return nil }
        return addr << 8 | octet
    }

    /// Parses IPv6 (with `::`, an optional `%zone`, an optional dotted IPv4 tail)
    /// and returns its /48 key (or the /24 key of an IPv4-mapped address).
    private static func v6(_ b: UnsafeBufferPointer<UInt8>) -> UInt64? {
        var end = b.count
        for i in 0..<b.count where b[i] == UInt8(ascii: "%") {
            end = i
            break
        }
        var groups = InlineArray<8, UInt16>(repeating: 0)
        var n = 0
        var gap = -1
        var i = 0
        var v4Tail: UInt32? = nil
        if end >= 2 && b[0] == UInt8(ascii: ":") && b[1] == UInt8(ascii: ":") {
            gap = 0
            i = 2
        }
        while i < end {
            var j = i
            var v: UInt32 = 0
            var isDotted = false
            while j < end && b[j] != UInt8(ascii: ":") {
                if b[j] == UInt8(ascii: ".") { isDotted = true }
                j += 1
            }
            if isDotted {
                guard j == end, n <= 6, let a = v4(UnsafeBufferPointer(rebasing: b[i..<end]), from: 0) else {
                    return nil
                }
                v4Tail = a
                groups[n] = UInt16(a >> 16)
                groups[n + 1] = UInt16(a & 0xFFFF)
                n += 2
                break
            }
            guard j > i, j - i <= 4, n < 8 else { return nil }
            for k in i..<j {
                guard let d = hexValue(b[k]) else { return nil }
                v = v << 4 | UInt32(d)
            }
            groups[n] = UInt16(v)
            n += 1
            if j == end { break }
            if j + 1 < end && b[j + 1] == UInt8(ascii: ":") {
                guard gap < 0 else { return nil }
                gap = n
                i = j + 2
            } else {
                i = j + 1
                guard i < end else { return nil }
            }
        }
        if gap >= 0 {
            guard n < 8 else { return nil }
            let shift = 8 - n
            var k = 7
            while k >= gap + shift {
                groups[k] = groups[k - shift]
                k -= 1
            }
            for z in gap..<(gap + shift) { groups[z] = 0 }
        } else {
            guard n == 8 else { return nil }
        }
        if let a = v4Tail, groups[0] == 0, groups[1] == 0, groups[2] == 0, groups[3] == 0, groups[4] == 0,
            groups[5] == 0xFFFF
        {
            return v4Tag | UInt64(a >> 8)
        }
        return v6Tag | UInt64(groups[0]) << 32 | UInt64(groups[1]) << 16 | UInt64(groups[2])
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: c - 48
        case 97...102: c - 87
        case 65...70: c - 55
        default: nil
        }
    }

    /// True for IPv6 keys.
    public static func isV6(_ key: UInt64) -> Bool { key & (0xFF << 56) == v6Tag }

    /// Text form: `203.0.113.0/24`, `2001:db8:1::/48`, `via AWS service`.
    public static func describe(_ key: UInt64) -> String {
        switch key & (0xFF << 56) {
        case v4Tag:
            let a = key & 0xFF_FFFF
            return "\(a >> 16).\(a >> 8 & 0xFF).\(a & 0xFF).0/24"
        case v6Tag:
            let g = [key >> 32 & 0xFFFF, key >> 16 & 0xFFFF, key & 0xFFFF].map { String($0, radix: 16) }
            return g.joined(separator: ":") + "::/48"
        case awsService:
            return "via AWS service"
        default:
            return "network#\(String(key, radix: 16))"
        }
    }
}
