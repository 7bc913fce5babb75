import Baselines
import Config
import Detection
import Detectors
import EventModel
import Foundation
import TestSupport
import Testing

/// What every rule detector must do with an event that fires: a finding at the
/// detector's severity naming the identity, with facts; a failed attempt at
/// `failed_severity`; suppression by a matching allow-list entry (identity or key)
/// but not by an expired one; repeats folded by the dedup window into a follow-up
/// carrying the count.
func checkCommonBehaviour(
    _ id: String, severity: Severity, key: String,
    sample: (_ minute: Int, _ error: String) -> Event
) throws {
    let first = sample(0, "")
    let name = first.identity.displayName

    let h = try Harness(id)
    #expect(h.issues.isEmpty, "\(h.issues)")
    let fired = h.run(first)
    try #require(fired.count == 1, "expected one finding from \(id)")
    let f = fired[0]
    #expect(f.detector == id)
    #expect(f.severity == severity)
    #expect(f.key == key)
    #expect(f.identity == first.identity.key)
    #expect(f.account == first.account)
    #expect(f.title.hasPrefix(name + " "), "title: \(f.title)")
    #expect(!f.title.contains("\n"))
    #expect(f.explanation.contains(first.action.operation))
    #expect(f.explanation.contains("203.0.113.7"))
    #expect(f.explanation.contains("us-east-1"))
    #expect(!f.mitre.isEmpty)
    #expect(f.fact("operation") == first.action.operation)
    #expect(f.fact("source_ip") == "203.0.113.7")
    #expect(f.fact("region") == "us-east-1")
    #expect(f.fact("user_agent_family") == first.userAgent.family.rawValue)
    #expect(f.fact("target") != nil)
    #expect(f.fact("error_code") == nil)
    #expect(f.eventIds == [first.eventId])

    let failed = try Harness(id).run(sample(0, "AccessDenied"))
    try #require(failed.count == 1, "a failed attempt is a finding too")
    #expect(failed[0].severity == min(severity, .low))
    #expect(failed[0].title.contains("tried to"))
    #expect(failed[0].explanation.contains("AccessDenied"))
    #expect(failed[0].fact("error_code") == "AccessDenied")

    let allowed = try Harness(
        id, edit: withAllowlist("  - identity: \"arn:aws:iam::*:role/\(name)\"", "    reason: deployment pipeline"))
    #expect(allowed.issues.isEmpty, "\(allowed.issues)")
    #expect(allowed.run(sample(0, "")).isEmpty)
    #expect(allowed.engine.stats.allowlisted == 1)

    let byResource = try Harness(id, edit: withAllowlist("  - resource: \"\(key)\"", "    reason: known"))
    #expect(byResource.run(sample(0, "")).isEmpty)

    let expired = try Harness(
        id,
        edit: withAllowlist(
            "  - identity: \"arn:aws:iam::*:role/\(name)\"", "    reason: old exception", "    expires: 2025-06-30"))
    #expect(expired.issues.isEmpty, "\(expired.issues)")
    #expect(expired.run(sample(0, "")).count == 1)

    let dedup = try Harness(id)
    #expect(dedup.run(sample(0, ""), sample(10, ""), sample(20, "")).count == 1)
    let followUps = dedup.finish()
    try #require(followUps.count == 1)
    #expect(followUps[0].count == 2)
    #expect(followUps[0].title.contains("repeated 2×"))
    #expect(followUps[0].fact("repeat_count") == "2")
    #expect(dedup.engine.stats.folded == 2)
}
