import TestSupport
import Testing

@testable import EventModel

/// `Resource.canonicalID` reads ASCII ids byte by byte. These tests hold it to the character
/// version (split on `:`, `hasPrefix`, `lastIndex(of:)` over `Character`s; the fixed cases in
/// `FindingIdTests` pin that one down) on random ids: ARNs and names of secrets and parameters,
/// with and without the six-character suffix, short ARNs, empty parts, and non-ASCII text (a
/// colon followed by a combining mark is not a colon character, so such ids go the character way).
@Suite struct CanonicalIDTests {
    /// The character version (`Resource.characterCanonicalID`, which non-ASCII ids still take)
    /// for secrets and parameters; the others are unchanged by either version.
    static func reference(_ kind: ResourceKind, _ id: String) -> String {
        switch kind {
        case .secret, .parameter: return Resource.characterCanonicalID(kind, id)
        case .bucket, .object:
            return id.hasPrefix("arn:aws:s3:::") ? String(id.dropFirst("arn:aws:s3:::".count)) : id
        default: return id
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
