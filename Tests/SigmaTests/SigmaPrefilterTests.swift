import EventModel
import Foundation
import Testing

@testable import Formats
@testable import Sigma
import TestSupport

/// The normalized-field prefilter may only turn away events a rule's raw match would reject too:
/// checked for every AWS rule of the bundled pack (and of SigmaHQ's, when `../shared` is beside the
/// clone) against every event of the CloudTrail corpora, decoded with their raw records.
@Suite struct SigmaPrefilterTests {
    static let root = Repository.root

    static func rules(under dir: URL) throws -> [SigmaRule] {
        guard let walker = FileManager.default.enumerator(atPath: dir.path) else { return [] }
        var texts: [(String, String)] = []
        while let rel = walker.nextObject() as? String {
            guard rel.hasSuffix(".yml") else { continue }
            let path = dir.appendingPathComponent(rel).path
            texts.append((path, try String(contentsOfFile: path, encoding: .utf8)))
        }
        return SigmaLoader.load(texts: texts.sorted { $0.0 < $1.0 }).rules.map(\.rule).filter { $0.provider == .aws }
    }

    static func events() throws -> [Event] {
        var interest = RawInterest()
        interest.addAll(.aws)
        var out: [Event] = []
        for rel in ["corpora/cloudtrail/formats/cloudtrail-lines.jsonl", "corpora/cloudtrail/classic-attacks.json"] {
            var d = RecordDecoder()
            d.rawInterest = interest
            let text = try String(contentsOf: root.appendingPathComponent(rel), encoding: .utf8)
            var records: [String] = text.split(separator: "\n").map(String.init)
            if rel.hasSuffix("classic-attacks.json") {
                let doc = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
                records = try (doc?["Records"] as? [Any] ?? []).map {
                    String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self)
                }
            }
            for (i, r) in records.enumerated() {
                let result = Array(r.utf8).withUnsafeBytes { d.decode($0, origin: Origin(path: rel, record: i + 1)) }
                if case .event(let e) = result { out.append(e) }
            }
        }
        return out
    }

    static var sharedRules: URL { root.deletingLastPathComponent().appendingPathComponent("shared/sigma/rules") }

    @Test func prefilterNeverTurnsAwayAMatch() throws {
        var rules = try Self.rules(under: Self.root.appendingPathComponent("detectors/rules"))
        if FileManager.default.fileExists(atPath: Self.sharedRules.path) {
            rules += try Self.rules(under: Self.sharedRules)
        } else {
            print("SigmaPrefilterTests: ../shared/sigma/rules is absent; checking the bundled pack only")
        }
        let events = try Self.events()
        #expect(events.count > 60)
        #expect(rules.count > 10)
        var turnedAway = 0
        var matched = 0
        for rule in rules {
            for e in events {
                let raw = try #require(e.raw)
                let full = rule.matches(raw: raw.buffer)
                if full { matched += 1 }
                if !rule.prefilter.admits(e) {
                    turnedAway += 1
                    #expect(!full, "prefilter turned away a match: \(rule.title) on \(e.eventId)")
                }
                #expect(rule.matches(e) == full, "\(rule.title) on \(e.eventId)")
            }
        }
        #expect(matched > 0)
        #expect(turnedAway > 0)
    }

    @Test func requirementsComeFromTheCondition() throws {
        let text = """
            title: root
            logsource: {product: aws, service: cloudtrail}
            detection:
              selection: {userIdentity.type: Root, eventSource: [iam.amazonaws.com, sts.amazonaws.com]}
              filter: {eventType: AwsServiceEvent}
              condition: selection and not filter
            level: high
            """
        let rule = try #require(SigmaLoader.load(texts: [("r.yml", text)]).rules.first?.rule)
        let fields = rule.prefilter.requirements.map { "\($0.0)" }.sorted()
        #expect(fields == ["eventSource"])
        // The identity type is required as an enum, compared without text.
        #expect(rule.prefilter.identityTypes == [.root])
        let either = """
            title: either
            logsource: {product: aws, service: cloudtrail}
            detection:
              a: {userIdentity.type: Root}
              b: {eventSource: iam.amazonaws.com}
              condition: a or b
            level: high
            """
        let loose = try #require(SigmaLoader.load(texts: [("e.yml", either)]).rules.first?.rule)
        #expect(loose.prefilter.requirements.isEmpty)
        #expect(loose.prefilter.tests.isEmpty)
        let agent = """
            title: agent
            logsource: {product: aws, service: cloudtrail}
            detection:
              selection: {userAgent|contains: TruffleHog}
              condition: selection
            level: high
            """
        let scanner = try #require(SigmaLoader.load(texts: [("a.yml", agent)]).rules.first?.rule)
        #expect(scanner.prefilter.tests.map { "\($0.0)" } == ["userAgent"])
        #expect(SigmaPrefilter.holds(scanner.prefilter.tests[0].1, "trufflehog/3.63 go"))
        #expect(!SigmaPrefilter.holds(scanner.prefilter.tests[0].1, "aws-cli/2.15"))
    }
}

/// Members are read on demand; a test that fails on the first member that leads still sees the
/// later ones (a repeated key, a key that holds the dotted path whole).
@Suite struct SigmaLazyRecordTests {
    static let rule = """
        title: lazy
        logsource: {product: aws, service: cloudtrail}
        detection:
          selection: {userIdentity.type: Root}
          condition: selection
        level: high
        """

    @Test(arguments: [
        (#"{"userIdentity":{"type":"Root"}}"#, true),
        (#"{"userIdentity":{"type":"IAMUser"},"userIdentity":{"type":"Root"}}"#, true),
        (#"{"userIdentity":{"type":"IAMUser"},"userIdentity.type":"Root"}"#, true),
        (#"{"userIdentity":{"type":"IAMUser"},"eventName":"X"}"#, false),
        (#"{"userIdentity":{"type":"IAMUser"},"#, false),
        (#"[1,2]"#, false),
    ])
    func laterMembersAreStillSeen(_ json: String, _ expected: Bool) throws {
        let rule = try #require(SigmaLoader.load(texts: [("r.yml", Self.rule)]).rules.first?.rule)
        let hit = Array(json.utf8).withUnsafeBytes { rule.matches(raw: $0) }
        #expect(hit == expected)
    }
}
