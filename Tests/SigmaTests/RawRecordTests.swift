import Baselines
import Detection
import EventModel
import Formats
import Foundation
import Testing

/// The decoders keep a raw record only when a rule may read it, and for wrapped records keep
/// the inner provider record; the engine routes by provider and by case-folded operation.
@Suite("Raw records and rule routing")
struct RawRecordTests {
    static let trail =
        #"{"eventVersion":"1.09","eventTime":"2026-11-02T10:00:00Z","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"Mozilla","eventID":"e1","eventType":"AwsConsoleSignIn","recipientAccountId":"111122223333","userIdentity":{"type":"Root","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333"},"additionalEventData":{"MFAUsed":"No"}}"#

    static func decode(_ json: String, _ interest: RawInterest) -> [Event] {
        var d = RecordDecoder(rawInterest: interest)
        var b = Array(json.utf8)
        let r = b.withUnsafeMutableBytes { d.decode(UnsafeRawBufferPointer($0), origin: Origin(path: "t", record: 1)) }
        switch r {
        case .event(let e): return [e]
        case .batch(let list):
            return list.compactMap {
                if case .event(let e) = $0 { return e }
                return nil
            }
        default: return []
        }
    }

    static func interest(_ ops: [String]) -> RawInterest {
        var i = RawInterest()
        i.add(.aws, operations: ops)
        return i
    }

    @Test func rawIsKeptOnlyWhenARuleMayReadIt() throws {
        #expect(Self.decode(Self.trail, .none).first?.raw == nil)
        #expect(Self.decode(Self.trail, Self.interest(["CreateUser"])).first?.raw == nil)
        let e = try #require(Self.decode(Self.trail, Self.interest(["consolelogin"])).first)
        #expect(e.raw.map { String(decoding: $0.bytes, as: UTF8.self) } == Self.trail)
        var gcpOnly = RawInterest()
        gcpOnly.addAll(.gcp)
        #expect(Self.decode(Self.trail, gcpOnly).first?.raw == nil)
    }

    @Test func wrappersKeepTheInnerRecord() throws {
        let bridge =
            #"{"version":"0","id":"x","detail-type":"AWS Console Sign In via CloudTrail","source":"aws.signin","account":"111122223333","time":"2026-11-02T10:00:00Z","region":"us-east-1","detail":"#
            + Self.trail + "}"
        let e = try #require(Self.decode(bridge, Self.interest(["ConsoleLogin"])).first)
        #expect(e.raw.map { String(decoding: $0.bytes, as: UTF8.self) } == Self.trail)
        let quoted = String(
            decoding: try JSONSerialization.data(withJSONObject: [Self.trail], options: []), as: UTF8.self)
        let message = String(quoted.dropFirst().dropLast())
        let batch =
            #"{"messageType":"DATA_MESSAGE","owner":"111122223333","logGroup":"trail","logStream":"s","subscriptionFilters":["f"],"logEvents":[{"id":"1","timestamp":1793613600000,"message":"#
            + message + "}]}"
        let b = try #require(Self.decode(batch, Self.interest(["ConsoleLogin"])).first)
        #expect(b.raw.map { String(decoding: $0.bytes, as: UTF8.self) } == Self.trail)
    }

    @Test func rawIsNotEncoded() throws {
        let e = try #require(Self.decode(Self.trail, Self.interest(["ConsoleLogin"])).first)
        let text = String(decoding: try JSONEncoder().encode(e), as: UTF8.self)
        // The record's own `eventVersion` is nowhere in the normalized event, so it would show the raw record.
        #expect(!text.contains("eventVersion"))
        #expect(!text.contains("1.09"))
        #expect(text.contains("ConsoleLogin"))
    }

    final class Probe: Detector {
        let id = "test.probe"
        let interest: Interest
        var seen: [String] = []
        init(_ interest: Interest) { self.interest = interest }
        func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
            seen.append(event.action.operation)
        }
    }

    @Test func engineRoutesByProviderAndFoldedOperation() throws {
        let folded = Probe(.operationsIgnoringCase(["CONSOLELOGIN"]))
        let gcp = Probe(.provider(.gcp))
        let aws = Probe(.provider(.aws))
        let engine = DetectionEngine(
            detectors: [folded, gcp, aws].map {
                LoadedDetector(
                    spec: DetectorSpec(id: "test.\(ObjectIdentifier($0).hashValue)", severity: .low), detector: $0)
            }, baselines: BaselineStore(configuration: BaselineConfiguration()))
        for e in Self.decode(Self.trail, .none) { engine.process(e) { _ in } }
        #expect(folded.seen == ["ConsoleLogin"])
        #expect(aws.seen == ["ConsoleLogin"])
        #expect(gcp.seen.isEmpty)
    }

    @Test func caseFoldedKeysCompareWithoutCase() {
        #expect(CaseFoldedKey("ConsoleLogin") == CaseFoldedKey("consolelogin"))
        #expect(CaseFoldedKey("ConsoleLogin").hashValue == CaseFoldedKey("CONSOLELOGIN").hashValue)
        #expect(CaseFoldedKey("ConsoleLogin") != CaseFoldedKey("ConsoleLogin2"))
        #expect(CaseFoldedKey("a[") != CaseFoldedKey("a{"))
        // Hashed eight bytes at a time: keys around and across a word boundary.
        for name in ["GetObjec", "GetObject", "DescribeInstances", "AssumeRoleWithWebIdentity", ""] {
            #expect(CaseFoldedKey(name).hashValue == CaseFoldedKey(name.uppercased()).hashValue, "\(name)")
            #expect(CaseFoldedKey(name) == CaseFoldedKey(name.lowercased()))
        }
        let keys = Set(
            ["ListBuckets", "ListBucketz", "listbuckets", "ListBucket", "ListBuckets\u{0}"].map(CaseFoldedKey.init))
        #expect(keys.count == 4)
    }

    /// The gate in front of the map never turns away a key it holds, in any case, and names no
    /// key hold nothing; random names compared with a plain dictionary of lowercased keys.
    @Test func caseFoldedIndexAgreesWithAPlainMap() {
        var rng = SystemRandomNumberGenerator()
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:_")
        func name(_ n: Int) -> String { String((0..<n).map { _ in letters.randomElement(using: &rng)! }) }
        var keys: [String: Int] = [:]
        for i in 0..<400 { keys[name(Int.random(in: 1...24, using: &rng)), default: i] = i }
        let index = CaseFoldedIndex(Dictionary(keys.map { (CaseFoldedKey($0.key), $0.value) }) { a, _ in a })
        let plain = Dictionary(keys.map { ($0.key.lowercased(), $0.value) }) { a, _ in a }
        for k in keys.keys {
            #expect(index[k] == plain[k.lowercased()], "\(k)")
            #expect(index[k.uppercased()] == plain[k.lowercased()], "\(k)")
        }
        for _ in 0..<4000 {
            let probe = name(Int.random(in: 0...24, using: &rng))
            #expect(index[probe] == plain[probe.lowercased()], "\(probe)")
        }
        #expect(index[""] == nil)
        #expect(CaseFoldedIndex<Int>([:]).isEmpty)
    }

    /// Verdicts keep their rules ascending and distinct however they arrive, one hit or many, and
    /// two verdicts with the same rules are equal.
    @Test func ruleHitsHoldAnyNumberOfRules() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let picked = (0..<Int.random(in: 0...6, using: &rng)).map { _ in UInt32.random(in: 0..<12, using: &rng) }
            var hits = RuleHits(set: 9)
            for r in picked { hits.insert(r) }
            let expected = Array(Set(picked)).sorted()
            #expect(hits.rules == expected, "\(picked)")
            for r in UInt32(0)..<12 { #expect(hits.contains(r) == expected.contains(r), "\(picked) \(r)") }
            #expect(hits == RuleHits(set: 9, rules: picked.reversed()))
        }
        #expect(RuleHits(set: 1, rules: [3]) != RuleHits(set: 1, rules: [3, 4]))
        #expect(RuleHits(set: 1, rules: [3]) != RuleHits(set: 2, rules: [3]))
    }
}
