extension Resource {
    /// One name per resource, whether a call named it by ARN or by name, so that
    /// counts of distinct secrets and baseline resource keys see one secret once:
    /// - secret: `arn:aws:secretsmanager:…:secret:prod/db-AbCdEf` → `prod/db` (the
    ///   six-character suffix Secrets Manager adds to ARNs is dropped);
    /// - parameter: `arn:aws:ssm:…:parameter/prod/db` → `/prod/db`, `arn:…:parameter/db` → `db`
    ///   (names are kept as logged);
    /// - bucket, object: `arn:aws:s3:::bucket[/key]` → `bucket[/key]`.
    /// Other kinds and non-matching ids are returned unchanged.
    public static func canonicalID(_ kind: ResourceKind, _ id: String) -> String {
        switch kind {
        case .secret, .parameter:
            // Byte by byte when the id is ASCII (an ARN always is): splitting a `String` walks
            // grapheme clusters, some 20,000 instructions an id on the per-event path.
            if let ascii = asciiCanonicalID(kind, id) { return ascii }
            return characterCanonicalID(kind, id)
        case .bucket, .object:
            return id.hasPrefix("arn:aws:s3:::") ? String(id.dropFirst("arn:aws:s3:::".count)) : id
        default:
            return id
        }
    }

    /// `canonicalID` of a secret or parameter id in ASCII, on its bytes; nil when `id` is not ASCII
    /// (then a colon may start a grapheme cluster, and the character version decides).
    private static func asciiCanonicalID(_ kind: ResourceKind, _ id: String) -> String? {
        var text = id
        return text.withUTF8 { u -> String? in
            guard !u.contains(where: { $0 >= 0x80 }) else { return nil }
            guard let start = arnResourceStart(u) else { return id }
            let resource = UnsafeBufferPointer(rebasing: u[start...])
            func text(_ r: Range<Int>) -> String {
                String(decoding: UnsafeBufferPointer(rebasing: resource[r]), as: UTF8.self)
            }
            if kind == .secret {
                guard resource.starts(with: "secret:".utf8) else { return id }
                let name = 7..<resource.count
                if let dash = resource[name].lastIndex(of: 0x2D), resource.count - dash - 1 == 6,
                    resource[(dash + 1)...].allSatisfy(isASCIIAlphanumeric)
                {
                    return text(name.lowerBound..<dash)
                }
                return text(name)
            }
            guard resource.starts(with: "parameter/".utf8) else { return id }
            let name = 10..<resource.count
            return resource[name].contains(0x2F) ? "/" + text(name) : text(name)
        }
    }

    /// Offset of the resource part of `arn:partition:service:region:account:resource` (after
    /// the fifth colon); nil for other text.
    private static func arnResourceStart(_ u: UnsafeBufferPointer<UInt8>) -> Int? {
        guard u.starts(with: "arn:".utf8) else { return nil }
        var colons = 0
        for i in 0..<u.count where u[i] == 0x3A {
            colons += 1
            if colons == 5 { return i + 1 }
        }
        return nil
    }

    private static func isASCIIAlphanumeric(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
    }

    /// `canonicalID` of a secret or parameter id, by characters (any text). Internal: the
    /// tests hold the byte version to it.
    static func characterCanonicalID(_ kind: ResourceKind, _ id: String) -> String {
        switch kind {
        case .secret:
            guard let resource = arnResource(id), resource.hasPrefix("secret:") else { return id }
            let name = resource.dropFirst("secret:".count)
            if let dash = name.lastIndex(of: "-") {
                let suffix = name[name.index(after: dash)...]
                if suffix.utf8.count == 6 && suffix.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
                    return String(name[..<dash])
                }
            }
            return String(name)
        case .parameter:
            // A name is kept as logged (remediation commands use it). An ARN drops the slash that starts a
            // hierarchical name, so `parameter/a/b` is `/a/b`, and `parameter/db` the far more common `db`.
            guard let resource = arnResource(id), resource.hasPrefix("parameter/") else { return id }
            let name = resource.dropFirst("parameter/".count)
            return name.contains("/") ? "/" + name : String(name)
        default:
            return id
        }
    }

    /// The resource part of `arn:partition:service:region:account:resource`, nil for other text.
    private static func arnResource(_ id: String) -> Substring? {
        guard id.hasPrefix("arn:") else { return nil }
        let parts = id.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return parts.count == 6 ? parts[5] : nil
    }
}
