import ArgumentParser
import EventModel
import Formats
import Investigation
import Runtime

extension ReportFormat: ExpressibleByArgument {}

/// `trailhound investigate IDENTITY PATH...`
struct InvestigateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "investigate",
        abstract: "Investigate one identity: credentials, data read, trust chain, persistence, what to revoke.",
        discussion: """
            IDENTITY is a canonical identity key (arn:aws:iam::111122223333:role/web-app), an access key id \
            (AKIA…/ASIA…: only that credential), an assumed-role session ARN (only that session), or a short \
            name (role/web-app, web-app) matched against the identities in the logs.
            Events before --from in the same PATHs (and the baselines of --state) are the "before" baseline; \
            events after --to are read only to see whether what the chain created still exists or was used.
            Roles assumed and users or keys created by the identity are investigated too (--depth).
            """)

    @Argument(help: "Identity key, access key id, session ARN or short name.")
    var identity: String

    @Argument(help: "Files, directories, s3://bucket/prefix, or - for stdin.")
    var paths: [String]

    @OptionGroup var detectorsOption: DetectorsOption

    @OptionGroup var rulesOption: RulesOption

    @OptionGroup var formatsOption: FormatsOption

    @Option(name: .long, help: "Start of the window (ISO 8601 date or time, UTC).")
    var from: String?

    @Option(
        name: .long, help: "End of the window (ISO 8601 date or time, UTC; a date alone means the end of that day).")
    var to: String?

    @Option(
        name: .long,
        help: "Report format: md (Markdown), html (self-contained page with pictures) or json (stable, documented).")
    var format: ReportFormat = .md

    @Option(name: .shortAndLong, help: "Write the report to this file instead of stdout.")
    var output: String?

    @Option(
        name: .long,
        help: "State file of a running service: its saved baselines join the \"before\" baseline (it is not modified).")
    var state: String?

    @Option(name: .long, help: "Chain steps to follow (roles assumed, users and keys created), 0 to 6.")
    var depth: Int = 3

    @Option(
        name: .customLong("learning-days"),
        help: "Days of an identity's own history before novelty is reported by the detectors.")
    var learningDays: Int = 7

    @Option(name: .long, help: "Threads that decompress and decode files in parallel (default: CPU cores).")
    var jobs: Int?

    @Flag(name: .long, help: "Do not print the summary line on stderr.")
    var quiet = false

    @OptionGroup(title: "S3 inputs") var cloud: CloudFlags

    func validate() throws {
        if let from, Timestamp.parse(from) == nil {
            throw ValidationError("--from: not an ISO 8601 date or time: \(from)")
        }
        if let to, Timestamp.parse(to) == nil { throw ValidationError("--to: not an ISO 8601 date or time: \(to)") }
        if let f = from.flatMap(Timestamp.parse), let t = toTime, t < f {
            throw ValidationError("--to is before --from")
        }
        if depth < 0 || depth > 6 { throw ValidationError("--depth must be between 0 and 6") }
        if learningDays < 0 || learningDays > 365 { throw ValidationError("--learning-days must be between 0 and 365") }
        if let jobs, jobs < 1 || jobs > 64 { throw ValidationError("--jobs must be between 1 and 64") }
        if identity.isEmpty { throw ValidationError("IDENTITY must not be empty") }
        for path in paths {
            if let problem = InputScheme.problem(with: path) { throw ValidationError(problem) }
        }
    }

    /// `--to` in ms; a date without a time means the end of that day.
    private var toTime: Int64? {
        guard let to, let t = Timestamp.parse(to) else { return nil }
        return to.count == 10 ? t + 86_400_000 - 1 : t
    }

    func run() throws {
        var o = InvestigateOptions(
            identity: identity, paths: paths, detectorsDirectory: try detectorsOption.directory())
        o.ruleDirectories = rulesOption.directories(detectors: o.detectorsDirectory)
        o.window = TimeWindow(from: from.flatMap(Timestamp.parse), to: toTime)
        o.statePath = state
        o.format = format
        o.outputPath = output
        o.limits.maxDepth = depth
        o.baselines.learningPeriod = Int64(learningDays) * 86_400_000
        if let jobs { o.workers = jobs }
        o.summary = !quiet
        let formats = FormatMappingLoader.load(directory: formatsOption.directory())
        for i in formats.issues { Terminal.err(i.description) }
        if !formats.issues.isEmpty { try exitWith(.usage) }
        o.mappings = formats.mappings
        o.frontDoor = formats.frontDoor
        o.cloud = try cloud.options(for: paths)
        let status = InvestigateRunner(options: o).run()
        if status != .ok { try exitWith(status) }
    }
}
