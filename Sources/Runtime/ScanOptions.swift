#if canImport(Glibc)
    import Glibc
#endif
import Baselines
import EventModel

/// Output format of findings on stdout.
public enum OutputFormat: String, Sendable, CaseIterable {
    /// One JSON object per finding per line (default; stable keys, for SIEMs and `jq`).
    case json
    /// A readable table, most severe first.
    case text
    /// One OCSF Detection Finding (class 2004, schema 1.3.0) per line, for Security Lake and SIEMs.
    case ocsf
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
    /// Threads that inflate and decode files in parallel (detection stays on one thread, in order).
    public var workers: Int = ProcessInfoCores.count
    /// SQLite state file to load baselines from and save them to; nil for none.
    public var statePath: String? = nil
    /// Directory of workflow-log mappings (`formats/*.yaml`); nil for none.
    public var formatsDirectory: String? = nil
    /// Write every normalized event as a JSON line to this file (for audits and tests); nil for none.
    public var eventsOut: String? = nil
    /// With a state file: read files again even if an earlier scan recorded them as done.
    public var rescan: Bool = false
    /// Run only the detectors that need no baseline, and keep no baselines.
    public var noBaselines: Bool = false
    /// Baseline settings (learning period, forgetting, caps).
    public var baselines = BaselineConfiguration()
    /// Group findings into incidents (`{"type":"incident"}` lines after the findings; a section before them in text).
    public var incidents = false
    /// Rule directories to load (`RuleLoading.directories`); empty: no rules.
    public var ruleDirectories: [String] = []
    /// How `s3://` inputs are reached (endpoint, region, HTTP client).
    public var cloud = CloudOptions()

    /// Creates options with defaults.
    public init(paths: [String], detectorsDirectory: String) {
        self.paths = paths
        self.detectorsDirectory = detectorsDirectory
    }
}

/// Process exit codes (documented in docs/usage.md).
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

/// Number of CPU cores available, without Foundation.
public enum ProcessInfoCores {
    /// Active processor count, at least 1.
    public static var count: Int {
        #if canImport(Glibc)
            return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
            return 2
        #endif
    }
}
