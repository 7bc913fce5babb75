import EventModel
import Yams

/// Reads one YAML mapping with explicit, typed accessors. Every key that is read
/// is marked used; `finish()` reports the rest as `config.unknown_key`, because
/// `Decodable` would silently ignore a misspelt key. Problems go to the shared
/// `IssueSink` with file:line:col, and the accessor returns the default so that
/// loading can go on and report everything at once.
public final class ConfigReader {
    /// File the mapping came from.
    public let file: String
    /// Dotted path of this mapping inside the file (`settings`, `allowlist[2]`), for messages.
    public let path: String
    /// Where issues go.
    public let sink: IssueSink
    private let pairs: [(key: String, keyNode: Node, value: Node)]
    private let mark: Mark?
    private var used: Set<String> = []

    /// Creates a reader over a mapping node. A non-mapping node is reported as `config.type`.
    public init(node: Node?, file: String, path: String = "", sink: IssueSink) {
        self.file = file
        self.path = path
        self.sink = sink
        self.mark = node?.mark
        var pairs: [(String, Node, Node)] = []
        if let node {
            if let mapping = node.mapping {
                for (k, v) in mapping { pairs.append((k.string ?? "", k, v)) }
            } else {
                sink.add(
                    Self.issue(file, node.mark, "config.type", "\(path.isEmpty ? "document" : path) must be a mapping"))
            }
        }
        self.pairs = pairs
    }

    /// Parses YAML text and returns a reader over its root mapping, or nil (with a `config.yaml` issue).
    public static func parse(yaml: String, file: String, sink: IssueSink) -> ConfigReader? {
        do {
            guard let node = try Yams.compose(yaml: yaml, .default, .default, .utf8) else {
                sink.add(ConfigIssue(file: file, line: 1, code: "config.empty", message: "file is empty"))
                return nil
            }
            return ConfigReader(node: node, file: file, sink: sink)
        } catch let error as YamlError {
            sink.add(Self.yamlIssue(error, file: file))
            return nil
        } catch {
            sink.add(ConfigIssue(file: file, code: "config.yaml", message: "\(error)"))
            return nil
        }
    }

    private static func yamlIssue(_ error: YamlError, file: String) -> ConfigIssue {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return ConfigIssue(file: file, line: mark.line, column: mark.column, code: "config.yaml", message: problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return ConfigIssue(
                file: file, line: context.mark.line, column: context.mark.column, code: "config.duplicate_key",
                message: "duplicate key(s) \(keys) in this mapping")
        default:
            return ConfigIssue(file: file, code: "config.yaml", message: "\(error)")
        }
    }

    static func issue(_ file: String, _ mark: Mark?, _ code: String, _ message: String) -> ConfigIssue {
        ConfigIssue(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0, code: code, message: message)
    }

    private func name(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Reports an issue at a key's position (or the mapping's when the key is absent).
    public func report(_ key: String, code: String, _ message: String) {
        let m = pairs.first(where: { $0.key == key })?.value.mark ?? mark
        sink.add(Self.issue(file, m, code, "\(name(key)): \(message)"))
    }

    /// The raw node for a key, marking it used.
    public func node(_ key: String) -> Node? {
        used.insert(key)
        return pairs.first(where: { $0.key == key })?.value
    }

    /// Line and column (1-based) of a key's value, or nil when the key is absent.
    public func position(of key: String) -> (line: Int, column: Int)? {
        guard let m = pairs.first(where: { $0.key == key })?.value.mark else { return nil }
        return (m.line, m.column)
    }

    /// True when the key is present.
    public func has(_ key: String) -> Bool { pairs.contains(where: { $0.key == key }) }

    /// A string value.
    public func string(_ key: String, default def: String) -> String {
        guard let n = node(key) else { return def }
        guard let s = n.scalar?.string else {
            report(key, code: "config.type", "expected a string")
            return def
        }
        return s
    }

    /// A required string value; reports `config.missing_key` when absent.
    public func requiredString(_ key: String) -> String? {
        guard has(key) else {
            report(key, code: "config.missing_key", "is required")
            _ = node(key)
            return nil
        }
        let s = string(key, default: "")
        return s.isEmpty ? nil : s
    }

    /// An integer in `range`.
    public func int(_ key: String, default def: Int, in range: ClosedRange<Int> = Int.min...Int.max) -> Int {
        guard let n = node(key) else { return def }
        guard let v = n.int else {
            report(key, code: "config.type", "expected an integer")
            return def
        }
        guard range.contains(v) else {
            report(key, code: "config.range", "\(v) is outside \(range.lowerBound)...\(range.upperBound)")
            return def
        }
        return v
    }

    /// A number in `range`.
    public func double(_ key: String, default def: Double, in range: ClosedRange<Double> = -.infinity...(.infinity))
        -> Double
    {
        guard let n = node(key) else { return def }
        guard let v = n.float ?? n.int.map(Double.init) else {
            report(key, code: "config.type", "expected a number")
            return def
        }
        guard range.contains(v) else {
            report(key, code: "config.range", "\(v) is outside \(range.lowerBound)...\(range.upperBound)")
            return def
        }
        return v
    }

    /// A boolean.
    public func bool(_ key: String, default def: Bool) -> Bool {
        guard let n = node(key) else { return def }
        guard let v = n.bool else {
            report(key, code: "config.type", "expected true or false")
            return def
        }
        return v
    }

    /// A severity name (`info`, `low`, `medium`, `high`, `critical`).
    public func severity(_ key: String, default def: Severity) -> Severity {
        guard has(key) else { _ = node(key); return def }
        let s = string(key, default: def.description)
        guard let v = Severity(name: s) else {
            report(key, code: "config.value", "unknown severity '\(s)' (info, low, medium, high, critical)")
            return def
        }
        return v
    }

    /// A duration in milliseconds: `90s`, `10m`, `2h`, `7d`, `1w`, or a bare number of seconds.
    public func duration(_ key: String, default def: Int64, in range: ClosedRange<Int64> = 0...(366 * 86_400_000))
        -> Int64
    {
        guard let n = node(key) else { return def }
        let text = n.scalar?.string ?? ""
        guard let v = Self.parseDuration(text) else {
            report(key, code: "config.type", "expected a duration like 30s, 10m, 2h, 7d (got '\(text)')")
            return def
        }
        guard range.contains(v) else {
            report(key, code: "config.range", "'\(text)' is outside the allowed range")
            return def
        }
        return v
    }

    /// Parses `30s`, `10m`, `2h`, `7d`, `1w` or plain seconds into milliseconds.
    public static func parseDuration(_ text: String) -> Int64? {
        let t = text.trimmingCharacters(in: " ")
        guard let last = t.last else { return nil }
        let units: [Character: Int64] = ["s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000]
        if let u = units[last], let v = Int64(t.dropLast()), v >= 0 {
            let (r, overflow) = v.multipliedReportingOverflow(by: u)
            return overflow ? nil : r
        }
        if let v = Int64(t), v >= 0 {
            let (r, overflow) = v.multipliedReportingOverflow(by: 1000)
            return overflow ? nil : r
        }
        return nil
    }

    /// A list of strings (a single string is accepted as a one-element list).
    public func strings(_ key: String, default def: [String]) -> [String] {
        guard let n = node(key) else { return def }
        if let s = n.scalar?.string { return [s] }
        guard let seq = n.sequence else {
            report(key, code: "config.type", "expected a list of strings")
            return def
        }
        var out: [String] = []
        for item in seq {
            guard let s = item.scalar?.string else {
                sink.add(Self.issue(file, item.mark, "config.type", "\(name(key)): list items must be strings"))
                continue
            }
            out.append(s)
        }
        return out
    }

    /// A map from string to number (e.g. sensitivity weights).
    public func numberMap(_ key: String, default def: [String: Double]) -> [String: Double] {
        guard let n = node(key) else { return def }
        guard let mapping = n.mapping else {
            report(key, code: "config.type", "expected a mapping of names to numbers")
            return def
        }
        var out: [String: Double] = [:]
        for (k, v) in mapping {
            guard let ks = k.string, let d = v.float ?? v.int.map(Double.init) else {
                sink.add(Self.issue(file, v.mark, "config.type", "\(name(key)): values must be numbers"))
                continue
            }
            out[ks] = d
        }
        return out
    }

    /// A nested mapping (nil when absent).
    public func child(_ key: String) -> ConfigReader? {
        guard let n = node(key) else { return nil }
        if case .scalar(let s) = n, s.string.isEmpty || s.string == "null" || s.string == "~" { return nil }
        return ConfigReader(node: n, file: file, path: name(key), sink: sink)
    }

    /// A list of mappings (empty when absent).
    public func list(_ key: String) -> [ConfigReader] {
        guard let n = node(key) else { return [] }
        if case .scalar(let s) = n, s.string.isEmpty || s.string == "null" || s.string == "~" { return [] }
        guard let seq = n.sequence else {
            report(key, code: "config.type", "expected a list")
            return []
        }
        return seq.enumerated().map { i, item in
            ConfigReader(node: item, file: file, path: "\(name(key))[\(i)]", sink: sink)
        }
    }

    /// Line of this mapping (0 when unknown).
    public var line: Int { mark?.line ?? 0 }

    /// Reports every key that no accessor asked for as `config.unknown_key`.
    public func finish() {
        for p in pairs where !used.contains(p.key) {
            let known = used.sorted().joined(separator: ", ")
            sink.add(
                Self.issue(
                    file, p.keyNode.mark, "config.unknown_key",
                    "unknown key '\(name(p.key))'" + (known.isEmpty ? "" : " (known here: \(known))")))
        }
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}
