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

    /// The tests of a rule that is one selection of one map over vouched fields only (the hunting
    /// rule on every assumed-role call): decided from the decoded identity, with no condition to walk.
    let vouchedOnly: [SigmaFieldTest]?

    init(provider: Provider, selections: [SigmaSelection], condition: SigmaCondition) {
        self.provider = provider
        self.selections = selections
        self.condition = condition
        self.prefilter = SigmaPrefilter(condition, selections, provider: provider)
        if case .ref(let i) = condition, selections[i].alternatives.count == 1,
            !selections[i].alternatives[0].isEmpty, selections[i].alternatives[0].allSatisfy(\.isVouched)
        {
            vouchedOnly = selections[i].alternatives[0]
        } else {
            vouchedOnly = nil
        }
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
        guard let raw = event.raw else { return false }
        var lazy = SigmaLazyRecord(raw)
        return matches(event, SigmaLogged.of(event), &lazy)
    }

    /// True when the event, whose record `lazy` reads on first use, satisfies the condition.
    func matches(_ event: Event, _ logged: SigmaLogged, _ lazy: inout SigmaLazyRecord) -> Bool {
        guard event.provider == provider, prefilter.admits(event, logged) else { return false }
        if let vouchedOnly, let held = Self.decide(vouchedOnly, logged) { return held }
        let hit = evaluate { selections[$0].matches(logged, &lazy) }
        // A record that is not an object matches no rule. (One decided on vouched fields alone was
        // decoded as a CloudTrail object, so it is one.)
        return hit && !lazy.unreadable
    }
}

extension SigmaMatcher {
    /// All of `tests` on the decoded identity; nil when one of them is not vouched for this event.
    static func decide(_ tests: [SigmaFieldTest], _ logged: SigmaLogged) -> Bool? {
        var held = true
        for t in tests {
            guard let d = t.decided(logged) else { return nil }
            held = held && d
        }
        return held
    }
}

/// The event's record as the rules read it, parsed on first use: shared through `RawRecord.memo`
/// when it comes from `Event.raw`, kept in the struct (passed `inout` from rule to rule) when the
/// decoder hands over the record's bytes. A rule evaluation allocates nothing for it.
struct SigmaLazyRecord {
    private let raw: RawRecord?
    private let bytes: UnsafeRawBufferPointer
    private var parsed: SigmaRecord?
    private var tried = false
    /// Set when the record was needed and is not a JSON object.
    private(set) var unreadable = false

    /// The record of `Event.raw`.
    init(_ raw: RawRecord) {
        self.raw = raw
        self.bytes = raw.buffer
    }

    /// A record's bytes, valid while this value is used.
    init(bytes: UnsafeRawBufferPointer) {
        self.raw = nil
        self.bytes = bytes
    }

    /// The record; nil when it is not a JSON object.
    mutating func record() -> SigmaRecord? {
        guard let raw else { return local() }
        if let record = raw.memo as? SigmaRecord { return record }
        if raw.memo is NotAnObject {
            unreadable = true
            return nil
        }
        guard let record = SigmaRecord.read(bytes) else {
            raw.memo = NotAnObject.shared
            unreadable = true
            return nil
        }
        raw.memo = record
        return record
    }

    private mutating func local() -> SigmaRecord? {
        if !tried {
            tried = true
            parsed = SigmaRecord.read(bytes)
        }
        if parsed == nil { unreadable = true }
        return parsed
    }
}

/// `RawRecord.memo` of a raw record that is not a JSON object (no rule can match it).
final class NotAnObject: Sendable {
    static let shared = NotAnObject()
}
