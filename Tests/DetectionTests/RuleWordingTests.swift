import Detection
import EventModel
import TestSupport
import Testing

/// `RuleHit.signal(for:)` appends its words as bytes. These tests hold it to a reference written
/// the plain way (string interpolation and concatenation, as the wording was first written) on
/// random identities and events: printable text, text over each limit, control characters,
/// non-ASCII, empty fields, failed calls and several source addresses.
@Suite struct RuleWordingTests {
    /// The words the plain way.
    enum Reference {
        static func describe(_ id: Identity) -> String {
            let kinds: [IdentityType: String] = [
                .iamUser: "IAM user", .assumedRole: "Role", .root: "The root user", .awsService: "AWS service",
                .federatedUser: "Federated user", .webIdentityUser: "Web-identity session", .samlUser: "SAML session",
                .identityCenterUser: "Identity Center user", .awsAccount: "Account",
            ]
            let kind = kinds[id.type] ?? "Identity"
            var s = id.type == .root ? kind : "\(kind) \(RuleText.name(id))"
            var parts: [String] = []
            if !id.key.isEmpty && id.key != id.displayName { parts.append(RuleText.bounded(id.key, 160)) }
            if !id.sessionName.isEmpty { parts.append("session " + RuleText.bounded(id.sessionName, 80)) }
            if !id.invokedBy.isEmpty { parts.append("invoked by " + RuleText.bounded(id.invokedBy, 80)) }
            if !parts.isEmpty { s += " (" + parts.joined(separator: ", ") + ")" }
            return s
        }

        static func origin(_ e: Event) -> String {
            let ips = e.source.ips
            let from: String =
                switch e.source.kind {
                case .ip:
                    "from source IP "
                        + RuleText.bounded(ips.isEmpty ? e.source.raw : ips.joined(separator: ", "), 120)
                case .awsService: "from AWS service " + RuleText.bounded(e.source.raw, 120)
                case .unknown: "from an unknown source"
                }
            let client =
                " using \(e.userAgent.family.rawValue)"
                + (e.userAgent.raw.isEmpty ? "" : " (\(RuleText.bounded(e.userAgent.raw, 120)))")
            let region = e.region.isEmpty ? " (no region)" : " in \(RuleText.bounded(e.region, 40))"
            let account = e.account.isEmpty ? "" : ", account \(RuleText.bounded(e.account, 40))"
            return from + client + region + account
        }

        static func words(_ hit: RuleHit, _ e: Event) -> (title: String, explanation: String) {
            let failed = !e.outcome.isSuccess
            let code = RuleText.bounded(e.outcome.errorCode, 60)
            let who = RuleText.name(e.identity)
            let title =
                failed ? "\(who) tried to \(hit.base) \(hit.object) (\(code))" : "\(who) \(hit.past) \(hit.object)"
            var text = describe(e.identity) + (failed ? " tried to \(hit.base)" : " \(hit.past)")
            text += " \(hit.object) with \(e.action.service):\(e.action.operation), \(origin(e))."
            if failed {
                text += " The call failed with \(code)"
                if !e.outcome.errorMessage.isEmpty { text += " (\(RuleText.bounded(e.outcome.errorMessage, 160)))" }
                text += ", so the change was probably not made; the attempt still shows intent."
            }
            for d in hit.details { text += " " + d }
            return (title, text + " " + hit.why)
        }
    }

    /// Random text of `0..<max` pieces: plain words, a control character, non-ASCII letters.
    static func text(_ rng: inout some RandomNumberGenerator, max: Int) -> String {
        let pieces = ["role", "ci-deployer", "a\tb", "\n", "é", "日本", "x", "🙂", "arn:aws:iam::1:role/r", " ", "\u{7F}"]
        let n = Int.random(in: 0..<max, using: &rng)
        return (0..<n).map { _ in pieces.randomElement(using: &rng)! }.joined()
    }

    static func event(_ rng: inout some RandomNumberGenerator) -> Event {
        let types: [IdentityType] = [.iamUser, .assumedRole, .root, .awsService, .federatedUser, .unknown]
        let id = Identity(
            key: text(&rng, max: 40), type: types.randomElement(using: &rng)!, sessionName: text(&rng, max: 30),
            invokedBy: text(&rng, max: 20), displayName: Bool.random(using: &rng) ? "" : text(&rng, max: 40))
        let ips = (0..<Int.random(in: 0..<3, using: &rng)).map { "10.0.0.\($0)" }
        let kinds: [Source.Kind] = [.ip, .awsService, .unknown]
        let failed = Bool.random(using: &rng)
        return TestEvents.event(
            time: 0, identity: id, service: "svc", operation: text(&rng, max: 6),
            source: Source(kind: kinds.randomElement(using: &rng)!, raw: text(&rng, max: 50), ips: ips),
            userAgent: UserAgent(raw: text(&rng, max: 60), family: .awsCLI), region: text(&rng, max: 12),
            account: text(&rng, max: 8),
            outcome: failed ? Outcome(errorCode: text(&rng, max: 20), errorMessage: text(&rng, max: 60)) : .success)
    }

    /// Each field at its limit and one past it, where a cut begins.
    @Test(arguments: [0, 1])
    func wordsMatchTheReferenceAtEveryLimit(_ over: Int) {
        func x(_ n: Int) -> String { String(repeating: "x", count: n + over) }
        let id = Identity(
            key: x(160), type: .assumedRole, sessionName: x(80), invokedBy: x(80), displayName: x(120))
        let e = TestEvents.event(
            time: 0, identity: id, service: "svc", operation: "Op",
            source: Source(kind: .ip, raw: x(120), ips: [x(120)]), userAgent: UserAgent(raw: x(120), family: .awsCLI),
            region: x(40), account: x(40), outcome: Outcome(errorCode: x(60), errorMessage: x(160)))
        let hit = RuleHit(severity: .low, past: "did", base: "do", object: "it", target: "t", why: "Why.", mitre: [])
        let s = hit.signal(for: e)
        let want = Reference.words(hit, e)
        #expect(s.title == want.title)
        #expect(s.explanation == want.explanation)
        #expect(s.explanation.contains("…") == (over == 1))
    }

    /// `RuleText.bounded` as first written: per Unicode scalar, with its general category.
    static func boundedReference(_ text: String, _ limit: Int) -> String {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return text.utf8.count <= limit ? text : String(decoding: text.utf8.prefix(limit), as: UTF8.self) + "…"
        }
        var out = String.UnicodeScalarView()
        var n = 0
        for u in text.unicodeScalars {
            if n == limit {
                out.append("…")
                break
            }
            out.append(u.properties.generalCategory == .control ? " " : u)
            n += 1
        }
        return String(out)
    }

    /// Every Unicode scalar, 64 to a string, cut at several limits: the byte-built `bounded` agrees
    /// with the general-category reference (so its control range is exactly category Cc).
    @Test(arguments: [3, 64])
    func boundedMatchesTheCategoryReferenceOnEveryScalar(_ limit: Int) {
        let all = (0...0x10FFFF).compactMap(Unicode.Scalar.init)
        var mismatches = 0
        for start in stride(from: 0, to: all.count, by: 64) {
            var chunk = String.UnicodeScalarView()
            chunk.append(contentsOf: all[start..<min(start + 64, all.count)])
            let text = String(chunk)
            if RuleText.bounded(text, limit) != Self.boundedReference(text, limit) { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test func boundedMatchesTheReferenceOnRandomText() {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<2_000 {
            let text = Self.text(&rng, max: 30) + (Bool.random(using: &rng) ? "\u{85}\u{9F}\u{A0}\u{200B}\u{301}" : "")
            let limit = Int.random(in: 0..<40, using: &rng)
            #expect(RuleText.bounded(text, limit) == Self.boundedReference(text, limit))
            #expect(RuleText.bounded(Substring(text), limit) == Self.boundedReference(text, limit))
        }
    }

    @Test func wordsMatchTheReferenceOnRandomEvents() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<400 {
            let e = Self.event(&rng)
            let hit = RuleHit(
                severity: .medium, past: "deleted", base: "delete", object: Self.text(&rng, max: 5),
                target: "t", details: (0..<Int.random(in: 0..<3, using: &rng)).map { _ in Self.text(&rng, max: 5) },
                why: "Why.", mitre: ["T1"])
            let s = hit.signal(for: e)
            let want = Reference.words(hit, e)
            #expect(s.title == want.title)
            #expect(s.explanation == want.explanation)
            #expect(RuleText.describe(e.identity) == Reference.describe(e.identity))
            #expect(RuleText.origin(e) == Reference.origin(e))
        }
    }
}
