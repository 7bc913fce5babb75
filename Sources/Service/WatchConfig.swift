import Baselines
import Config
import EventModel
import Foundation
import HTTPTransport
import Runtime

/// Everything `trailhound watch` runs with: read from the service config file
/// (`--config`, see docs/service.md) and/or flags. Durations are milliseconds.
public struct WatchConfig: Sendable {
    /// One input.
    public struct Input: Sendable, Hashable {
        /// What to do with the path.
        public enum Kind: String, Sendable, CaseIterable {
            /// A directory if the path is one when the service starts, else a followed file.
            case auto
            /// A growing JSON-lines file, followed like `tail -F`.
            case tail
            /// A directory where whole files (`.json.gz`) appear; each is read once.
            case directory
        }
        /// File or directory.
        public var path: String
        /// How to read it.
        public var kind: Kind = .auto
        /// Followed files without a saved position: read from the start (default) or only what is appended.
        public var startAtEnd = false

        /// Creates an input.
        public init(path: String, kind: Kind = .auto, startAtEnd: Bool = false) {
            self.path = path
            self.kind = kind
            self.startAtEnd = startAtEnd
        }
    }

    /// The JSON-lines file sink.
    public struct FileSink: Sendable {
        /// Output file (appended).
        public var path: String
        /// Rotate when the file reaches this many bytes.
        public var maxBytes: Int64 = 100 << 20
        /// Rotated files kept (`path.1` … `path.N`).
        public var keep = 5
        /// Findings below this severity are not written.
        public var minSeverity: Severity = .info

        /// Creates a file sink with defaults.
        public init(path: String) { self.path = path }
    }

    /// The HTTP endpoint.
    public struct HTTP: Sendable {
        /// IPv4 or IPv6 literal (or `localhost`) to bind.
        public var host: String = "127.0.0.1"
        /// Port (0: any free port, printed on stderr).
        public var port: UInt16 = 9464
        /// Bearer token required on every request, or nil (allowed on loopback only).
        public var token: String?
        /// Findings kept in memory for `/findings`.
        public var recentFindings = 1000
        /// Seconds from the first byte of a request to the end of its head (else 408 and close).
        public var headTimeout = 10.0
        /// Seconds a connection may stay open without starting a request (new or kept alive).
        public var idleTimeout = 5.0
        /// Where the token was set in the config file (line, column), for messages about it.
        public var tokenPosition: (line: Int, column: Int)?
        /// What set the token (`http.token`, `environment variable X (http.token_env)`), for messages.
        public var tokenSource = "TRAILHOUND_TOKEN"

        /// Creates an endpoint on 127.0.0.1:9464.
        public init() {}
    }

    /// Files and directories (at least one input or queue).
    public var inputs: [Input] = []
    /// SQS queues of S3 notifications (`kind: sqs` inputs, `--sqs`).
    public var queues: [Queue] = []
    /// Directory of detector YAML files; nil: located like the other commands do.
    public var detectorsDirectory: String?
    /// Directory of workflow-log mappings (`formats/*.yaml`), or nil for none.
    public var formatsDirectory: String?
    /// Rule directories (`rules:`), loaded besides the bundled `<detectors>/rules/`; reloaded on SIGHUP.
    public var ruleDirectories: [String] = []
    /// SQLite state file (required).
    public var statePath: String?
    /// How often followed files are checked for new bytes when idle.
    public var pollInterval: Int64 = 100
    /// How often watched directories are listed.
    public var directoryPoll: Int64 = 500
    /// How long a new file's size must stay unchanged before it is read.
    public var settle: Int64 = 300
    /// Longest time between checkpoints while events are processed.
    public var checkpointInterval: Int64 = 2000
    /// Longest time a finding waits for the checkpoint that releases it to the sinks.
    public var findingsCommit: Int64 = 50
    /// Baseline settings.
    public var baselines = BaselineConfiguration()
    /// Largest record accepted.
    public var maxRecordBytes = 8 << 20
    /// Decompressed-size cap per directory file.
    public var maxDecompressedBytes: Int64 = 4 << 30
    /// Findings on stdout.
    public var stdout = true
    /// Findings below this severity are not printed on stdout.
    public var stdoutMinSeverity: Severity = .info
    /// JSON-lines file sink, or nil.
    public var file: FileSink?
    /// Webhook sink, or nil.
    public var webhook: Webhook?
    /// The receivers with their own API (Slack, PagerDuty, Splunk HEC, Elasticsearch), in config order.
    public var receivers: [Webhook] = []
    /// The one HTTP client's settings (`http_client:`): CA bundle, proxies, connect timeout.
    public var transport = HTTPTransport.Options.fromEnvironment(ProcessInfo.processInfo.environment)
    /// HTTP endpoint, or nil for none.
    public var http: HTTP?
    /// Diagnostics printed per code per minute (the rest are counted in `/metrics`).
    public var diagnosticsPerMinute = 20
    /// Group findings into incidents and emit each closed incident (no new
    /// activity for the incident window, in event time) as an outbox record
    /// like a finding (`incidents: true`, `--incidents`).
    public var incidents = false
    /// Debug: file receiving the id of every event processed (tests compare it with the input).
    public var eventLogPath: String?
    /// Debug: process what is there, flush detector windows like `scan`, checkpoint and exit.
    public var exitWhenIdle = false

    /// Creates an empty configuration (fill it from flags or `load`).
    public init() {}
}

extension WatchConfig {
    /// Reads a service config file; every problem is reported (file:line:col, code) at once.
    public static func load(path: String) -> (WatchConfig, [ConfigIssue]) {
        let sink = IssueSink()
        var c = WatchConfig()
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return (c, [ConfigIssue(file: path, code: "config.unreadable", message: "cannot read service config file")])
        }
        guard let r = ConfigReader.parse(yaml: text, file: path, sink: sink) else { return (c, sink.issues) }
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let base = URL(fileURLWithPath: absolute).deletingLastPathComponent()
        func resolve(_ p: String) -> String { p.hasPrefix("/") ? p : base.appendingPathComponent(p).standardized.path }
        let version = r.int("version", default: 1)
        if version != 1 {
            r.report("version", code: "config.version", "unsupported version \(version) (this build reads 1)")
        }
        c.statePath = r.has("state") ? resolve(r.string("state", default: "")) : nil
        c.detectorsDirectory = r.has("detectors") ? resolve(r.string("detectors", default: "")) : nil
        c.formatsDirectory = r.has("formats") ? resolve(r.string("formats", default: "")) : nil
        c.ruleDirectories = r.strings("rules", default: []).map(resolve)
        for i in r.list("inputs") {
            if isQueueEntry(i) {
                if let q = readQueue(i) { c.queues.append(q) }
            } else if let input = readInput(i, resolve) {
                c.inputs.append(input)
            }
        }
        c.pollInterval = Int64(r.int("poll_interval_ms", default: 100, in: 10...10_000))
        c.directoryPoll = Int64(r.int("directory_poll_ms", default: 500, in: 50...600_000))
        c.settle = Int64(r.int("settle_ms", default: 300, in: 0...600_000))
        c.checkpointInterval = Int64(r.int("checkpoint_interval_ms", default: 2000, in: 100...600_000))
        c.findingsCommit = Int64(r.int("findings_commit_ms", default: 50, in: 0...60_000))
        c.incidents = r.bool("incidents", default: false)
        c.diagnosticsPerMinute = r.int("diagnostics_per_minute", default: 20, in: 0...100_000)
        if let b = r.child("baselines") {
            c.baselines.learningPeriod =
                Int64(b.int("learning_days", default: 7, in: 0...365)) * BaselineConfiguration.day
            c.baselines.forgetAfter = Int64(b.int("forget_days", default: 30, in: 1...3650)) * BaselineConfiguration.day
            c.baselines.quarantinePeriod =
                Int64(b.int("quarantine_days", default: 14, in: 1...365)) * BaselineConfiguration.day
            c.baselines.suspectWindow = Int64(b.int("suspect_hours", default: 24, in: 0...8760)) * 3_600_000
            b.finish()
        }
        if let l = r.child("limits") {
            c.maxRecordBytes = l.int("max_record_mb", default: 8, in: 1...1024) << 20
            c.maxDecompressedBytes = Int64(l.int("max_decompressed_mb", default: 4096, in: 1...1_048_576)) << 20
            l.finish()
        }
        if let s = r.child("sinks") { readSinks(s, &c, resolve) }
        if let t = r.child("http_client") { readTransport(t, &c, resolve) }
        if let h = r.child("http") { c.http = readHTTP(h) }
        r.finish()
        return (c, sink.issues)
    }

    private static func readInput(_ r: ConfigReader, _ resolve: (String) -> String) -> Input? {
        defer { r.finish() }
        guard let p = r.requiredString("path") else { return nil }
        if let problem = InputScheme.problem(with: p, supported: InputScheme.watchSupported) {
            r.report("path", code: "config.unsupported_scheme", problem)
            return nil
        }
        var input = Input(path: resolve(p))
        let kind = r.string("kind", default: "auto")
        if let k = Input.Kind(rawValue: kind) {
            input.kind = k
        } else {
            r.report("kind", code: "config.value", "unknown kind '\(kind)' (auto, tail, directory, sqs)")
        }
        let start = r.string("start", default: "beginning")
        if start == "end" {
            input.startAtEnd = true
        } else if start != "beginning" {
            r.report("start", code: "config.value", "expected beginning or end (got '\(start)')")
        }
        return input
    }

    private static func readHTTP(_ h: ConfigReader) -> HTTP {
        var http = HTTP()
        let listen = h.string("listen", default: "127.0.0.1:9464")
        if let (host, port) = parseListen(listen) {
            http.host = host
            http.port = port
        } else {
            h.report(
                "listen", code: "config.value",
                "expected HOST:PORT with an IP literal, e.g. 127.0.0.1:9464 or [::1]:9464")
        }
        if h.has("token") {
            http.token = h.string("token", default: "")
            http.tokenPosition = h.position(of: "token")
            http.tokenSource = "http.token"
        }
        let env = h.string("token_env", default: "TRAILHOUND_TOKEN")
        if http.token == nil, let t = ProcessInfo.processInfo.environment[env], !t.isEmpty {
            http.token = t
            http.tokenPosition = h.position(of: "token_env")
            http.tokenSource = "environment variable \(env)" + (h.has("token_env") ? " (http.token_env)" : "")
        }
        http.recentFindings = h.int("recent_findings", default: 1000, in: 1...100_000)
        http.headTimeout = Double(h.int("head_timeout_s", default: 10, in: 1...300))
        http.idleTimeout = Double(h.int("idle_timeout_s", default: 5, in: 1...3600))
        if !isLoopback(http.host) && (http.token ?? "").isEmpty {
            h.report(
                "listen", code: "config.insecure_listen",
                "binding to \(http.host) (beyond loopback) requires a token: set http.token, http.token_env or TRAILHOUND_TOKEN"
            )
        }
        h.finish()
        return http
    }

    /// `127.0.0.1:9464`, `[::1]:9464`, `localhost:9464`, `:9464` (loopback) → host and port.
    public static func parseListen(_ s: String) -> (String, UInt16)? {
        guard let colon = s.lastIndex(of: ":"), let port = UInt16(s[s.index(after: colon)...]) else { return nil }
        var host = String(s[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty || host == "localhost" { host = "127.0.0.1" }
        var a4 = in_addr()
        var a6 = in6_addr()
        guard inet_pton(AF_INET, host, &a4) == 1 || inet_pton(AF_INET6, host, &a6) == 1 else { return nil }
        return (host, port)
    }

    /// True for 127.0.0.0/8 and ::1.
    public static func isLoopback(_ host: String) -> Bool {
        host.hasPrefix("127.") || host == "::1"
    }

    /// Problems that make the configuration unusable (after flags were applied).
    /// `checkListen`: the listen address came from a flag (a config file's is checked when it is read).
    public func problems(configFile: String?, checkListen: Bool) -> [ConfigIssue] {
        let file = configFile ?? "trailhound watch"
        var out: [ConfigIssue] = []
        if statePath == nil {
            out.append(
                ConfigIssue(
                    file: file, code: "config.missing_key",
                    message:
                        "a state file is required (state: in the config, or --state FILE): offsets, baselines and the outbox live there"
                ))
        }
        if inputs.isEmpty && queues.isEmpty {
            out.append(
                ConfigIssue(
                    file: file, code: "config.missing_key",
                    message: "no inputs (inputs: in the config, PATH arguments or --sqs URL)"))
        }
        if checkListen, let http, !WatchConfig.isLoopback(http.host), (http.token ?? "").isEmpty {
            out.append(
                ConfigIssue(
                    file: file, code: "config.insecure_listen",
                    message:
                        "binding to \(http.host) (beyond loopback) requires a token (http.token, http.token_env or TRAILHOUND_TOKEN)"
                ))
        }
        if let http, let token = http.token, !token.isEmpty,
            let why = WatchConfig.tokenWeakness(token, host: http.host)
        {
            out.append(
                ConfigIssue(
                    file: file, line: http.tokenPosition?.line ?? 0,
                    column: http.tokenPosition?.column ?? 0, code: "config.weak_token",
                    message: "\(http.tokenSource): \(why)"))
        }
        return out
    }

    /// Fewest characters of a token guarding a listener beyond loopback.
    public static let minimumTokenLength = 16

    /// Why `token` cannot guard an endpoint bound to `host`, or nil when it can. Surrounding
    /// whitespace or control characters are refused on any listener (a client cannot send them
    /// in an `Authorization` header, so the token could never match); beyond loopback the token
    /// must also have at least `minimumTokenLength` characters.
    public static func tokenWeakness(_ token: String, host: String) -> String? {
        if token.first?.isWhitespace == true || token.last?.isWhitespace == true
            || token.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        {
            return
                "the token has surrounding whitespace or control characters, which no client can send in an Authorization header"
        }
        if !isLoopback(host) && token.count < minimumTokenLength {
            return
                "a token of \(token.count) character(s) is too weak for a listener beyond loopback (\(host)); use at least \(minimumTokenLength), e.g. `openssl rand -hex 16`"
        }
        return nil
    }
}
