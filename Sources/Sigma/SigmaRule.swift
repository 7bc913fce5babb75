import ByteJSON
import Detection
import EventModel

/// A Sigma rule compiled for matching: its metadata, the provider it routes to, its search
/// identifiers and condition, and the index entries derived from them (the operations an event
/// must have for the rule to possibly match).
public struct SigmaRule: Sendable {
    /// File the rule was read from (as found: diagnostics name it).
    public let file: String
    /// The file as findings name it (`rule_file`): relative to the rules directory it was loaded
    /// from, under that directory's name (`rules/aws/root_activity.yml`), so the same rule gives the
    /// same finding wherever the tree is installed.
    public var displayFile: String = ""
    /// Line and column of the rule's `title` (1-based).
    public let line: Int
    /// Column of `title`.
    public let column: Int
    /// `title`.
    public let title: String
    /// `id` (a UUID in SigmaHQ rules; "" when absent).
    public let ruleId: String
    /// The custom top-level `name:` (the project's detector id), when present.
    public let name: String?
    /// `description`.
    public let description: String
    /// `falsepositives`.
    public let falsePositives: [String]
    /// `references`.
    public let references: [String]
    /// `level` as written.
    public let level: String
    /// Severity from `level` (informational → info).
    public let severity: Severity
    /// MITRE ATT&CK technique ids from `tags: attack.tNNNN[.NNN]`, sorted.
    public let mitre: [String]
    /// Provider of the `logsource`.
    public let provider: Provider
    /// Operations (folded) an event must perform to possibly match; nil when any event of the provider may.
    public let operations: Set<String>?
    /// The compiled detection, behind one reference: the per-event path reaches it without
    /// copying the rule (a struct of a dozen strings and arrays).
    let matcher: SigmaMatcher
    var selections: [SigmaSelection] { matcher.selections }
    var condition: SigmaCondition { matcher.condition }
    /// What the event's normalized fields must be for the rule to possibly match.
    var prefilter: SigmaPrefilter { matcher.prefilter }

    /// Which events the engine routes to the rule.
    public var interest: Interest {
        operations.map { .operationsIgnoringCase($0) } ?? .provider(provider)
    }

    /// Which raw records the decoders must keep for the rule.
    public var rawInterest: RawInterest {
        var r = RawInterest()
        if let operations { r.add(provider, operations: operations) } else { r.addAll(provider) }
        return r
    }

    /// True when the raw record (bytes of one JSON object) satisfies the condition.
    public func matches(raw: UnsafeRawBufferPointer) -> Bool {
        guard let record = SigmaRecord.read(raw) else { return false }
        return matcher.matches(record)
    }

    /// True when the record, its top-level members read already, satisfies the condition.
    func matches(_ record: SigmaRecord) -> Bool { matcher.matches(record) }

    /// True when `event` carries a raw record that satisfies the condition (see `SigmaMatcher`).
    public func matches(_ event: Event) -> Bool { matcher.matches(event) }
}

/// A rule's compiled detection: search identifiers, condition and prefilter.
final class SigmaMatcher: Sendable {
    let provider: Provider
    let selections: [SigmaSelection]
    let condition: SigmaCondition
    let prefilter: SigmaPrefilter

    init(provider: Provider, selections: [SigmaSelection], condition: SigmaCondition) {
        self.provider = provider
        self.selections = selections
        self.condition = condition
        self.prefilter = SigmaPrefilter(condition, selections, provider: provider)
    }

    /// True when the record, its top-level members read already, satisfies the condition.
    func matches(_ record: SigmaRecord) -> Bool {
        evaluate { selections[$0].matches(record) }
    }

    /// The condition over selections decided by `selection`, each at most once.
    private func evaluate(_ selection: (Int) -> Bool) -> Bool {
        // Each selection is decided once; bits rather than an array, so a rule evaluation allocates nothing.
        guard selections.count <= 64 else { return condition.evaluate(selection) }
        var known: UInt64 = 0
        var held: UInt64 = 0
        return condition.evaluate { i in
            let bit: UInt64 = 1 << UInt64(i)
            if known & bit != 0 { return held & bit != 0 }
            known |= bit
            guard selection(i) else { return false }
            held |= bit
            return true
        }
    }

    /// True when `event` carries a raw record that satisfies the condition.
    /// Tests on fields the decoder vouches for (`userIdentity.type`, `…sessionIssuer.type`) are
    /// decided on the decoded identity; the record is parsed only when another test needs it.
    /// Its top-level members are then read once per event and kept in `RawRecord.memo`, so
    /// every rule that reads the event shares that one pass.
    func matches(_ event: Event) -> Bool {
        guard event.provider == provider, let raw = event.raw, prefilter.admits(event) else { return false }
        let logged = SigmaLogged.of(event)
        var lazy = SigmaLazyRecord(raw)
        let hit = evaluate { selections[$0].matches(logged, &lazy) }
        // A record that is not an object matches no rule. (One decided on vouched fields alone was
        // decoded as a CloudTrail object, so it is one.)
        return hit && !lazy.unreadable
    }
}

/// The event's record as the rules read it, parsed on first use and shared through
/// `RawRecord.memo` (a struct passed `inout`, so a rule evaluation allocates nothing for it).
struct SigmaLazyRecord {
    let raw: RawRecord
    /// Set when the record was needed and is not a JSON object.
    private(set) var unreadable = false

    init(_ raw: RawRecord) { self.raw = raw }

    /// The record; nil when it is not a JSON object.
    mutating func record() -> SigmaRecord? {
        if let record = raw.memo as? SigmaRecord { return record }
        if raw.memo is NotAnObject {
            unreadable = true
            return nil
        }
        guard let record = SigmaRecord.read(raw.buffer) else {
            raw.memo = NotAnObject.shared
            unreadable = true
            return nil
        }
        raw.memo = record
        return record
    }
}

/// `RawRecord.memo` of a raw record that is not a JSON object (no rule can match it).
final class NotAnObject: Sendable {
    static let shared = NotAnObject()
}
