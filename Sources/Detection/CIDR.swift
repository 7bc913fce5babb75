/// An IPv4 or IPv6 network (`10.0.0.0/8`, `2001:db8::/32`) with a parser that
/// needs no Foundation. Used by allow-lists and by baselines (network of an IP).
public struct CIDR: Sendable, Hashable {
    /// Network address, 16 bytes (IPv4 mapped into the last 4 bytes with `isV4`).
    public let address: [UInt8]
    /// Prefix length in bits (0–32 for IPv4, 0–128 for IPv6).
    public let prefix: Int
    /// True for IPv4.
    public let isV4: Bool

    /// Parses `a.b.c.d/n`, `x:y::z/n`, or a bare address (full-length prefix).
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let first = parts.first, let (addr, v4) = CIDR.parseAddress(String(first)) else { return nil }
        let maxBits = v4 ? 32 : 128
        var bits = maxBits
        if parts.count == 2 {
            guard let b = Int(parts[1]), (0...maxBits).contains(b) else { return nil }
            bits = b
        }
        self.address = addr
        self.prefix = bits
        self.isV4 = v4
    }

    /// True when `ip` (an address string) lies inside the network.
    public func contains(_ ip: String) -> Bool {
        guard let (addr, v4) = CIDR.parseAddress(ip), v4 == isV4 else { return false }
        let offset = isV4 ? 12 : 0
        var remaining = prefix
        var i = offset
        while remaining > 0 {
            let take = min(8, remaining)
            let mask: UInt8 = take == 8 ? 0xFF : ~(0xFF >> UInt8(take))
            if addr[i] & mask != address[i] & mask { return false }
            remaining -= take
            i += 1
        }
        return true
    }

    /// Parses an IPv4 or IPv6 address into 16 bytes; nil when it is not an address.
    public static func parseAddress(_ s: String) -> ([UInt8], Bool)? {
        if s.contains(":") { return parseV6(s).map { ($0, false) } }
        let octets = s.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return nil }
        var out = [UInt8](repeating: 0, count: 16)
        for (i, o) in octets.enumerated() {
            guard o.count <= 3, let v = UInt8(o) else { return nil }
            out[12 + i] = v
        }
        return (out, true)
    }

    private static func parseV6(_ s: String) -> [UInt8]? {
        let halves = s.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt16]? {
            if part.isEmpty { return [] }
            var out: [UInt16] = []
            for g in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard g.count <= 4, let v = UInt16(g, radix: 16) else { return nil }
                out.append(v)
            }
            return out
        }
        guard let head = groups(halves[0]) else { return nil }
        let tail = halves.count == 2 ? groups(halves[1]) : []
        guard let tail else { return nil }
        let fill = 8 - head.count - tail.count
        guard (halves.count == 2 && fill >= 0) || (halves.count == 1 && fill == 0) else { return nil }
        let all = head + [UInt16](repeating: 0, count: halves.count == 2 ? fill : 0) + tail
        var out: [UInt8] = []
        for g in all { out += [UInt8(g >> 8), UInt8(g & 0xFF)] }
        return out
    }
}

extension String {
    fileprivate func components(separatedBy sep: String) -> [String] {
        var out: [String] = []
        var rest = Substring(self)
        while let r = rest.firstRange(of: sep) {
            out.append(String(rest[..<r.lowerBound]))
            rest = rest[r.upperBound...]
        }
        out.append(String(rest))
        return out
    }
}
