import Detection
import EventModel

/// A Sigma rule run as a detector: the engine routes it the events its index allows (provider and
/// required operations), it takes the decoder's verdict (`Event.ruleHits`) or resolves the rule's
/// fields from `Event.raw`, and raises one signal per matching event, worded like the built-in
/// rule detectors (who did what, from where), with the rule's `falsepositives` in the explanation
/// and its `id` and file in the facts.
public final class SigmaDetector: Detector {
    /// The compiled rule.
    public let rule: SigmaRule
    /// Detector id (the rule's `name:`, or `sigma.<slug of title>`).
    public let id: String
    /// Provider and operations the rule requires.
    public let interest: Interest
    /// The rule's description and false positives as explanation sentences (built once: a
    /// broad rule may fire on most events).
    private let details: [String]
    private let ruleFacts: [Fact]
    /// The explanation of a repeat after its operation, built once.
    private let repeatTail: String

    /// The rule set that decides this rule in the decoders and the rule's number in it
    /// (`SigmaRuleSet.prematcher`); nil when the rule reads `Event.raw` itself.
    public let prematched: (set: UInt64, index: UInt32)?

    /// Wraps a rule under detector id `id`; `prematched` names the set that decides it in the decoders.
    public init(rule: SigmaRule, id: String, prematched: (set: UInt64, index: UInt32)? = nil) {
        self.rule = rule
        self.id = id
        self.prematched = prematched
        self.interest = rule.interest
        var details: [String] = []
        if !rule.description.isEmpty { details.append("Rule: \(RuleText.bounded(rule.description, 600))") }
        if !rule.falsePositives.isEmpty {
            details.append("False positives: \(RuleText.list(rule.falsePositives)).")
        }
        self.details = details
        self.repeatTail =
            " matched rule \"\(rule.title)\" again within its dedup window. " + details.joined(separator: " ")
        var facts = [Fact("rule_title", rule.title)]
        if !rule.ruleId.isEmpty { facts.append(Fact("rule_id", rule.ruleId)) }
        facts.append(Fact("rule_file", RuleText.bounded(rule.displayFile.isEmpty ? rule.file : rule.displayFile, 300)))
        self.ruleFacts = facts
    }

    /// When a full signal was last built per identity. A repeat within the dedup window is folded
    /// by the engine into that finding, which keeps only its count, key, times and evidence, so a
    /// broad rule that fires on most events (a hunting rule) builds its wording once per window,
    /// not once per event. Bounded: cleared when it reaches `maxRecent` identities.
    /// Neither this nor `repeatExplanations` is checked for exclusive access at run time: a
    /// detector belongs to one engine, on one thread, and each check was a runtime call per event.
    @exclusivity(unchecked) private var recent: [UInt64: Recent] = [:]
    /// A full signal's time and short title, under the identity's `keyHash` (its key confirms a hit).
    private struct Recent {
        var time: Int64
        var title: String
        var key: String
    }
    /// Repeat explanations by operation (see `repeatExplanation`).
    @exclusivity(unchecked) private var repeatExplanations: [String: String] = [:]
    static let maxRecent = 4096

    /// Raises a signal when the event's record satisfies the rule: the decoder's verdict when its
    /// set decided the event, else the rule run on `Event.raw`.
    public func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
        guard matches(event) else { return }
        let window = context.spec.dedupWindow
        // The identity's fields are read in place: a copy of it would retain each of its strings.
        let hash = event.identity.keyHash
        if window > 0, let seen = recent[hash], seen.key == event.identity.key, event.time >= seen.time,
            event.time - seen.time <= window
        {
            signals.append(leanRepeat(for: event, severity: context.spec.severity))
            return
        }
        if recent.count >= Self.maxRecent { recent.removeAll(keepingCapacity: true) }
        recent[hash] = Recent(time: event.time, title: repeatTitle(event.identity), key: event.identity.key)
        signals.append(signal(for: event, severity: context.spec.severity))
    }

    /// True when the rule matches the event.
    func matches(_ event: Event) -> Bool {
        if let prematched, let hits = event.ruleHits, hits.set == prematched.set {
            return hits.contains(prematched.index)
        }
        return rule.matches(event)
    }

    /// A repeat within the window without its words (`Signal.wordingDeferred`): the engine folds
    /// it into the finding of the first, and asks `word(_:for:)` for the words only if it does not.
    func leanRepeat(for event: Event, severity: Severity) -> Signal {
        let operation = event.action.operation
        var s = Signal(
            severity: severity, title: "", explanation: "", key: operation, failedAttempt: !event.outcome.isSuccess,
            resource: event.resources.first?.id ?? operation)
        s.wordingDeferred = true
        return s
    }

    /// The words of a repeat raised by `leanRepeat`: `repeatSignal` with the title of the
    /// identity's last full signal (still in `recent`: the engine asks while the event is current).
    public func word(_ signal: Signal, for event: Event) -> Signal {
        guard signal.wordingDeferred else { return signal }
        let seen = recent[event.identity.keyHash]
        let title = seen.flatMap { $0.key == event.identity.key ? $0.title : nil } ?? repeatTitle(event.identity)
        return repeatSignal(for: event, title: title, severity: signal.severity)
    }

    /// The title of `identity`'s repeats: `<name> matched rule "<title>"`.
    private func repeatTitle(_ identity: Identity) -> String {
        "\(RuleText.name(identity)) matched rule \"\(rule.title)\""
    }

    /// A repeat within the window: the same severity, key, resource and evidence as `signal(for:)`,
    /// with short wording built from parts made once (it is folded; if it is not, because the risk
    /// correlator raised it, it still reads as the rule's finding and carries the rule's facts).
    func repeatSignal(for event: Event, title: String, severity: Severity) -> Signal {
        let operation = event.action.operation
        return Signal(
            severity: severity, title: title, explanation: repeatExplanation(operation),
            facts: ruleFacts, mitre: rule.mitre, key: operation, failedAttempt: !event.outcome.isSuccess,
            resource: event.resources.first?.id ?? operation)
    }

    /// The explanation of a repeat of `operation`, made once per operation (a hunting rule repeats on
    /// most events, and the text is a few hundred bytes). Bounded like `recent`.
    private func repeatExplanation(_ operation: String) -> String {
        if let known = repeatExplanations[operation] { return known }
        if repeatExplanations.count >= Self.maxRecent { repeatExplanations.removeAll(keepingCapacity: true) }
        let text = RuleText.bounded(operation, 120) + repeatTail
        repeatExplanations[operation] = text
        return text
    }

    /// The signal for a matching event.
    func signal(for event: Event, severity: Severity) -> Signal {
        let target = event.resources.first?.id ?? event.action.operation
        let hit = RuleHit(
            severity: severity, past: "performed", base: "perform",
            object: "\(RuleText.bounded(event.action.operation, 120)) matching rule \"\(rule.title)\"",
            target: target, key: event.action.operation, details: details, facts: ruleFacts,
            why: "Rule level: \(rule.level).", mitre: rule.mitre)
        return hit.signal(for: event)
    }
}
