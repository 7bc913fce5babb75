import ArgumentParser
import Config
import Detection
import EventModel
import Foundation
import Runtime
import Service

/// `trailhound watch`: the live service.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract:
            "Follow logs live: tail growing files, pick up new files in directories, emit findings as they happen.",
        discussion: """
            Settings come from --config FILE (see docs/service.md) and/or the flags below; flags win.
            A PATH that is a directory is watched for new whole files (.json.gz as CloudTrail delivers them);
            any other PATH is followed like `tail -F` (JSON lines; rotation by rename or copy-truncate).
            Offsets, baselines and undelivered findings are checkpointed together in the --state file, so a
            restart after a crash neither skips an event nor repeats a finding. SIGTERM/SIGINT drain and exit;
            SIGHUP reloads the detector config (a config with problems is rejected and the old one stays).
            """)

    @Argument(help: "Files to follow or directories to watch (added to the config's inputs).")
    var paths: [String] = []

    @Option(name: .long, help: "Service config file (YAML).")
    var config: String?

    @Option(
        name: .long,
        help:
            "Read the S3 objects named by the notifications on this SQS queue URL (S3 events, through SNS or EventBridge, or CloudTrail's own); repeatable."
    )
    var sqs: [String] = []

    @Option(name: .long, help: "AWS region for --sqs queues (default: the queue URL's, else AWS_REGION).")
    var region: String?

    @Option(
        name: .customLong("endpoint-url"),
        help: "Send the SQS and S3 requests of --sqs queues here (an S3/SQS-compatible endpoint), not to AWS.")
    var endpointURL: String?

    @Option(name: .long, help: "SQLite state file: offsets, files done, baselines, outbox (created if missing).")
    var state: String?

    @Option(
        name: .long,
        help: "Serve /healthz, /metrics and /findings on HOST:PORT (e.g. 127.0.0.1:9464; port 0 picks one).")
    var listen: String?

    @OptionGroup var detectorsOption: DetectorsOption

    @OptionGroup var formatsOption: FormatsOption

    @Option(name: .long, help: "Also append findings as JSON lines to this file (rotated at 100 MiB).")
    var output: String?

    @Option(name: .long, help: "Also POST each finding to this http(s):// URL (retried; queued in the state file).")
    var webhook: String?

    @Flag(name: .customLong("no-stdout"), help: "Do not print findings on stdout.")
    var noStdout = false

    @Option(name: .customLong("poll-ms"), help: "How often followed files are checked when idle (milliseconds).")
    var pollMs: Int?

    @Option(name: .customLong("learning-days"), help: "Days of an identity's own history before novelty is reported.")
    var learningDays: Int?

    @Option(name: .customLong("forget-days"), help: "Baseline entries not seen for this many days are forgotten.")
    var forgetDays: Int?

    @Option(
        name: .customLong("quarantine-days"),
        help: "Days quarantined observations wait for `baseline accept` before they are dropped unlearned.")
    var quarantineDays: Int?

    @Option(
        name: .customLong("suspect-hours"),
        help: "Hours after a medium+ finding during which every event of its identity is quarantined.")
    var suspectHours: Int?

    @Flag(
        name: .customLong("check-config"),
        help: "Check the service config and the detector config, print problems, and exit (0: fine, 64: problems).")
    var checkConfig = false

    @Flag(
        name: .customLong("incidents"),
        help:
            "Also emit incidents (findings grouped by identity and chained identities) under a stable id: when one opens (reaches medium), when it changes, and when it closes (quiet for the incident window in event time)."
    )
    var incidents = false

    @Option(name: .customLong("debug-event-log"), help: .hidden)
    var debugEventLog: String?

    @Flag(
        name: .customLong("exit-when-idle"),
        help:
            "Read what the inputs hold, emit the pending follow-ups and open incidents as scan does, checkpoint and exit (batch runs, tests)."
    )
    var exitWhenIdle = false

    func validate() throws {
        for path in paths {
            if let problem = InputScheme.problem(with: path, supported: InputScheme.watchSupported) {
                throw ValidationError(problem)
            }
        }
        for url in sqs {
            if let problem = WatchConfig.queueURLProblem(url) { throw ValidationError("--sqs: \(problem)") }
        }
        if let endpointURL, !endpointURL.hasPrefix("http://") && !endpointURL.hasPrefix("https://") {
            throw ValidationError("--endpoint-url: expected http(s)://host[:port]")
        }
    }

    func run() throws {
        var c = WatchConfig()
        var issues: [ConfigIssue] = []
        if let config { (c, issues) = WatchConfig.load(path: config) }
        try apply(to: &c, issues: &issues)
        issues += c.problems(configFile: config, checkListen: listen != nil)
        if !issues.isEmpty {
            for i in issues { Terminal.err(i.description) }
            Terminal.err("trailhound: error: \(issues.count) problem(s) in the service config; not started")
            try exitWith(.usage)
        }
        // What the start needs from the machine: checked by --check-config and again at start.
        let preflight = WatchPreflight.problems(c, configFile: config)
        for i in preflight { Terminal.err(i.description) }
        if checkConfig {
            let problems = WatchService.checkDetectors(c)
            for i in problems { Terminal.err(i.description) }
            if !problems.isEmpty || !preflight.isEmpty { try exitWith(.usage) }
            print(
                "\(config ?? "flags"): service config and detectors are fine (\(c.inputs.count + c.queues.count) input(s))"
            )
            return
        }
        if !preflight.isEmpty {
            Terminal.err("trailhound: error: \(preflight.count) problem(s) with what the service needs; not started")
            try exitWith(.failure)
        }
        let status = WatchService.run(config: c)
        if status != .ok { try exitWith(status) }
    }

    private func apply(to c: inout WatchConfig, issues: inout [ConfigIssue]) throws {
        c.inputs += paths.map { WatchConfig.Input(path: $0) }
        c.queues += sqs.map { WatchConfig.Queue(url: $0) }
        for i in c.queues.indices {
            if let region { c.queues[i].region = region }
            if let endpointURL { c.queues[i].endpointURL = endpointURL }
        }
        if let state { c.statePath = state }
        if let listen {
            guard let (host, port) = WatchConfig.parseListen(listen) else {
                throw ValidationError("--listen: expected HOST:PORT with an IP literal, e.g. 127.0.0.1:9464")
            }
            var http = c.http ?? WatchConfig.HTTP()
            http.host = host
            http.port = port
            if http.token == nil, let t = ProcessInfo.processInfo.environment["TRAILHOUND_TOKEN"], !t.isEmpty {
                http.token = t
            }
            c.http = http
        }
        if detectorsOption.detectors != nil || c.detectorsDirectory == nil {
            c.detectorsDirectory = try detectorsOption.directory()
        }
        if formatsOption.formats != nil || c.formatsDirectory == nil { c.formatsDirectory = formatsOption.directory() }
        if let output { c.file = WatchConfig.FileSink(path: output) }
        if let webhook {
            guard WatchConfig.webhookURLIsValid(webhook) else {
                throw ValidationError("--webhook: expected an http:// or https:// URL")
            }
            c.webhook = WatchConfig.Webhook(url: webhook)
        }
        if noStdout { c.stdout = false }
        if let pollMs {
            guard (10...10_000).contains(pollMs) else {
                throw ValidationError("--poll-ms must be between 10 and 10000")
            }
            c.pollInterval = Int64(pollMs)
        }
        if let learningDays { c.baselines.learningPeriod = Int64(learningDays) * 86_400_000 }
        if let forgetDays { c.baselines.forgetAfter = Int64(forgetDays) * 86_400_000 }
        if let quarantineDays {
            guard (1...365).contains(quarantineDays) else {
                throw ValidationError("--quarantine-days must be between 1 and 365")
            }
            c.baselines.quarantinePeriod = Int64(quarantineDays) * 86_400_000
        }
        if let suspectHours {
            guard (0...8760).contains(suspectHours) else {
                throw ValidationError("--suspect-hours must be between 0 and 8760")
            }
            c.baselines.suspectWindow = Int64(suspectHours) * 3_600_000
        }
        c.eventLogPath = debugEventLog
        c.exitWhenIdle = exitWhenIdle
        if incidents { c.incidents = true }
    }
}
