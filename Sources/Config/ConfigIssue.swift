import EventModel

/// A problem in a detector or service config file, with its position and a stable code.
/// Printed as `file:line:col: error: message [code]`.
public struct ConfigIssue: Error, Sendable, Hashable, CustomStringConvertible {
    /// Config file path.
    public var file: String
    /// 1-based line, 0 when unknown.
    public var line: Int
    /// 1-based column, 0 when unknown.
    public var column: Int
    /// Stable code: `config.unknown_key`, `config.type`, `config.range`, `config.yaml`,
    /// `config.missing_key`, `config.unknown_detector`, `config.duplicate_id`, `config.version`.
    public var code: String
    /// What is wrong and how to fix it.
    public var message: String

    /// Creates an issue.
    public init(file: String, line: Int = 0, column: Int = 0, code: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.code = code
        self.message = message
    }

    /// As a `Diagnostic` (for uniform printing).
    public var diagnostic: Diagnostic {
        Diagnostic(origin: Origin(path: file, record: line), column: column, code: code, message: message)
    }

    /// `file:line:col: error: message [code]`.
    public var description: String { diagnostic.description }
}

/// Collects config issues from every reader of one load, so that all problems are reported at once.
public final class IssueSink: @unchecked Sendable {
    /// Issues in the order found.
    public private(set) var issues: [ConfigIssue] = []

    /// Creates an empty sink.
    public init() {}

    /// Records an issue.
    public func add(_ issue: ConfigIssue) { issues.append(issue) }
}
