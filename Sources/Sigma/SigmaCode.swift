/// Stable diagnostic codes of rule loading (`trailhound validate`). Warnings skip the one rule
/// (third-party rules the engine cannot honour); errors are in the project's own config.
public enum SigmaCode {
    /// A rule file is not valid YAML or not a mapping.
    public static let yaml = "rule.yaml"
    /// A rule file cannot be read.
    public static let unreadable = "rule.unreadable"
    /// A required key (`title`, `logsource`, `detection`, `condition`) is missing.
    public static let missingKey = "rule.missing_key"
    /// A key has the wrong type (a list where a mapping belongs, …).
    public static let type = "rule.type"
    /// A top-level key Sigma does not define (allowed as a custom field; a warning only).
    public static let unknownKey = "rule.unknown_key"
    /// A `logsource` that names no provider this build reads.
    public static let logsource = "rule.logsource"
    /// A value modifier this engine does not implement.
    public static let modifier = "rule.modifier"
    /// A condition that cannot be parsed or names an undefined identifier.
    public static let condition = "rule.condition"
    /// An aggregation (`| count()`, `| near`) in the condition.
    public static let aggregation = "rule.aggregation"
    /// A correlation rule, a filter, or a multi-document rule collection.
    public static let correlation = "rule.correlation"
    /// `timeframe:` (a window the stateless rule engine cannot keep).
    public static let timeframe = "rule.timeframe"
    /// A field the provider's records never have, so the rule could never match.
    public static let unknownField = "rule.unknown_field"
    /// A regular expression that does not compile.
    public static let regex = "rule.regex"
    /// A value that cannot be used (bad CIDR, not a number for `gt`, too long).
    public static let value = "rule.value"
    /// Two rules with the same detector id; the later one is skipped.
    public static let duplicateId = "rule.duplicate_id"
    /// A rule loads, but some events it targets cannot reach it (said so, not silently).
    public static let partial = "rule.partial"
    /// A tuning entry whose `match` selects no loaded rule.
    public static let tuningUnmatched = "rule.tuning_unmatched"
}
