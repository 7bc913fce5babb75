import Config
import EventModel
import Foundation

/// A detector ready to run, with the settings it was loaded with.
public struct LoadedDetector {
    /// Common settings from the YAML file.
    public let spec: DetectorSpec
    /// The detector instance.
    public let detector: any Detector

    /// Pairs a detector with its settings (tests and embedders; the loader builds these from YAML).
    public init(spec: DetectorSpec, detector: any Detector) {
        self.spec = spec
        self.detector = detector
    }
}

/// Result of loading a detectors directory: either usable detectors, or every
/// config issue found (the caller refuses to start when `issues` is non-empty).
public struct DetectorSet {
    /// Enabled and disabled detectors, sorted by id.
    public var detectors: [LoadedDetector]
    /// Every problem found, in file order.
    public var issues: [ConfigIssue]
    /// Files read.
    public var files: [String]
}

/// Loads `detectors/*.yaml`: checks the common keys, builds each detector from
/// its registered type, and reports unknown keys, bad values and unknown ids
/// with file:line:col. Detectors without a YAML file are not run.
public enum DetectorLoader {
    /// Highest config `version:` this build understands.
    public static let currentVersion = 1

    /// Loads every `*.yaml` / `*.yml` file in `directory` (not recursive).
    public static func load(directory: String, registry: [any BuiltInDetector.Type]) -> DetectorSet {
        let sink = IssueSink()
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: directory) else {
            sink.add(
                ConfigIssue(file: directory, code: "config.unreadable", message: "cannot read detectors directory"))
            return DetectorSet(detectors: [], issues: sink.issues, files: [])
        }
        let files = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            .map { (directory as NSString).appendingPathComponent($0) }
        var loaded: [LoadedDetector] = []
        for file in files {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                sink.add(ConfigIssue(file: file, code: "config.unreadable", message: "cannot read file as UTF-8"))
                continue
            }
            if let d = load(yaml: text, file: file, registry: registry, sink: sink) { loaded.append(d) }
        }
        checkDuplicates(loaded, sink)
        if files.isEmpty {
            sink.add(ConfigIssue(file: directory, code: "config.empty", message: "no detector files (*.yaml) found"))
        }
        return DetectorSet(
            detectors: loaded.sorted { $0.spec.id < $1.spec.id }, issues: sink.issues, files: files)
    }

    /// Loads one detector file from text (used by `load(directory:)` and tests).
    public static func load(yaml: String, file: String, registry: [any BuiltInDetector.Type], sink: IssueSink)
        -> LoadedDetector?
    {
        guard let root = ConfigReader.parse(yaml: yaml, file: file, sink: sink) else { return nil }
        let version = root.int("version", default: 0)
        if !root.has("version") {
            root.report("version", code: "config.missing_key", "is required (current: \(currentVersion))")
        } else if version < 1 || version > currentVersion {
            root.report(
                "version", code: "config.version",
                "unsupported version \(version) (this build reads 1...\(currentVersion))")
        }
        guard let id = root.requiredString("id") else { return nil }
        guard let type = registry.first(where: { $0.id == id }) else {
            // Without a known id the other keys cannot be checked; report only the id.
            root.report(
                "id", code: "config.unknown_detector", "no built-in detector '\(id)' (see `trailhound detectors list`)")
            return nil
        }
        let spec = readSpec(root, id: id, version: version, file: file, defaultSeverity: type.defaultSeverity)
        let settings = root.child("settings") ?? ConfigReader(node: nil, file: file, path: "settings", sink: sink)
        let detector = type.init(settings: settings)
        settings.finish()
        root.finish()
        return LoadedDetector(spec: spec, detector: detector)
    }

    private static func readSpec(
        _ r: ConfigReader, id: String, version: Int, file: String, defaultSeverity: Severity
    ) -> DetectorSpec {
        _ = r.node("description")
        let severity = r.severity("severity", default: defaultSeverity)
        return DetectorSpec(
            id: id, version: version, file: file,
            enabled: r.bool("enabled", default: true),
            severity: severity,
            failedSeverity: r.severity("failed_severity", default: min(severity, .low)),
            dedupWindow: r.duration("dedup_window", default: 3_600_000),
            allowlist: r.list("allowlist").compactMap(readAllowEntry))
    }

    /// Reads one allow-list entry (detector files and the rules' tuning file share it);
    /// nil when it has no `reason` (reported to the reader).
    public static func readAllowEntry(_ r: ConfigReader) -> AllowEntry? {
        func opt(_ k: String) -> String? { r.has(k) ? r.string(k, default: "") : nil }
        let reason = r.requiredString("reason")
        var expires: Int64? = nil
        if r.has("expires") {
            let text = r.string("expires", default: "")
            expires = Timestamp.parse(text)
            // A bare date means "until the end of that day" (UTC).
            if let e = expires, text.count == 10 { expires = e + 86_400_000 - 1 }
            if expires == nil {
                r.report("expires", code: "config.type", "expected a date like 2027-01-31 (got '\(text)')")
            }
        }
        let source = opt("source")
        if let s = source, s.contains("/"), CIDR(s) == nil {
            r.report("source", code: "config.value", "'\(s)' is not a valid CIDR")
        }
        let entry = AllowEntry(
            identity: opt("identity"), account: opt("account"), source: source,
            userAgentFamily: opt("user_agent_family"), operation: opt("operation"),
            resource: opt("resource"), key: opt("key"), reason: reason ?? "", expires: expires, line: r.line)
        if [
            entry.identity, entry.account, entry.source, entry.userAgentFamily, entry.operation, entry.resource,
            entry.key,
        ]
        .allSatisfy({ $0 == nil }) {
            r.sink.add(
                ConfigIssue(
                    file: r.file, line: r.line, code: "config.allowlist_empty",
                    message:
                        "\(r.path): an allowlist entry must set at least one of identity, account, source, user_agent_family, operation, resource, key"
                ))
        }
        r.finish()
        return reason == nil ? nil : entry
    }

    private static func checkDuplicates(_ loaded: [LoadedDetector], _ sink: IssueSink) {
        var seen: [String: String] = [:]
        for d in loaded {
            if let other = seen[d.spec.id] {
                sink.add(
                    ConfigIssue(
                        file: d.spec.file, line: 1, code: "config.duplicate_id",
                        message: "detector '\(d.spec.id)' is also configured in \(other)"))
            } else {
                seen[d.spec.id] = d.spec.file
            }
        }
    }
}
