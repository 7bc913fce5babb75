import Detection
import Detectors
import EventModel
import Foundation
import Sigma

/// The detectors a run would load, built-in and rule alike, as rows for `detectors list`
/// (text, JSON, the markdown table of docs/detectors.md) and `coverage`.
public struct DetectorCatalog: Sendable {
    /// One detector.
    public struct Row: Sendable {
        /// Detector id.
        public var id: String
        /// `built-in` or `rule`.
        public var kind: String
        /// What it is built on: `rule`, `baseline`, `source` (built-ins) or `sigma` (rule files).
        public var basis: String
        /// Effective (or default) severity.
        public var severity: Severity
        /// `enabled`, `disabled` or `no-config`.
        public var state: String
        /// One line.
        public var summary: String
        /// MITRE ATT&CK technique ids.
        public var mitre: [String]
        /// The file it comes from (YAML config of a built-in, the rule file of a rule).
        public var source: String
    }

    /// Rows sorted by id.
    public var rows: [Row]

    /// Rows from the registry and, when given, the loaded configuration and rules. Without a
    /// detector set (the docs table), built-ins show their defaults and `detectors/<id>.yaml`.
    public init(detectors: DetectorSet?, rules: SigmaRuleSet, relativeTo base: String? = nil) {
        let configured = Dictionary(
            (detectors?.detectors ?? []).map { ($0.spec.id, $0.spec) }, uniquingKeysWith: { a, _ in a })
        var rows: [Row] = Registry.all.map { d in
            let spec = configured[d.id]
            let state = detectors == nil ? "enabled" : spec.map { $0.enabled ? "enabled" : "disabled" } ?? "no-config"
            return Row(
                id: d.id, kind: "built-in", basis: d.kind.rawValue,
                severity: spec?.severity ?? d.defaultSeverity,
                state: state, summary: d.summary, mitre: d.mitre.sorted(),
                source: Self.relative(spec?.file ?? "detectors/\(d.id).yaml", to: base))
        }
        for r in rules.rules {
            rows.append(
                Row(
                    id: r.id, kind: "rule", basis: "sigma", severity: r.spec.severity,
                    state: r.spec.enabled ? "enabled" : "disabled", summary: r.rule.title, mitre: r.rule.mitre,
                    source: Self.relative(r.rule.file, to: base)))
        }
        self.rows = rows.sorted { $0.id < $1.id }
    }

    /// `path` relative to `base` when it lies under it.
    static func relative(_ path: String, to base: String?) -> String {
        guard let base, !base.isEmpty else { return path }
        let prefix = base.hasSuffix("/") ? base : base + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    /// The table of docs/detectors.md.
    public var markdown: String {
        func cell(_ s: String) -> String {
            s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "*", with: "\\*")
        }
        var out = "| id | kind | basis | default severity | summary | MITRE ATT&CK | source |\n"
        out += "|---|---|---|---|---|---|---|\n"
        for r in rows {
            let mitre = r.mitre.map { "`\($0)`" }.joined(separator: ", ")
            out +=
                "| `\(r.id)` | \(r.kind) | \(r.basis) | \(r.severity.description) | \(cell(r.summary)) | \(mitre) | `\(cell(r.source))` |\n"
        }
        return out
    }

    /// One JSON object per line.
    public var jsonLines: [String] {
        rows.map { r in
            var o = JSONObjectWriter()
            o.add("id", r.id)
            o.add("kind", r.kind)
            o.add("basis", r.basis)
            o.add("severity", r.severity.description)
            o.add("state", r.state)
            o.add("summary", r.summary)
            o.add("mitre", r.mitre)
            o.add("source", r.source)
            return o.text
        }
    }

    /// Techniques covered by enabled detectors: technique → detector ids, sorted.
    public var coverage: [(technique: String, name: String, detectors: [String])] {
        var by: [String: [String]] = [:]
        for r in rows where r.state == "enabled" { for t in r.mitre { by[t, default: []].append(r.id) } }
        return by.keys.sorted().map { ($0, MitreTechniques.name($0), by[$0]!.sorted()) }
    }
}

/// A small JSON object writer (strings and string lists), for line-oriented output.
struct JSONObjectWriter {
    private var parts: [String] = []

    mutating func add(_ key: String, _ value: String) { parts.append(Self.quote(key) + ":" + Self.quote(value)) }

    mutating func add(_ key: String, _ values: [String]) {
        parts.append(Self.quote(key) + ":[" + values.map(Self.quote).joined(separator: ",") + "]")
    }

    var text: String { "{" + parts.joined(separator: ",") + "}" }

    static func quote(_ s: String) -> String { JSONText.quote(s) }
}

extension DetectorCatalog {
    /// One coverage row as a JSON object.
    public static func coverageJSON(_ technique: String, _ name: String, _ detectors: [String]) -> String {
        var o = JSONObjectWriter()
        o.add("technique", technique)
        o.add("name", name)
        o.add("detectors", detectors)
        return o.text
    }
}
