import EventModel

/// Prints diagnostics to stderr as `path:line: error: message [code]`, at most
/// `perCode` of each code (the rest are counted and summarised), and counts all.
public final class DiagnosticReporter {
    private let perCode: Int
    private let write: (String) -> Void
    /// Count of diagnostics by code (all levels).
    public private(set) var counts: [String: Int] = [:]
    /// Count of `error`-level diagnostics.
    public private(set) var errors = 0

    /// Creates a reporter writing lines through `write`.
    public init(perCode: Int, write: @escaping (String) -> Void) {
        self.perCode = perCode
        self.write = write
    }

    /// Counts a diagnostic and prints it unless its code was printed `perCode` times already.
    public func report(_ d: Diagnostic) {
        let n = counts[d.code, default: 0] + 1
        counts[d.code] = n
        if d.level == .error { errors += 1 }
        // Notes (e.g. digest files skipped) are only counted: a year of archives has thousands.
        if d.level == .note { return }
        if n <= perCode {
            write(d.description)
        } else if n == perCode + 1 {
            write("trailhound: note: further '\(d.code)' diagnostics are counted but not printed")
        }
    }

    /// Total diagnostics.
    public var total: Int { counts.values.reduce(0, +) }
}
