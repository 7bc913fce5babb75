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
        case .bucket, .object:
            return id.hasPrefix("arn:aws:s3:::") ? String(id.dropFirst("arn:aws:s3:::".count)) : id
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
