import Config
import Detection
import EventModel

/// The rules' tuning file (`tuning.yaml` in a rules directory): a team's decisions about
/// third-party rules, kept apart from the rule files so those stay pristine.
///
/// ```yaml
/// version: 1
/// rules:
///   - match: "sigma.aws_*"        # detector id, rule id, title, or a glob over them
///     enabled: false
///   - match: impact.kms_key_deletion
///     severity: critical
///     failed_severity: low
///     dedup_window: 1h
///     allowlist:
///       - identity: "arn:aws:iam::*:role/key-rotation"
///         reason: the rotation job schedules deletion of retired keys
/// ```
/// Unknown keys are errors (`config.unknown_key`) with file:line:col, like detector files.
public struct SigmaTuning: Sendable {
    /// One `rules:` entry.
    public struct Entry: Sendable {
        /// Detector id, rule `id`, `title`, or a glob over them.
        public var match: String
        /// Overrides whether the rule runs.
        public var enabled: Bool?
        /// Overrides the severity from `level`.
        public var severity: Severity?
        /// Overrides the severity of failed attempts.
        public var failedSeverity: Severity?
        /// Overrides the dedup window (ms).
        public var dedupWindow: Int64?
        /// Allow-list entries added to the rule's.
        public var allowlist: [AllowEntry]
        /// File and line, for messages.
        public var file: String
        /// Line of the entry.
        public var line: Int
    }

    /// Entries in file order (later ones override earlier ones; allow-lists add up).
    public var entries: [Entry] = []

    /// Creates an empty tuning.
    public init() {}

    /// Reads a tuning file's text; problems go to `sink` (they are errors in the project's config).
    public static func parse(yaml: String, file: String, sink: IssueSink) -> SigmaTuning {
        var t = SigmaTuning()
        guard let root = ConfigReader.parse(yaml: yaml, file: file, sink: sink) else { return t }
        let version = root.int("version", default: 0)
        if version != 1 {
            root.report("version", code: "config.version", "tuning files are version 1 (got \(version))")
        }
        for r in root.list("rules") {
            let match = r.requiredString("match")
            func opt<T>(_ k: String, _ read: () -> T) -> T? { r.has(k) ? read() : nil }
            let entry = Entry(
                match: match ?? "", enabled: opt("enabled") { r.bool("enabled", default: true) },
                severity: opt("severity") { r.severity("severity", default: .medium) },
                failedSeverity: opt("failed_severity") { r.severity("failed_severity", default: .low) },
                dedupWindow: opt("dedup_window") { r.duration("dedup_window", default: 3_600_000) },
                allowlist: r.list("allowlist").compactMap(DetectorLoader.readAllowEntry), file: file, line: r.line)
            r.finish()
            if match != nil { t.entries.append(entry) }
        }
        root.finish()
        return t
    }

    /// True when `entry` selects the rule loaded as `id`.
    static func selects(_ entry: Entry, id: String, rule: SigmaRule) -> Bool {
        let candidates = [id, rule.ruleId, rule.title, rule.name ?? ""].filter { !$0.isEmpty }
        if candidates.contains(entry.match) { return true }
        let glob = Glob(entry.match)
        return candidates.contains { glob.matches($0) }
    }

    /// The spec of rule `id` after the entries that select it; also returns whether any did.
    func apply(to spec: DetectorSpec, id: String, rule: SigmaRule, used: inout Set<Int>) -> DetectorSpec {
        var s = spec
        for (i, e) in entries.enumerated() where Self.selects(e, id: id, rule: rule) {
            used.insert(i)
            if let v = e.enabled { s.enabled = v }
            if let v = e.severity { s.severity = v }
            if let v = e.failedSeverity { s.failedSeverity = v }
            if let v = e.dedupWindow { s.dedupWindow = v }
            s.allowlist += e.allowlist
        }
        return s
    }
}
