import EventModel
import Foundation
import TestSupport
import Testing

@testable import Sigma

/// Rule files: what loads, what is skipped, and where the problem is said to be.
@Suite("Sigma parser")
struct SigmaParserTests {
    static func parse(_ yaml: String) -> SigmaParser.Outcome { SigmaParser.parse(yaml: yaml, file: "r.yml") }

    static let base = """
        title: Root user activity
        id: 8ad1600d-e9dc-4251-b0ee-a65268f29add
        name: privilege.root_activity
        status: test
        description: The root user did something.
        references: [https://docs.aws.amazon.com/]
        author: me
        date: 2026-01-01
        modified: 2026-01-02
        tags: [attack.privilege-escalation, attack.t1078.004, attack.T1098, attack.s0001, attack.t12]
        logsource: {product: aws, service: cloudtrail}
        detection:
            selection:
                userIdentity.type: Root
                eventName: [ConsoleLogin, CreateUser]
            filter:
                eventType: AwsServiceEvent
            condition: selection and not filter
        falsepositives: [Break-glass use]
        level: critical
        """

    @Test func metadataLevelTagsAndIndex() throws {
        let o = Self.parse(Self.base)
        let r = try #require(o.rule, "\(o.issues)")
        #expect(o.issues.isEmpty)
        #expect(r.name == "privilege.root_activity")
        #expect(r.severity == .critical)
        #expect(r.mitre == ["T1078.004", "T1098"])
        #expect(r.provider == .aws)
        #expect(r.operations == ["consolelogin", "createuser"])
        guard case .operationsIgnoringCase(let ops) = r.interest else {
            Issue.record("expected an operation index, got \(r.interest)")
            return
        }
        #expect(ops.count == 2)
        #expect(r.rawInterest.wants(.aws, operation: "CONSOLELOGIN"))
        #expect(!r.rawInterest.wants(.aws, operation: "ListUsers"))
        #expect(!r.rawInterest.wants(.gcp, operation: "ConsoleLogin"))
    }

    @Test func noRequiredOperationMeansTheWholeProvider() throws {
        let yaml = Self.base.replacingOccurrences(
            of: "condition: selection and not filter", with: "condition: selection or filter")
        let r = try #require(Self.parse(yaml).rule)
        #expect(r.operations == nil)
        #expect(r.rawInterest.wants(.aws, operation: "Anything"))
    }

    @Test(arguments: [
        (
            "logsource: {product: aws, service: cloudtrail}",
            "logsource: {product: windows, category: process_creation}", "rule.logsource", 11
        ),
        ("eventName: [ConsoleLogin, CreateUser]", "eventName|utf16le: x", "rule.modifier", 15),
        ("userIdentity.type: Root", "hostPath: '*'", "rule.unknown_field", 14),
        ("condition: selection and not filter", "condition: selection | count() > 3", "rule.aggregation", 18),
        ("condition: selection and not filter", "condition: selection and", "rule.condition", 18),
        ("userIdentity.type: Root", "userIdentity.arn|re: '('", "rule.regex", 14),
        ("userIdentity.type: Root", "sourceIPAddress|cidr: 10.0.0.0/99", "rule.value", 14),
        ("title: Root user activity", "correlation: {type: event_count}", "rule.correlation", 1),
    ])
    func unsupportedRulesAreSkippedWithCodeAndLine(_ from: String, _ to: String, _ code: String, _ line: Int) {
        let o = Self.parse(Self.base.replacingOccurrences(of: from, with: to))
        #expect(o.rule == nil)
        let issue = o.issues.first { $0.code == code }
        #expect(issue != nil, "\(o.issues)")
        #expect(issue?.origin.record == line, "\(o.issues)")
    }

    @Test func timeframeIsSkippedAndCustomKeysAreWarningsOnly() {
        let tf = Self.parse(
            Self.base.replacingOccurrences(of: "    condition:", with: "    timeframe: 5m\n    condition:"))
        #expect(tf.rule == nil)
        #expect(tf.issues.contains { $0.code == "rule.timeframe" })
        let custom = Self.parse(Self.base + "\nx_custom: 1\n")
        #expect(custom.rule != nil)
        #expect(custom.issues.map(\.code) == ["rule.unknown_key"])
        #expect(custom.issues.first?.level == .warning)
    }

    @Test func brokenFilesAreErrorsNotCrashes() {
        for text in [
            "", "title: [", "- a\n- b", "title: t\nlogsource: {product: aws}\n", String(repeating: "a", count: 2 << 20),
        ] {
            let o = Self.parse(text)
            #expect(o.rule == nil)
            #expect(!o.issues.isEmpty, "\(text.prefix(20))")
        }
        let multi = Self.parse(Self.base + "\n---\ntitle: second\n")
        #expect(multi.rule == nil)
        #expect(multi.issues.contains { $0.code == "rule.correlation" })
    }

    /// `SigmaLoader.slug` as first written, with Foundation's `CharacterSet`.
    static func slugReference(_ title: String) -> String {
        var out = ""
        var gap = false
        for u in title.lowercased().unicodeScalars {
            if u.isASCII, CharacterSet.alphanumerics.contains(u) {
                if gap, !out.isEmpty { out.append("_") }
                gap = false
                out.unicodeScalars.append(u)
            } else {
                gap = true
            }
            if out.count >= 60 { break }
        }
        return out.isEmpty ? "rule" : String(out.prefix(60))
    }

    /// Random titles of ASCII, accented and other letters that lowercase into ASCII (the Kelvin
    /// sign, dotted capital I), digits and punctuation, some over the 60-byte cut.
    @Test func slugsMatchTheCharacterSetReference() {
        let pieces = ["AWS", " ", "-", "Root", "é", "\u{212A}", "\u{130}", "9", "日本", "__", "!", "Ünïcode", "x"]
        var rng = SplitMix64(seed: 3)
        for _ in 0..<1_000 {
            let title = (0..<Int.random(in: 0..<40, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }
                .joined()
            #expect(SigmaLoader.slug(title) == Self.slugReference(title))
        }
    }

    /// Rule files are parsed on several threads: the outcomes come back in the files' order and
    /// are the ones a one-by-one parse gives (rules, skipped files and every issue), however many
    /// times it runs. Some texts load, some are skipped, some are not YAML.
    @Test func parallelParsingGivesTheSequentialOutcomesInOrder() {
        let texts = (0..<40).map { i -> (file: String, text: String) in
            switch i % 4 {
            case 0: return ("r\(i).yml", Self.base.replacingOccurrences(of: "Root user activity", with: "Rule \(i)"))
            case 1: return ("r\(i).yml", Self.base + "custom_\(i): x\n")
            case 2: return ("r\(i).yml", "title: [unclosed \(i)\n")
            default: return ("r\(i).yml", "title: no detection \(i)\nlogsource: {product: aws}\n")
            }
        }
        func summary(_ o: SigmaParser.Outcome) -> String {
            let rule = "\(o.rule?.title ?? "-") \(o.rule?.ruleId ?? "-") \(o.rule?.operations?.sorted() ?? [])"
            return rule + " " + o.issues.map(\.description).joined(separator: "|")
        }
        let sequential = texts.map { summary(SigmaParser.parse(yaml: $0.text, file: $0.file)) }
        #expect(Set(sequential).count > 30)
        for _ in 0..<5 {
            #expect(SigmaLoader.parseAll(texts).map(summary) == sequential)
        }
    }

    @Test func slugsAndDuplicateIds() {
        #expect(SigmaLoader.slug("AWS Root Credentials!") == "aws_root_credentials")
        #expect(SigmaLoader.slug(String(repeating: "word ", count: 40)).count <= 60)
        let unnamed = Self.base.replacingOccurrences(of: "name: privilege.root_activity\n", with: "")
        let set = SigmaLoader.load(texts: [("a.yml", unnamed), ("b.yml", unnamed)])
        #expect(set.rules.map(\.id) == ["sigma.root_user_activity", "sigma.root_user_activity_8ad1600d"])
        let named = SigmaLoader.load(texts: [("a.yml", Self.base), ("b.yml", Self.base)])
        #expect(named.rules.count == 1)
        #expect(named.issues.contains { $0.code == "rule.duplicate_id" })
    }
}
