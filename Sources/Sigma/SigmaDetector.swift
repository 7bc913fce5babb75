import Detection
import EventModel

/// A Sigma rule run as a detector: the engine routes it the events its index allows (provider and
/// required operations), it resolves the rule's fields from `Event.raw` and raises one signal per
/// matching event, worded like the built-in rule detectors (who did what, from where), with the
/// rule's `falsepositives` in the explanation and its `id` and file in the facts.
public final class SigmaDetector: Detector {
    /// The compiled rule.
    public let rule: SigmaRule
    /// Detector id (the rule's `name:`, or `sigma.<slug of title>`).
    public let id: String
    /// Provider and operations the rule requires.
    public let interest: Interest

    /// Wraps a rule under detector id `id`.
    public init(rule: SigmaRule, id: String) {
        self.rule = rule
        self.id = id
        self.interest = rule.interest
    }

    /// Raises a signal when the event's raw record satisfies the rule.
    public func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
        guard rule.matches(event) else { return }
        signals.append(signal(for: event, severity: context.spec.severity))
    }

    /// The signal for a matching event.
    func signal(for event: Event, severity: Severity) -> Signal {
        let target = event.resources.first?.id ?? event.action.operation
        var details: [String] = []
        if !rule.description.isEmpty { details.append("Rule: \(RuleText.bounded(rule.description, 600))") }
        if !rule.falsePositives.isEmpty {
            details.append("False positives: \(RuleText.list(rule.falsePositives)).")
        }
        var facts = [Fact("rule_title", rule.title)]
        if !rule.ruleId.isEmpty { facts.append(Fact("rule_id", rule.ruleId)) }
        facts.append(Fact("rule_file", RuleText.bounded(rule.file, 300)))
        let hit = RuleHit(
            severity: severity, past: "performed", base: "perform",
            object: "\(RuleText.bounded(event.action.operation, 120)) matching rule \"\(rule.title)\"",
            target: target, key: event.action.operation, details: details, facts: facts,
            why: "Rule level: \(rule.level).", mitre: rule.mitre)
        return hit.signal(for: event)
    }
}
