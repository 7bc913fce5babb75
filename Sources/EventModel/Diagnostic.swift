/// A problem with the input or config that did not stop the run: printed as
/// `path:line: error: message [code]` and counted in the summary.
public struct Diagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    /// How bad the problem is.
    public enum Level: String, Sendable, Codable {
        /// Something was skipped or lost (a record, the rest of a file).
        case error
        /// Suspicious but processed.
        case warning
        /// Informational, e.g. a CloudTrail digest file skipped on purpose.
        case note
    }

    /// Where it happened.
    public var origin: Origin
    /// Optional column (config errors); 0 when unknown.
    public var column: Int
    /// Severity of the diagnostic itself.
    public var level: Level
    /// Stable machine-readable code, e.g. `decode.not_json`, `gzip.truncated`.
    public var code: String
    /// Human-readable message; never contains unbounded log text.
    public var message: String

    /// Creates a diagnostic. `message` is truncated to 300 characters and its
    /// control characters are escaped (`TerminalText`) because it may quote
    /// attacker-controlled input and is printed on a terminal.
    public init(origin: Origin, column: Int = 0, level: Level = .error, code: String, message: String) {
        self.origin = origin
        self.column = column
        self.level = level
        self.code = code
        // `utf8.count` first: it is stored, where `count` walks the characters.
        let bounded = message.utf8.count > 300 && message.count > 300 ? String(message.prefix(300)) + "…" : message
        self.message = TerminalText.escape(bounded)
    }

    /// `path:line[:col]: level: message [code]` (the path escaped too: file and
    /// S3 key names are input as well).
    public var description: String {
        var loc = TerminalText.escape(origin.description)
        if column > 0 { loc += ":\(column)" }
        return "\(loc): \(level.rawValue): \(message) [\(code)]"
    }
}
