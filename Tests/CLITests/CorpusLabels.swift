import Foundation

/// One labelled attack of a generated corpus: who did it, which events are it, which detectors
/// must fire.
struct LabelledAttack: Decodable {
    /// Its name (the sources' labels name each attack; the CloudTrail scenarios have one each).
    var name: String?
    var identity_keys: [String]
    var expected_detectors: [String]
    var event_ids: [String]
}

/// One malformed input file: the diagnostic codes it must give and the good events it still holds.
struct MalformedCase: Decodable {
    var file: String
    var expected_codes: [String]
    var good_event_ids: [String]
}

/// Labels written by tools/gen_corpora.py next to each CloudTrail scenario.
struct ScenarioLabels: Decodable {
    struct Expectations: Decodable { var max_severity_outside_attacks: String }
    var attacks: [LabelledAttack]
    var expectations: Expectations?
}

/// Labels written by tools/gen_sources.py (corpora/<format>/labels.json).
struct SourceLabels: Decodable {
    var format: String
    var attacks: [LabelledAttack]
    var malformed: [MalformedCase]
}

/// Malformed-input cases (corpora/cloudtrail/malformed/cases.json).
struct MalformedCases: Decodable {
    var cases: [MalformedCase]
}
