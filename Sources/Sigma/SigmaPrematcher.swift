import EventModel

/// The enabled rules of a rule set, run by the decoders (see `RawInterest.prematcher`): each
/// wanted record is matched while its bytes are at hand, on the decoding threads, and the event
/// carries the verdicts (`Event.ruleHits`) instead of a copy of the record. A rule's detector then
/// reads its verdict and does no matching on the detection thread.
///
/// Routing is the engine's: a rule is tried on the events of its provider that perform one of its
/// operations (compared ASCII-case-insensitively), or on every event of its provider when it names
/// none. Immutable, so every decoding thread shares one.
public final class SigmaPrematcher: RecordPrematcher {
    /// Random, so verdicts of a set built before a reload never pass for this one's.
    public let serial: UInt64
    private let matchers: [SigmaMatcher]
    /// `matchers`, unretained (kept alive by `matchers`): a class read out of an array is
    /// retained and released around each call, several rules per event on every decoding thread.
    private let unretained: [Unmanaged<SigmaMatcher>]
    /// Rules that name no operation, by provider (`Provider.ordinal`).
    private let broad: [[UInt32]]
    /// Rules by each operation they name (folded), for every provider (the matcher checks its own).
    private let byOperation: CaseFoldedIndex<[UInt32]>

    /// A set over `rules`, numbered in order (index `i` is `rules[i]`).
    init(_ rules: [SigmaRule]) {
        serial = UInt64.random(in: 1...UInt64.max)
        matchers = rules.map(\.matcher)
        unretained = matchers.map { .passUnretained($0) }
        var broad = [[UInt32]](repeating: [], count: Provider.allCases.count)
        var byOperation: [CaseFoldedKey: [UInt32]] = [:]
        for (i, r) in rules.enumerated() {
            if let ops = r.operations {
                for op in ops { byOperation[CaseFoldedKey(op), default: []].append(UInt32(i)) }
            } else {
                broad[Int(r.provider.ordinal)].append(UInt32(i))
            }
        }
        self.broad = broad
        self.byOperation = CaseFoldedIndex(byOperation.mapValues { Array(Set($0)).sorted() })
    }

    /// Number of rules in the set.
    public var count: Int { matchers.count }

    /// The rules routed to the event that match it, by number; each rule's prefilter runs first
    /// and the record is parsed at most once, by the first rule that needs a field of it.
    public func match(_ event: Event, record: UnsafeRawBufferPointer) -> RuleHits {
        let logged = SigmaLogged.of(event)
        var lazy = SigmaLazyRecord(bytes: record)
        var hits = RuleHits(set: serial)
        for i in broad[Int(event.provider.ordinal)] where matches(i, event, logged, &lazy) { hits.insert(i) }
        if !byOperation.isEmpty, let list = byOperation[event.action.operation] {
            for i in list where matches(i, event, logged, &lazy) { hits.insert(i) }
        }
        return hits
    }

    private func matches(_ i: UInt32, _ event: Event, _ logged: SigmaLogged, _ lazy: inout SigmaLazyRecord) -> Bool {
        unretained[Int(i)]._withUnsafeGuaranteedRef { $0.matches(event, logged, &lazy) }
    }
}
