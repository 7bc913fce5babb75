import EventModel

/// Output format of findings on stdout.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// One JSON object per finding per line (default; stable keys, for SIEMs and `jq`).
    case json
    /// A readable table, most severe first.
    case text
}

/// Everything a batch scan needs; filled from CLI flags.
public struct ScanOptions: Sendable {
    /// Files, directories or `-` for stdin.
    public var paths: [String]
    /// Directory of detector YAML files.
    public var detectorsDirectory: String
    /// Findings format on stdout.
    public var format: OutputFormat = .json
    /// Exit with `ExitCode.findings` when a finding at or above this severity was emitted.
    public var failOn: Severity? = nil
    /// Skip files whose name time is before this (ms); nil for no bound.
    public var since: Int64? = nil
    /// Skip files whose name time is after this (ms); nil for no bound.
    public var until: Int64? = nil
    /// Cap on decompressed bytes per file (zip bombs).
    public var maxDecompressedBytes: Int64 = 4 << 30
    /// Largest single record accepted.
    public var maxRecordBytes: Int = 8 << 20
    /// Draw a progress bar on stderr (only when stderr is a terminal).
    public var progress: Bool = true
    /// Print the summary on stderr.
    public var summary: Bool = true
    /// Diagnostics printed per code before the rest are only counted.
    public var diagnosticsPerCode: Int = 20
    /// SQLite state file to load baselines from and save them to; nil for none.
    public var statePath: String? = nil
    /// Directory of workflow-log mappings (`formats/*.yaml`); nil for none.
    public var formatsDirectory: String? = nil

    /// Creates options with defaults.
    public init(paths: [String], detectorsDirectory: String) {
        self.paths = paths
        self.detectorsDirectory = detectorsDirectory
    }
}

/// Process exit codes (documented in the README).
public enum ExitStatus: Int32, Sendable {
    /// Ran to the end; no finding at or above `--fail-on`.
    case ok = 0
    /// Could not run: no input readable, state file unusable, I/O error on output.
    case failure = 1
    /// A finding at or above `--fail-on` was emitted.
    case findings = 3
    /// Usage or config error (bad flag, invalid detector YAML).
    case usage = 64
}
