import Config
import EventModel
import Foundation

/// Result of loading a format-mappings directory.
public struct FormatMappingSet: Sendable {
    /// Mappings in file-name order (the first that matches a record wins).
    public var mappings: [WorkflowMapping] = []
    /// Every problem found (the scan refuses to start when non-empty).
    public var issues: [ConfigIssue] = []
    /// Doubtful but usable settings (`trailhound validate` prints them as warnings; scans run).
    public var warnings: [ConfigIssue] = []
    /// Files read.
    public var files: [String] = []
    /// The endpoint catalogue and deployment mapping (`kind: endpoints` / `kind: deployments` files).
    public var frontDoor = FrontDoorConfig()
}

/// Loads `formats/*.yaml`: workflow-log field mappings (docs/sources.md, "Writing a mapping"). Every
/// key is checked (`config.unknown_key` with file:line:col), field names must be schema
/// fields, templates must parse, and a mapping must say how to recognise its records and
/// where its timestamp comes from.
///
/// ```yaml
/// version: 1
/// name: my-agent
/// description: what this reads              # optional
/// match:                                    # at least one condition
///   keys: [ts, req.path]                    # dotted paths that must be present
///   equals: [{path: logger, value: access}] # exact text
///   contains: [{path: msg, text: "HTTP/"}]  # substring
/// fields: {timestamp: ts, path: req.path, principal: user.email}
/// extract:                                  # optional; fills fields the paths did not
///   - from: msg
///     template: '{source_ip} - "{method} {path} HTTP/{_}" {status}'
/// defaults: {server: my-agent}              # constants for fields not logged
/// actions:                                  # request-path glob → action, first match wins
///   - {path: "/api/run/*", action: run_flow}
/// skip:                                     # optional: the server's other lines, counted as notes
///   keys: [ts, msg]
/// ```
public enum FormatMappingLoader {
    /// Highest `version:` understood.
    public static let currentVersion = 1
    /// Most mappings loaded (each is tried on every unclaimed record).
    public static let maxMappings = 64

    /// Loads every `*.yaml` / `*.yml` file of `directory` (not recursive); nil → no mappings.
    public static func load(directory: String?) -> FormatMappingSet {
        guard let directory else { return FormatMappingSet() }
        let sink = IssueSink()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            sink.add(ConfigIssue(file: directory, code: "config.unreadable", message: "cannot read formats directory"))
            return FormatMappingSet(issues: sink.issues)
        }
        let files = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            .map { (directory as NSString).appendingPathComponent($0) }
        var set = FormatMappingSet(files: files)
        let doubts = IssueSink()
        var seen: [String: String] = [:]
        for file in files {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                sink.add(ConfigIssue(file: file, code: "config.unreadable", message: "cannot read file as UTF-8"))
                continue
            }
            guard let root = ConfigReader.parse(yaml: text, file: file, sink: sink) else { continue }
            switch root.string("kind", default: "mapping") {
            case "mapping": break
            case "endpoints", "deployments":
                loadFrontDoor(root, into: &set.frontDoor)
                continue
            case let other:
                root.report("kind", code: "config.value", "unknown kind '\(other)' (mapping, endpoints, deployments)")
                continue
            }
            guard let m = load(root: root, sink: sink, warnings: doubts) else { continue }
            if let other = seen[m.name] {
                sink.add(
                    ConfigIssue(
                        file: file, line: 1, code: "config.duplicate_id",
                        message: "mapping '\(m.name)' is also defined in \(other)"))
            }
            seen[m.name] = file
            set.mappings.append(m)
        }
        if set.mappings.count > maxMappings {
            sink.add(
                ConfigIssue(
                    file: directory, code: "config.range",
                    message: "\(set.mappings.count) mappings; at most \(maxMappings) are supported"))
        }
        FrontDoorLoader.checkKinds(set.frontDoor, files: files, sink: sink)
        set.issues = sink.issues
        set.warnings = doubts.issues
        return set
    }

    /// Loads one mapping file from text; nil (with issues in `sink`) when it has problems.
    public static func load(yaml: String, file: String, sink: IssueSink, warnings: IssueSink? = nil) -> WorkflowMapping?
    {
        guard let root = ConfigReader.parse(yaml: yaml, file: file, sink: sink) else { return nil }
        _ = root.node("kind")
        return load(root: root, sink: sink, warnings: warnings)
    }

    /// A `kind: endpoints` or `kind: deployments` document.
    static func loadFrontDoor(_ root: ConfigReader, into config: inout FrontDoorConfig) {
        checkVersion(root)
        if root.string("kind", default: "") == "endpoints" {
            FrontDoorLoader.endpoints(root, into: &config.catalogue)
        } else {
            FrontDoorLoader.deployments(root, into: &config.deployments)
        }
        _ = root.node("description")
        root.finish()
    }

    private static func checkVersion(_ root: ConfigReader) {
        if !root.has("version") {
            root.report("version", code: "config.missing_key", "is required (current: \(currentVersion))")
        }
        let version = root.int("version", default: currentVersion)
        if version != currentVersion {
            root.report("version", code: "config.version", "unsupported version \(version) (this build reads 1)")
        }
    }

    private static func load(root: ConfigReader, sink: IssueSink, warnings: IssueSink?) -> WorkflowMapping? {
        let before = sink.issues.count
        checkVersion(root)
        var m = WorkflowMapping(name: root.requiredString("name") ?? "")
        _ = root.node("description")
        readMatch(root, &m)
        if let skip = root.child("skip") {
            let c = condition(skip)
            if c.isEmpty {
                skip.report("keys", code: "config.missing_key", "skip needs at least one of keys, equals, contains")
            }
            m.skip = c
            if !c.isEmpty, let w = broadSkip(c, skip) { warnings?.add(w) }
            skip.finish()
        }
        m.fields = fieldMap(root.child("fields")).map { ($0.0, WorkflowMapping.path($0.1)) }
        m.defaults = fieldMap(root.child("defaults"))
        m.extracts = readExtracts(root)
        m.actions = root.list("actions").compactMap { a in
            defer { a.finish() }
            guard let path = a.requiredString("path"), let action = a.requiredString("action") else { return nil }
            return (Glob(path), action)
        }
        checkTimestamp(m, root)
        root.finish()
        return sink.issues.count == before ? m : nil
    }

    private static func readMatch(_ root: ConfigReader, _ m: inout WorkflowMapping) {
        guard let match = root.child("match") else {
            root.report("match", code: "config.missing_key", "is required: say how to recognise this server's records")
            return
        }
        let c = condition(match)
        m.requireKeys = c.keys
        m.requireEquals = c.equals
        m.requireContains = c.contains
        if c.isEmpty {
            match.report(
                "keys", code: "config.missing_key",
                "match needs at least one of keys, equals, contains (a mapping must not claim every record)")
        }
        match.finish()
    }

    /// `keys`, `equals`, `contains` of a `match:` or `skip:` mapping.
    private static func condition(_ r: ConfigReader) -> WorkflowMapping.Condition {
        WorkflowMapping.Condition(
            keys: r.strings("keys", default: []).map(WorkflowMapping.path), equals: conditions(r, "equals", "value"),
            contains: conditions(r, "contains", "text"))
    }

    /// `[{path: a.b, <valueKey>: text}, …]`.
    private static func conditions(_ r: ConfigReader, _ key: String, _ valueKey: String) -> [([String], String)] {
        r.list(key).compactMap { c in
            defer { c.finish() }
            guard let path = c.requiredString("path"), c.has(valueKey) || c.requiredString(valueKey) != nil else {
                return nil
            }
            return (WorkflowMapping.path(path), c.string(valueKey, default: ""))
        }
    }

    private static func readExtracts(_ root: ConfigReader) -> [WorkflowExtract] {
        root.list("extract").compactMap { x in
            defer { x.finish() }
            guard let from = x.requiredString("from"), let template = x.requiredString("template") else { return nil }
            switch WorkflowExtract.parse(template) {
            case .success(let parts): return WorkflowExtract(from: WorkflowMapping.path(from), parts: parts)
            case .failure(let e):
                x.report("template", code: "config.value", "bad template: \(e.message)")
                return nil
            }
        }
    }

    /// A timestamp must come from `fields`, an extract, or `defaults`.
    private static func checkTimestamp(_ m: WorkflowMapping, _ root: ConfigReader) {
        let mapped = m.fields.contains { $0.0 == .timestamp } || m.defaults.contains { $0.0 == .timestamp }
        let extracted = m.extracts.contains { $0.parts.contains(.capture(.timestamp)) }
        if !mapped && !extracted {
            root.report(
                "fields", code: "config.missing_key",
                "no source for timestamp: add fields.timestamp or a {timestamp} capture in extract")
        }
    }

    /// Schema field name → string, for every schema field present; other keys are reported
    /// as `config.unknown_key` by `finish()`.
    private static func fieldMap(_ r: ConfigReader?) -> [(WorkflowField, String)] {
        guard let r else { return [] }
        defer { r.finish() }
        return WorkflowField.allCases.compactMap { f in
            guard r.has(f.rawValue) else { return nil }
            let v = r.string(f.rawValue, default: "")
            return v.isEmpty ? nil : (f, v)
        }
    }
}
