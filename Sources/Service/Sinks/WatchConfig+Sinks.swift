import Config
import Detection
import EventModel
import Foundation
import HTTPTransport

extension WatchConfig {
    /// What a receiver that takes arbitrary JSON gets: Trailhound's own finding line or OCSF.
    public enum SinkFormat: String, Sendable, CaseIterable {
        /// The `scan` JSON line plus `seq`.
        case native
        /// OCSF Detection Finding (class 2004), see `OCSFFormatter`.
        case ocsf
    }

    /// Which receiver API an HTTP sink speaks.
    public enum SinkKind: String, Sendable, CaseIterable {
        /// Generic JSON webhook, one POST per finding.
        case webhook
        /// Slack incoming webhook (a message per incident or high+ finding).
        case slack
        /// PagerDuty Events API v2.
        case pagerduty
        /// Splunk HTTP Event Collector.
        case splunkHEC = "splunk_hec"
        /// Elasticsearch / OpenSearch `_bulk`.
        case elasticsearch
    }

    /// An HTTP sink (the generic webhook and the receivers with their own API): one key under
    /// `sinks:` per kind, each with its own `min_severity`, queue bound and retry budget.
    public struct Webhook: Sendable {
        /// Which API the receiver speaks.
        public var kind: SinkKind = .webhook
        /// `http://` or `https://` URL (for Elasticsearch the base URL; `/_bulk` is appended).
        public var url: String
        /// The secret: Bearer token (webhook), HEC token, PagerDuty routing key; nil for none.
        public var token: String?
        /// Elasticsearch `ApiKey` credential, or nil.
        public var apiKey: String?
        /// Elasticsearch basic-auth user, or nil.
        public var username: String?
        /// Elasticsearch basic-auth password, or nil.
        public var password: String?
        /// Native findings or OCSF (receivers that take arbitrary JSON).
        public var format: SinkFormat = .native
        /// Index (Elasticsearch, Splunk HEC), nil for the receiver's default.
        public var index: String?
        /// Splunk `sourcetype`, nil: `trailhound:finding` (native) or `ocsf:detection_finding`.
        public var sourcetype: String?
        /// Findings per request for the batching receivers (Splunk HEC, Elasticsearch).
        public var batchSize = 100
        /// Per-request timeout (seconds).
        public var timeout: Double = 10
        /// Most undelivered findings kept; the oldest are dropped (and counted) beyond it.
        public var maxQueue = 100_000
        /// Findings below this severity are not sent.
        public var minSeverity: Severity = .info
        /// Failed attempts on one request (the receiver answered badly or not in time) after which
        /// its findings are moved to the dead-letter file and the next are sent; 0: retry forever.
        /// Attempts that find the receiver unreachable do not count: findings then wait.
        public var maxAttempts = 5
        /// JSON-lines file receiving findings given up on; nil: `<state>.<kind>-dead-letter.jsonl`.
        public var deadLetterPath: String?

        /// Creates a sink of `kind` with defaults.
        public init(url: String, kind: SinkKind = .webhook) {
            self.url = url
            self.kind = kind
        }
    }

    /// Whether `url` is one the HTTP client can use (`http://` or `https://` with a host).
    public static func webhookURLIsValid(_ url: String) -> Bool {
        guard let u = URL(string: url), let scheme = u.scheme?.lowercased(), let host = u.host, !host.isEmpty else {
            return false
        }
        return scheme == "http" || scheme == "https"
    }

    static func readSinks(_ s: ConfigReader, _ c: inout WatchConfig, _ resolve: (String) -> String) {
        if let n = s.node("stdout"), let b = n.bool {
            c.stdout = b
        } else if let o = s.child("stdout") {
            c.stdout = o.bool("enabled", default: true)
            c.stdoutMinSeverity = o.severity("min_severity", default: .info)
            o.finish()
        }
        if let f = s.child("file"), let p = f.requiredString("path") {
            var fs = FileSink(path: resolve(p))
            fs.maxBytes = Int64(f.int("max_mb", default: 100, in: 1...1_000_000)) << 20
            fs.keep = f.int("keep", default: 5, in: 0...1000)
            fs.minSeverity = f.severity("min_severity", default: .info)
            f.finish()
            c.file = fs
        }
        for kind in SinkKind.allCases {
            guard let r = s.child(kind.rawValue), let sink = readHTTPSink(r, kind, resolve) else { continue }
            if kind == .webhook { c.webhook = sink } else { c.receivers.append(sink) }
        }
        s.finish()
    }

    private static func readHTTPSink(_ r: ConfigReader, _ kind: SinkKind, _ resolve: (String) -> String) -> Webhook? {
        defer { r.finish() }
        let defaultURL = kind == .pagerduty ? "https://events.pagerduty.com/v2/enqueue" : nil
        guard let url = secret(r, "url", required: defaultURL == nil) ?? defaultURL else { return nil }
        var w = Webhook(url: url, kind: kind)
        if !webhookURLIsValid(url) {
            r.report(r.has("url") ? "url" : "url_env", code: "config.value", "expected an http:// or https:// URL")
        }
        switch kind {
        case .webhook: w.token = secret(r, "token", required: false)
        case .slack: break
        case .pagerduty: w.token = secret(r, "routing_key", required: true)
        case .splunkHEC: w.token = secret(r, "token", required: true)
        case .elasticsearch:
            w.apiKey = secret(r, "api_key", required: false)
            if r.has("username") { w.username = r.string("username", default: "") }
            w.password = secret(r, "password", required: w.username != nil && w.apiKey == nil)
        }
        if kind == .splunkHEC || kind == .elasticsearch {
            if r.has("index") { w.index = r.string("index", default: "") }
            w.batchSize = r.int("batch_size", default: 100, in: 1...10_000)
        }
        if kind == .splunkHEC, r.has("sourcetype") { w.sourcetype = r.string("sourcetype", default: "") }
        if kind != .slack {
            let f = r.string("format", default: "native")
            if let format = SinkFormat(rawValue: f) {
                w.format = format
            } else {
                r.report("format", code: "config.value", "expected native or ocsf (got '\(f)')")
            }
        }
        let carriesSecret = w.token != nil || w.apiKey != nil || w.password != nil || kind == .slack
        if carriesSecret, let u = URL(string: url), u.scheme?.lowercased() == "http", let host = u.host,
            !isLoopback(host) && host != "localhost"
        {
            r.report(
                r.has("url") ? "url" : "url_env", code: "config.insecure_url",
                "\(kind.rawValue) sends a secret; use https:// for \(host) (plain http only on loopback)")
        }
        w.timeout = Double(r.int("timeout_s", default: 10, in: 1...300))
        w.maxQueue = r.int("max_queue", default: 100_000, in: 1...10_000_000)
        w.minSeverity = r.severity("min_severity", default: kind == .slack || kind == .pagerduty ? .high : .info)
        w.maxAttempts = r.int("max_attempts", default: 5, in: 0...1000)
        if r.has("dead_letter") { w.deadLetterPath = resolve(r.string("dead_letter", default: "")) }
        return w
    }

    /// `key: value` in the file, or `key_env: NAME` read from the environment (so the file can be
    /// committed); a required secret that is absent, or an empty variable, is a config error.
    private static func secret(_ r: ConfigReader, _ key: String, required: Bool) -> String? {
        if r.has(key) { return r.string(key, default: "") }
        if r.has(key + "_env") {
            let name = r.string(key + "_env", default: "")
            let value = ProcessInfo.processInfo.environment[name] ?? ""
            if value.isEmpty {
                // An empty value would be sent as "Bearer " or "Splunk " and refused at every delivery.
                r.report(key + "_env", code: "config.value", "environment variable \(name) is not set or empty")
                return nil
            }
            return value
        }
        if required {
            r.report(
                key, code: "config.missing_secret", "\(key) (or \(key)_env, read from the environment) is required")
        }
        return nil
    }

    static func readTransport(_ t: ConfigReader, _ c: inout WatchConfig, _ resolve: (String) -> String) {
        defer { t.finish() }
        if t.has("ca_bundle") { c.transport.caBundle = resolve(t.string("ca_bundle", default: "")) }
        c.transport.caBundleReplacesSystemRoots = t.bool("ca_bundle_only", default: false)
        if t.has("https_proxy") { c.transport.httpsProxy = t.string("https_proxy", default: "") }
        if t.has("http_proxy") { c.transport.httpProxy = t.string("http_proxy", default: "") }
        if t.has("no_proxy") { c.transport.noProxy = t.strings("no_proxy", default: []) }
        c.transport.connectTimeout = Double(t.int("connect_timeout_s", default: 10, in: 1...300))
        if c.transport.caBundle != nil {
            do {
                _ = try HTTPTransport(options: c.transport)
            } catch {
                t.report("ca_bundle", code: "config.ca_bundle", error.description)
            }
        }
    }
}
