import Baselines
import EventModel
import Formats
import Investigation

/// Format of an investigation report.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// Markdown (default): readable in a terminal, a ticket or a pull request.
    case md
    /// A self-contained HTML page with inline SVG pictures (no network, no JavaScript).
    case html
    /// Stable JSON (schema `trailhound.investigation/v1`, see docs/investigation.md).
    case json
}

/// Everything `trailhound investigate` needs; filled from CLI flags.
public struct InvestigateOptions: Sendable {
    /// Identity key, access key id, session ARN or short name.
    public var identity: String
    /// Files, directories or `-` for stdin.
    public var paths: [String]
    /// Directory of detector YAML files.
    public var detectorsDirectory: String
    /// Window investigated (events before it form the "before" baseline).
    public var window = TimeWindow()
    /// State file of a running service: its saved baselines are loaded (never written).
    public var statePath: String? = nil
    /// Report format.
    public var format: ReportFormat = .md
    /// Write the report here instead of stdout.
    public var outputPath: String? = nil
    /// Limits of the investigation (chain depth, caps).
    public var limits = Investigator.Configuration()
    /// Cap on decompressed bytes per file.
    public var maxDecompressedBytes: Int64 = 4 << 30
    /// Largest single record accepted.
    public var maxRecordBytes: Int = 8 << 20
    /// Threads that inflate and decode files.
    public var workers: Int = ProcessInfoCores.count
    /// Diagnostics printed per code before the rest are only counted.
    public var diagnosticsPerCode: Int = 20
    /// Print a one-line summary on stderr.
    public var summary = true
    /// Baseline settings (learning period, forgetting, caps).
    public var baselines = BaselineConfiguration()
    /// Workflow-log mappings (`formats/*.yaml`, loaded by the caller).
    public var mappings: [WorkflowMapping] = []
    /// Rule directories to load (`RuleLoading.directories`); empty: no rules.
    public var ruleDirectories: [String] = []
    /// Endpoint catalogue and deployments of the front-door formats (from the same directory).
    public var frontDoor = FrontDoorConfig()
    /// How `s3://` inputs are reached (endpoint, region, HTTP client).
    public var cloud = CloudOptions()

    /// Creates options with defaults.
    public init(identity: String, paths: [String], detectorsDirectory: String) {
        self.identity = identity
        self.paths = paths
        self.detectorsDirectory = detectorsDirectory
    }
}
