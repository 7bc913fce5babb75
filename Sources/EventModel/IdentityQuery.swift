/// An identity as a person types it on the command line, and the one rule that resolves it,
/// shared by every command that takes one (`investigate`, `baseline show`, `baseline export`):
///
/// - a canonical identity key (`arn:aws:iam::111122223333:role/web-app`, `service:…`,
///   `k8s:…`): that identity;
/// - an access key id (`AKIA…` long-lived, `ASIA…` session): the identity that used it;
/// - an assumed-role session ARN (`arn:aws:sts::A:assumed-role/R/S`): role `R` of account
///   `A` (whatever its path);
/// - a short name (`web-app`, `role/web-app`, `user/alice`): every identity key that ends
///   with it right after a `/` or `:`. More than one is ambiguous: the caller lists them
///   and stops (exit 64) rather than guess.
public struct IdentityQuery: Sendable, Hashable, CustomStringConvertible {
    /// How the text was understood.
    public enum Kind: String, Sendable, Hashable {
        /// A canonical identity key.
        case identity
        /// An access key id: only that credential's calls.
        case accessKey = "access_key"
        /// An assumed-role session ARN: only that session's calls; names the session's role.
        case session
        /// A short name matched against the end of identity keys.
        case name
    }

    /// What resolving the text against known identity keys gave.
    public enum Resolution: Sendable, Hashable {
        /// Exactly one identity.
        case found(String)
        /// Several identities (sorted): the text must be made precise.
        case ambiguous([String])
        /// None.
        case notFound
    }

    /// How `text` was understood.
    public let kind: Kind
    /// The text as given.
    public let text: String

    /// Parses a command-line argument.
    public init(_ text: String) {
        self.text = text
        if text.count >= 16 && text.count <= 128 && (text.hasPrefix("AKIA") || text.hasPrefix("ASIA"))
            && text.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) })
        {
            kind = .accessKey
        } else if text.hasPrefix("arn:") && text.contains(":assumed-role/") {
            kind = .session
        } else if text.hasPrefix("arn:") || text.contains(":") {
            kind = .identity
        } else {
            kind = .name
        }
    }

    /// True when the principal of an event is what the text names: the identity key (or a
    /// short name of it), the access key, or the session.
    public func matches(_ identity: Identity) -> Bool {
        switch kind {
        case .identity, .name: return names(key: identity.key)
        case .accessKey: return identity.accessKeyId == text
        case .session: return identity.arn == text
        }
    }

    /// True when the identity key `key` is what the text names (never for an access key id:
    /// a key id is not part of any identity key).
    public func names(key: String) -> Bool {
        switch kind {
        case .identity: return key == text
        case .accessKey: return false
        case .session: return sessionRole.map { Self.isRole(key, of: $0) } ?? false
        case .name:
            guard !text.isEmpty, key.hasSuffix(text) else { return false }
            let cut = key.utf8.count - text.utf8.count
            if cut == 0 { return true }
            let before = key.utf8[key.utf8.index(key.utf8.startIndex, offsetBy: cut - 1)]
            return before == UInt8(ascii: "/") || before == UInt8(ascii: ":")
        }
    }

    /// Resolves the text against the identity keys known (a state file's baselines, the keys
    /// seen in the logs). An exact key wins over a suffix match.
    public func resolve(among keys: some Sequence<String>) -> Resolution {
        var found: Set<String> = []
        for k in keys where names(key: k) {
            if k == text { return .found(k) }
            found.insert(k)
        }
        switch found.count {
        case 0: return .notFound
        case 1: return .found(found.first!)
        default: return .ambiguous(found.sorted())
        }
    }

    /// `text` (`kind`).
    public var description: String { "\(text) (\(kind.rawValue))" }

    /// The error for an ambiguous text: the candidates one per line (control characters
    /// from the logs shown as `\u{…}`), and how to name one.
    public func ambiguity(_ keys: [String], in place: String) -> String {
        "trailhound: error: '\(Self.printable(text))' matches \(keys.count) identities in \(place); "
            + "give one of them in full:\n" + keys.map { "  " + Self.printable($0) }.joined(separator: "\n")
    }

    private static func printable(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            if c.properties.generalCategory == .control || c.properties.generalCategory == .format {
                out += "\\u{" + String(c.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// `(partition, account, role name)` of a session ARN.
    private var sessionRole: (partition: String, account: String, role: String)? {
        let p = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard p.count == 6, p[5].hasPrefix("assumed-role/") else { return nil }
        let path = p[5].dropFirst(13).split(separator: "/", maxSplits: 1)
        guard let role = path.first, !role.isEmpty else { return nil }
        return (String(p[1]), String(p[4]), String(role))
    }

    private static func isRole(_ key: String, of s: (partition: String, account: String, role: String)) -> Bool {
        let prefix = "arn:\(s.partition):iam::\(s.account):role/"
        return key.hasPrefix(prefix) && key.hasSuffix("/" + s.role)
    }
}
