/// Where an event or a diagnostic came from: a file (or `-` for stdin) and a
/// 1-based line number (JSON lines) or record index (CloudTrail `Records` arrays).
public struct Origin: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Path as given on the command line or found while walking a directory; `-` for stdin.
    public var path: String
    /// 1-based line (JSON lines) or record number (inside a `Records` array); 0 when unknown.
    public var record: Int
    /// Whether `record` counts lines (`true`) or records of an array (`false`).
    public var isLine: Bool

    /// Creates an origin.
    public init(path: String, record: Int, isLine: Bool = true) {
        self.path = path
        self.record = record
        self.isLine = isLine
    }

    /// `path:line` or `path:#record`, the form used in diagnostics.
    public var description: String {
        record == 0 ? path : (isLine ? "\(path):\(record)" : "\(path):#\(record)")
    }

    /// Appends `description` as a JSON string literal, without making the string (every finding
    /// line carries its origin).
    public func appendQuoted(to out: inout ByteWriter) {
        guard record != 0 else { return JSONText.appendQuoted(path, to: &out) }
        out.append(0x22)
        path.withUTF8Bytes { JSONText.appendEscaped($0, to: &out) }
        out.append(0x3A)
        if !isLine { out.append(0x23) }
        out.append(decimal: record)
        out.append(0x22)
    }
}
