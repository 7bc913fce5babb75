import EventModel

/// Parses CloudTrail's `sourceIPAddress`: one IP, a comma-separated list of IPs, or the
/// name of an AWS service acting for the principal.
enum SourceAddress {
    /// Longest raw value kept.
    static let maxRaw = 256
    /// Most IPs kept from a list.
    static let maxIPs = 4

    /// Classifies `raw` (already bounded): `.ip` when at least one list item is an IPv4
    /// or IPv6 address, `.awsService` for `AWS Internal` and `*.amazonaws.com`, else `.unknown`.
    static func parse(_ raw: String) -> Source {
        if raw.isEmpty { return .unknown }
        if raw == "AWS Internal" || raw.hasSuffix(".amazonaws.com") || raw.hasSuffix(".amazonaws.com.cn") {
            return Source(kind: .awsService, raw: raw)
        }
        var ips: [String] = []
        var r = raw
        r.withUTF8 { u in
            var start = 0
            while start <= u.count, ips.count < maxIPs {
                var end = start
                while end < u.count, u[end] != 0x2C { end += 1 }
                var a = start
                var b = end
                while a < b, u[a] == 0x20 { a += 1 }
                while b > a, u[b - 1] == 0x20 { b -= 1 }
                let item = UnsafeBufferPointer(rebasing: u[a..<b])
                if isIPv4(item[...]) || isIPv6(item) {
                    ips.append(a == 0 && b == u.count ? raw : String(decoding: item, as: UTF8.self))
                }
                start = end + 1
            }
        }
        return ips.isEmpty ? Source(kind: .unknown, raw: raw) : Source(kind: .ip, raw: raw, ips: ips)
    }

    /// Dotted quad with each part 0…255 (no leading-zero check: logs never write them).
    static func isIPv4<C: Collection<UInt8>>(_ b: C) -> Bool {
        var parts = 0
        var value = 0
        var digits = 0
        for c in b {
            if c == 0x2E {
                guard digits > 0, parts < 3 else { return false }
                parts += 1
                value = 0
                digits = 0
            } else if c >= 0x30, c <= 0x39 {
                value = value * 10 + Int(c - 0x30)
                digits += 1
                guard digits <= 3, value <= 255 else { return false }
            } else {
                return false
            }
        }
        return parts == 3 && digits > 0
    }

    /// Hex groups separated by `:`, at most one `::`, optionally ending in a dotted quad,
    /// optionally followed by a `%zone`.
    static func isIPv6(_ all: UnsafeBufferPointer<UInt8>) -> Bool {
        var b = all[...]
        if let z = b.firstIndex(of: 0x25) { b = b[..<z] }  // %zone
        guard b.count >= 2, b.contains(0x3A) else { return false }
        var groups = 0
        var compressed = false
        var i = b.startIndex
        if b[i] == 0x3A {
            guard b[i + 1] == 0x3A else { return false }
            compressed = true
            i += 2
            if i == b.endIndex { return true }  // "::"
        }
        while i < b.endIndex {
            var j = i
            while j < b.endIndex, isHex(b[j]) { j += 1 }
            if j < b.endIndex, b[j] == 0x2E {
                // Embedded IPv4 counts as two groups and must end the address.
                guard isIPv4(b[i...]) else { return false }
                groups += 2
                break
            }
            guard j > i, j - i <= 4 else { return false }
            groups += 1
            if j == b.endIndex { break }
            guard b[j] == 0x3A, j + 1 < b.endIndex else { return false }
            if b[j + 1] == 0x3A {
                guard !compressed else { return false }
                compressed = true
                i = j + 2
                if i == b.endIndex { break }
            } else {
                i = j + 1
            }
        }
        return compressed ? groups < 8 : groups == 8
    }

    private static func isHex(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x66)
    }
}
