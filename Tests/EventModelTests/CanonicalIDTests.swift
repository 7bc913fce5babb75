import EventModel
import TestSupport
import Testing

/// `Resource.canonicalID` reads ASCII ids byte by byte. These tests hold it to the character
/// version it replaced (split on `:`, `hasPrefix`, `lastIndex(of:)` over `Character`s) on random
/// ids: ARNs and names of secrets and parameters, with and without the six-character suffix,
/// short ARNs, empty parts, and non-ASCII text (a colon followed by a combining mark is not a
/// colon character, so such ids go the character way).
@Suite struct CanonicalIDTests {
    static func reference(_ kind: ResourceKind, _ id: String) -> String {
        func arnResource(_ id: String) -> Substring? {
            guard id.hasPrefix("arn:") else { return nil }
            let parts = id.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
            return parts.count == 6 ? parts[5] : nil
        }
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
            guard let resource = arnResource(id), resource.hasPrefix("parameter/") else { return id }
            let name = resource.dropFirst("parameter/".count)
            return name.contains("/") ? "/" + name : String(name)
        case .bucket, .object:
            return id.hasPrefix("arn:aws:s3:::") ? String(id.dropFirst("arn:aws:s3:::".count)) : id
        default:
            return id
        }
    }

    static let pieces = [
        "arn:", "aws", ":", "secretsmanager", "ssm", "eu-west-1", "111122223333", "secret:", "parameter/",
        "prod", "/", "db", "-", "AbC123", "Ab_123", "x9Z", "é", ":\u{301}", "日本", "", "-abcdef", "parameter",
    ]

    @Test func matchesTheCharacterVersionOnRandomIds() {
        var rng = SplitMix64(seed: 5)
        var arns = 0
        for _ in 0..<5_000 {
            var id = (0..<Int.random(in: 0..<14, using: &rng)).map { _ in Self.pieces.randomElement(using: &rng)! }
                .joined()
            if Bool.random(using: &rng) {
                let kind = Bool.random(using: &rng) ? "secret:" : "parameter/"
                id = "arn:aws:svc:eu-west-1:111122223333:" + kind + id
                arns += 1
            }
            for kind in [ResourceKind.secret, .parameter, .bucket, .object, .role] {
                #expect(Resource.canonicalID(kind, id) == Self.reference(kind, id), "\(kind) \(id)")
            }
        }
        #expect(arns > 2_000)
    }
}
