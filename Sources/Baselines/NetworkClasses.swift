/// Network classes: which cloud provider and region a source network belongs to
/// (`aws us-east-1`, `azure eastus2`), or for a private address the /16 that encloses it.
///
/// Why: some identities get a new address by design at every cold start, job, rollout or
/// scale-out (Lambda outside a VPC, hosted CI runners, Auto Scaling groups with public
/// addresses, pods). For them a new /24 says nothing; a new *class* does (a Lambda role
/// suddenly calling from outside every cloud range). `identity.new_source` judges such
/// churning identities by class.
///
/// Built from the published range files (a dated snapshot in `detectors/networks/`, made by
/// `tools/refresh_network_classes.py`); the Runtime reads the file, this type only parses text.
/// Lookups are by `NetworkKey` (IPv4 /24, IPv6 /48): prefixes are held as disjoint intervals of
/// those units, the most specific prefix winning where they nest, and found by binary search
/// (about 8 bytes per prefix, no per-lookup allocation). Prefixes longer than the unit are
/// widened to it.
public final class NetworkClasses: Sendable {
    /// No classes: class judging off (only private enclosures are still classed).
    public static let none = NetworkClasses(names: [], v4: [], v6: [], date: "", sources: [])

    /// Most prefixes read from one snapshot; later lines are reported and ignored.
    public static let maxPrefixes = 1_000_000
    /// Most distinct class names.
    public static let maxClasses = 65_535

    /// Snapshot date from the file header (`# date:`), empty when unknown.
    public let date: String
    /// Where the snapshot came from (`# source:` header lines).
    public let sources: [String]
    let names: [String]
    let v4: [Segment]
    let v6: [Segment]

    /// A run of units `[start, end]` belonging to class `index`.
    struct Segment: Sendable {
        var start: UInt64
        var end: UInt64
        var index: UInt32
    }

    init(names: [String], v4: [Segment], v6: [Segment], date: String, sources: [String]) {
        self.names = names
        self.v4 = v4
        self.v6 = v6
        self.date = date
        self.sources = sources
    }

    /// Number of distinct class names loaded.
    public var classCount: Int { names.count }
    /// Number of disjoint intervals held (IPv4 and IPv6).
    public var intervalCount: Int { v4.count + v6.count }

    static let cloudTag: UInt64 = 0x70 << 56
    static let privateTag: UInt64 = 0x71 << 56

    /// The class of a network (`NetworkKey`): a cloud class from the snapshot, the enclosing
    /// /16 for private IPv4 (RFC 1918, 100.64.0.0/10), nil for "via AWS service" and for
    /// public networks outside every published range.
    public func classKey(ofNetwork key: UInt64) -> UInt64? {
        let tag = key & (0xFF << 56)
        if tag == NetworkKey.v4Tag {
            let unit = key & 0xFF_FFFF
            if Self.isPrivateV4(unit: unit) { return Self.privateTag | unit >> 8 }
            return find(unit, in: v4).map { Self.cloudTag | UInt64($0) }
        }
        if tag == NetworkKey.v6Tag {
            return find(key & 0xFFFF_FFFF_FFFF, in: v6).map { Self.cloudTag | UInt64($0) }
        }
        return nil
    }

    /// Text of a class key: `aws us-east-1`, `private 10.244.0.0/16`.
    public func describe(classKey c: UInt64) -> String {
        switch c & (0xFF << 56) {
        case Self.cloudTag:
            let i = Int(c & 0xFFFF_FFFF)
            return i < names.count ? names[i] : "class#\(i)"
        case Self.privateTag:
            return "private \(c >> 8 & 0xFF).\(c & 0xFF).0.0/16"
        default:
            return "class#\(String(c, radix: 16))"
        }
    }

    /// The provider part of a cloud class (`aws` of `aws us-east-1`); nil for private enclosures.
    public func provider(ofClass c: UInt64) -> Substring? {
        guard Self.isCloud(classKey: c) else { return nil }
        let i = Int(c & 0xFFFF_FFFF)
        guard i < names.count else { return nil }
        return names[i].split(separator: " ", maxSplits: 1).first
    }

    /// True for a cloud class (from the snapshot), false for a private enclosure.
    public static func isCloud(classKey c: UInt64) -> Bool { c & (0xFF << 56) == cloudTag }

    private func find(_ unit: UInt64, in segments: [Segment]) -> UInt32? {
        var lo = 0
        var hi = segments.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if segments[mid].end < unit { lo = mid + 1 } else { hi = mid }
        }
        guard lo < segments.count, segments[lo].start <= unit else { return nil }
        return segments[lo].index
    }

    /// RFC 1918 and shared address space (100.64.0.0/10), as /24 units.
    static func isPrivateV4(unit: UInt64) -> Bool {
        let a = unit >> 16
        let b = unit >> 8 & 0xFF
        return a == 10 || (a == 172 && (16...31).contains(b)) || (a == 192 && b == 168)
            || (a == 100 && (64...127).contains(b))
    }
}
