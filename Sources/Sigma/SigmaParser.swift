import Detection
import EventModel
import Yams

/// Parses one Sigma rule file (YAML text) into a `SigmaRule`, or says why it is skipped. Every
/// problem is a `Diagnostic` with file, line and column (Yams marks); a rule with any
/// problem of level error, or a construct the engine cannot honour (warning), is not loaded.
public enum SigmaParser {
    /// Result of parsing one file.
    public struct Outcome: Sendable {
        /// The compiled rule, when it loads.
        public var rule: SigmaRule?
        /// Problems (warnings about custom keys may accompany a loaded rule).
        public var issues: [Diagnostic]
    }

    /// Longest rule file read (bytes).
    public static let maxFileBytes = 1 << 20

    /// Top-level keys of the Sigma specification, plus `name` (this project's detector id).
    static let knownKeys: Set<String> = [
        "title", "id", "related", "name", "taxonomy", "status", "description", "license", "references", "author",
        "date", "modified", "tags", "logsource", "detection", "fields", "falsepositives", "level", "scope",
    ]

    /// Parses `yaml` read from `file`.
    public static func parse(yaml: String, file: String) -> Outcome {
        var ctx = SigmaParseContext(file: file)
        guard yaml.utf8.count <= maxFileBytes else {
            ctx.problem(nil, .error, SigmaCode.value, "rule file larger than \(maxFileBytes) bytes")
            return Outcome(rule: nil, issues: ctx.issues)
        }
        let root: Node
        do {
            // The basic resolver: every plain scalar stays text (the builder reads `null`, numbers and
            // booleans from the text itself), and Yams's default resolver would run seven
            // NSRegularExpressions per scalar, most of the cost of loading a rule.
            let docs = try Array(Yams.compose_all(yaml: yaml, .basic, .default, .utf8)).compactMap { $0 }
            guard docs.count <= 1 else {
                ctx.problem(
                    docs[1].mark, .warning, SigmaCode.correlation,
                    "multi-document rule collection (global/repeat actions) is not supported; rule skipped")
                return Outcome(rule: nil, issues: ctx.issues)
            }
            guard let first = docs.first else {
                ctx.problem(nil, .error, SigmaCode.yaml, "rule file is empty")
                return Outcome(rule: nil, issues: ctx.issues)
            }
            root = first
        } catch let error as YamlError {
            ctx.problem(nil, .error, SigmaCode.yaml, "not valid YAML: \(String(describing: error).prefix(200))")
            return Outcome(rule: nil, issues: ctx.issues)
        } catch {
            ctx.problem(nil, .error, SigmaCode.yaml, "not valid YAML")
            return Outcome(rule: nil, issues: ctx.issues)
        }
        let rule = SigmaRuleBuilder.build(root, &ctx)
        return Outcome(rule: ctx.skipped ? nil : rule, issues: ctx.issues)
    }
}

/// Issues collected while parsing one file.
struct SigmaParseContext {
    let file: String
    var issues: [Diagnostic] = []
    /// True once a problem that skips the rule was reported.
    var skipped = false

    init(file: String) { self.file = file }

    /// Reports a problem at `mark`; `skips` false for warnings that still load the rule.
    mutating func problem(
        _ mark: Mark?, _ level: Diagnostic.Level, _ code: String, _ message: String, skips: Bool = true
    ) {
        issues.append(
            Diagnostic(
                origin: Origin(path: file, record: mark?.line ?? 1), column: mark?.column ?? 0, level: level,
                code: code, message: message))
        if skips { skipped = true }
    }
}
