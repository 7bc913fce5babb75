import ArgumentParser
import EventModel
import Runtime

/// `trailhound scan PATH...`
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Scan audit log archives (CloudTrail, Kubernetes, GCP, Azure, AI-workflow) and print findings.",
        discussion: """
            PATH may be a file (gzip or plain JSON, JSON lines or arrays, text access-log lines), a directory \
            (walked recursively; the CloudTrail S3 layout AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/ is \
            processed in event-time order) or - for stdin. Each record is recognised by its content: AWS \
            CloudTrail, Kubernetes audit, GCP Cloud Audit, Azure Activity, AI-workflow server logs, or the \
            access logs in front of them (nginx, ALB, Envoy / Istio, GCP load balancer, Azure Application \
            Gateway; servers and endpoints named by formats/workflow-endpoints.yaml). PATH may also be \
            s3://BUCKET/PREFIX: objects are listed (with --since/--until, only the CloudTrail day folders \
            in the window), streamed and read in the same order as a local copy; credentials are found \
            as the AWS CLI finds them (see docs/cloud.md).
            Findings go to stdout (JSON lines by default), diagnostics and the summary to stderr.
            """)

    @Argument(help: "Files, directories, s3://bucket/prefix, or - for stdin.")
    var paths: [String]

    @OptionGroup var detectorsOption: DetectorsOption

    @OptionGroup var rulesOption: RulesOption

    @OptionGroup var formatsOption: FormatsOption

    @Option(
        name: .long,
        help: "Findings format: json (JSON lines), text (a readable table) or ocsf (OCSF Detection Findings).")
    var format: OutputFormat = .json

    @Option(
        name: .customLong("fail-on"),
        help:
            "Exit with status 3 when a finding at or above this severity is emitted (info, low, medium, high, critical)."
    )
    var failOn: Severity?

    @Option(name: .long, help: "Skip files delivered before this time (ISO 8601 date or time, UTC).")
    var since: String?

    @Option(name: .long, help: "Skip files delivered after this time (ISO 8601 date or time, UTC).")
    var until: String?

    @Option(
        name: .customLong("max-decompressed-mb"),
        help: "Stop reading a file after this many decompressed MiB (zip-bomb guard).")
    var maxDecompressedMB: Int = 4096

    @Option(name: .customLong("max-record-mb"), help: "Skip records larger than this many MiB.")
    var maxRecordMB: Int = 8

    @Option(
        name: .long,
        help:
            "SQLite state file: baselines are loaded from it before the scan and saved to it after, with the files scanned (created if missing)."
    )
    var state: String?

    @Flag(name: .long, help: "With --state: read files again that an earlier scan already recorded.")
    var rescan = false

    @Flag(
        name: .customLong("no-baselines"),
        help: "Run only the detectors that need no baseline (defense evasion, persistence); keep no baselines.")
    var noBaselines = false

    @Option(
        name: .customLong("learning-days"),
        help: "Days of an identity's own history before novelty is reported (sensitive actions are reported earlier).")
    var learningDays: Int = 7

    @Option(name: .customLong("forget-days"), help: "Baseline entries not seen for this many days are forgotten.")
    var forgetDays: Int = 30

    @Option(
        name: .customLong("quarantine-days"),
        help:
            "Days quarantined observations (evidence of medium+ findings, events of suspect identities) wait for `baseline accept` before they are dropped unlearned."
    )
    var quarantineDays: Int = 14

    @Option(
        name: .customLong("suspect-hours"),
        help:
            "Hours after a medium+ finding during which every event of its identity is quarantined instead of learned (0: only the evidence)."
    )
    var suspectHours: Int = 24

    @Option(
        name: .customLong("events-out"),
        help: "Also write every normalized event as a JSON line to this file (slow; for audits and debugging).")
    var eventsOut: String?

    @Option(name: .long, help: "Threads that decompress and decode files in parallel (default: CPU cores).")
    var jobs: Int?

    @Flag(name: .customLong("no-progress"), help: "Never draw the progress bar.")
    var noProgress = false

    @Flag(name: .long, help: "Do not print the summary on stderr.")
    var quiet = false

    @Flag(
        name: .long,
        help:
            "Also group findings into incidents (an identity and the identities it chained into); JSON: {\"type\":\"incident\"} lines after the findings; text: an incidents section first."
    )
    var incidents = false

    @OptionGroup(title: "S3 inputs") var cloud: CloudFlags

    func validate() throws {
        for path in paths {
            if let problem = InputScheme.problem(with: path) { throw ValidationError(problem) }
        }
        if since != nil && Timestamp.parse(since!) == nil {
            throw ValidationError("--since: not an ISO 8601 date or time: \(since!)")
        }
        if until != nil && Timestamp.parse(until!) == nil {
            throw ValidationError("--until: not an ISO 8601 date or time: \(until!)")
        }
        if noBaselines && state != nil {
            throw ValidationError("--no-baselines and --state cannot be combined: there would be no baselines to save")
        }
        if learningDays < 0 || learningDays > 365 { throw ValidationError("--learning-days must be between 0 and 365") }
        if forgetDays < 1 || forgetDays > 3650 { throw ValidationError("--forget-days must be between 1 and 3650") }
        if quarantineDays < 1 || quarantineDays > 365 {
            throw ValidationError("--quarantine-days must be between 1 and 365")
        }
        if suspectHours < 0 || suspectHours > 24 * 365 {
            throw ValidationError("--suspect-hours must be between 0 and 8760")
        }
        if let jobs, jobs < 1 || jobs > 64 { throw ValidationError("--jobs must be between 1 and 64") }
        if maxDecompressedMB < 1 { throw ValidationError("--max-decompressed-mb must be at least 1") }
        if maxRecordMB < 1 || maxRecordMB > 1024 { throw ValidationError("--max-record-mb must be between 1 and 1024") }
    }

    func run() throws {
        var o = ScanOptions(paths: paths, detectorsDirectory: try detectorsOption.directory())
        o.format = format
        o.formatsDirectory = formatsOption.directory()
        o.ruleDirectories = rulesOption.directories(detectors: o.detectorsDirectory)
        o.failOn = failOn
        o.since = since.flatMap(Timestamp.parse)
        o.until = until.flatMap(Timestamp.parse)
        o.maxDecompressedBytes = Int64(maxDecompressedMB) << 20
        o.maxRecordBytes = maxRecordMB << 20
        o.progress = !noProgress
        if let jobs { o.workers = jobs }
        o.statePath = state
        o.eventsOut = eventsOut
        o.rescan = rescan
        o.noBaselines = noBaselines
        o.baselines.learningPeriod = Int64(learningDays) * 86_400_000
        o.baselines.forgetAfter = Int64(forgetDays) * 86_400_000
        o.baselines.quarantinePeriod = Int64(quarantineDays) * 86_400_000
        o.baselines.suspectWindow = Int64(suspectHours) * 3_600_000
        o.summary = !quiet
        o.incidents = incidents
        o.cloud = try cloud.options(for: paths)
        let status = Scanner(options: o).run()
        if status != .ok { try exitWith(status) }
    }
}
