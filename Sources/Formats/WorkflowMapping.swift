import EventModel

/// A field of the `trailhound.workflow/v1` schema (see docs/sources.md, "AI-workflow server log format").
public enum WorkflowField: String, Sendable, Hashable, CaseIterable {

    case timestamp, server
    case requestId = "request_id"
    case method, path, status
    case sourceIP = "source_ip"
    case userAgent = "user_agent"
    case authenticated, principal, action
    case toolName = "tool_name"
    case toolKind = "tool_kind"
    case toolInput = "tool_input"
    case flowId = "flow_id"
    case targetHost = "target_host"
    case durationMs = "duration_ms"
    case eventId = "event_id"

    /// Position in `allCases` (a record keeps one slot per field; no hashing on the hot path).
    var ordinal: Int {
        switch self {
        case .timestamp: 0
        case .server: 1
        case .requestId: 2
        case .method: 3
        case .path: 4
        case .status: 5
        case .sourceIP: 6
        case .userAgent: 7
        case .authenticated: 8
        case .principal: 9
        case .action: 10
        case .toolName: 11
        case .toolKind: 12
        case .toolInput: 13
        case .flowId: 14
        case .targetHost: 15
        case .durationMs: 16
        case .eventId: 17
        }
    }

    /// `allCases`, indexable by `ordinal`.
    static let ordered: [WorkflowField] = allCases
}

/// How to read one workflow server's own JSON log lines as `trailhound.workflow/v1` records,
/// without code: which records it applies to, where each field comes from (dotted JSON paths),
/// constants for fields the server does not log, text templates for fields packed into one
/// string (access-log lines), and the action of a request path. Built by the Runtime from
/// `formats/*.yaml` (see docs/sources.md, "Writing a mapping"); applied by `RecordDecoder` to records
/// that no built-in format claims, in file-name order, the first match winning.
public struct WorkflowMapping: Sendable {
    /// Mapping name (`langflow-container`), recorded in the `mapping` parameter of each event.
    public var name: String
    /// Dotted paths that must be present (not null) for a record to match.
    public var requireKeys: [[String]]
    /// Dotted path → text the value must equal (scalars compared as written, strings decoded).
    public var requireEquals: [([String], String)]
    /// Dotted path → text the value must contain.
    public var requireContains: [([String], String)]
    /// Schema field → dotted source path.
    public var fields: [(WorkflowField, [String])]
    /// Schema field → constant used when the field is not otherwise set.
    public var defaults: [(WorkflowField, String)]
    /// Templates applied to string values, filling the fields they capture.
    public var extracts: [WorkflowExtract]
    /// Request path glob → action, first match wins; used when `action` is not set otherwise.
    public var actions: [(Glob, String)]
    /// Records of the same server that carry no request (application log lines): when no
    /// mapping matches a record but this condition holds, the record is omitted with a note
    /// (`decode.mapping_skipped`, counted, not printed) instead of `decode.unknown_format`.
    public var skip: Condition?

    /// Conditions on a record: every listed path present, equal, containing the text.
    public struct Condition: Sendable {
        /// Dotted paths that must be present (not null).
        public var keys: [[String]]
        /// Dotted path → exact text.
        public var equals: [([String], String)]
        /// Dotted path → contained text.
        public var contains: [([String], String)]

        /// Creates a condition.
        public init(keys: [[String]] = [], equals: [([String], String)] = [], contains: [([String], String)] = []) {
            self.keys = keys
            self.equals = equals
            self.contains = contains
        }

        /// True when nothing is required (such a condition would claim every record).
        public var isEmpty: Bool { keys.isEmpty && equals.isEmpty && contains.isEmpty }
    }

    /// Creates a mapping.
    public init(
        name: String, requireKeys: [[String]] = [], requireEquals: [([String], String)] = [],
        requireContains: [([String], String)] = [], fields: [(WorkflowField, [String])] = [],
        defaults: [(WorkflowField, String)] = [], extracts: [WorkflowExtract] = [], actions: [(Glob, String)] = [],
        skip: Condition? = nil
    ) {
        self.name = name
        self.requireKeys = requireKeys
        self.requireEquals = requireEquals
        self.requireContains = requireContains
        self.fields = fields
        self.defaults = defaults
        self.extracts = extracts
        self.actions = actions
        self.skip = skip
    }

    /// The record conditions of `match:` as one `Condition`.
    public var match: Condition { Condition(keys: requireKeys, equals: requireEquals, contains: requireContains) }

    /// `a.b.c` → `["a", "b", "c"]` (empty segments dropped).
    public static func path(_ dotted: String) -> [String] {
        dotted.split(separator: ".", omittingEmptySubsequences: true).map(String.init)
    }

}

/// A template applied to the string at `from`: literal text with `{field}` captures
/// (`{client} - "{method} {path} HTTP/{_}" {status}`). `{_}` captures and discards. A capture
/// ends at the first occurrence of the literal that follows it (the last capture takes the
/// rest); the record's fields are only filled when the whole template matches.
public struct WorkflowExtract: Sendable {
    /// One piece of a template.
    public enum Part: Sendable, Equatable {
        /// Text that must appear as is.
        case literal(String)
        /// A captured field (nil for `{_}`).
        case capture(WorkflowField?)
    }

    /// Dotted path of the string to match.
    public var from: [String]
    /// The parsed template.
    public var parts: [Part]

    /// Creates an extract from parsed parts.
    public init(from: [String], parts: [Part]) {
        self.from = from
        self.parts = parts
    }

    /// Parses a template; returns an error message for unknown captures, unclosed braces, or
    /// two captures in a row (nothing would tell where the first one ends).
    public static func parse(_ template: String) -> Result<[Part], TemplateError> {
        var parts: [Part] = []
        var literal = ""
        var rest = Substring(template)
        while let c = rest.first {
            if c == "{" {
                guard let close = rest.firstIndex(of: "}") else { return .failure(TemplateError("unclosed '{'")) }
                let name = String(rest[rest.index(after: rest.startIndex)..<close])
                let field: WorkflowField?
                if name == "_" {
                    field = nil
                } else if let f = WorkflowField(rawValue: name) {
                    field = f
                } else {
                    return .failure(TemplateError("unknown field '{\(name)}'"))
                }
                if !literal.isEmpty {
                    parts.append(.literal(literal))
                    literal = ""
                } else if case .capture = parts.last {
                    return .failure(TemplateError("two captures in a row; put literal text between them"))
                }
                parts.append(.capture(field))
                rest = rest[rest.index(after: close)...]
            } else {
                literal.append(c)
                rest = rest.dropFirst()
            }
        }
        if !literal.isEmpty { parts.append(.literal(literal)) }
        if !parts.contains(where: { if case .capture = $0 { return true } else { return false } }) {
            return .failure(TemplateError("no {field} capture"))
        }
        return .success(parts)
    }

    /// A template problem, for config diagnostics.
    public struct TemplateError: Error, Sendable {
        /// What is wrong.
        public let message: String
        init(_ message: String) { self.message = message }
    }

    /// Captured values when `text` matches the whole template, nil otherwise.
    func match(_ text: String) -> [(WorkflowField, String)]? {
        let t = Array(text.utf8)
        var i = 0
        var out: [(WorkflowField, String)] = []
        var k = 0
        while k < parts.count {
            switch parts[k] {
            case .literal(let lit):
                let l = Array(lit.utf8)
                guard t.count - i >= l.count, t[i..<(i + l.count)].elementsEqual(l) else { return nil }
                i += l.count
            case .capture(let field):
                var end = t.count
                if k + 1 < parts.count, case .literal(let next) = parts[k + 1] {
                    guard let j = Self.find(t, Array(next.utf8), from: i) else { return nil }
                    end = j
                }
                if let field { out.append((field, String(decoding: t[i..<end], as: UTF8.self))) }
                i = end
            }
            k += 1
        }
        return i == t.count ? out : nil
    }

    private static func find(_ t: [UInt8], _ n: [UInt8], from: Int) -> Int? {
        guard !n.isEmpty, t.count >= n.count else { return nil }
        var i = from
        while i <= t.count - n.count {
            if t[i] == n[0] && t[i..<(i + n.count)].elementsEqual(n) { return i }
            i += 1
        }
        return nil
    }
}
