import EventModel
import Foundation
import Runtime

/// Counters of the running service, shared by the engine thread (writer),
/// the sink threads and the HTTP endpoint (readers). Labels are bounded sets
/// (detector ids from config, severities, diagnostic codes, sink names): never
/// an identity, an address or anything else taken from log content.
struct MetricValues: Sendable {
    var events = 0
    var bytes: Int64 = 0
    var filesDone = 0
    var findings: [String: Int] = [:]  // "detector\u{1}severity"
    var diagnostics: [String: Int] = [:]
    var checkpoints = 0
    var checkpointFailures = 0
    var lastCheckpointSeconds = 0.0
    var lastCheckpointTime = 0.0
    var newestEventTime: Int64 = 0
    var backlogBytes: Int64 = 0
    var delivered: [String: Int] = [:]
    var pending: [String: Int64] = [:]
    var webhookFailures = 0
    var webhookRejected = 0
    var webhookDropped = 0
    var webhookDeadLetter = 0
    /// Failed attempts (retried) per HTTP sink.
    var sinkFailures: [String: Int] = [:]
    /// Findings a receiver refused for good, per HTTP sink.
    var sinkRejected: [String: Int] = [:]
    /// Findings moved to the dead-letter file, per HTTP sink.
    var sinkDeadLetter: [String: Int] = [:]
    var reloads: [String: Int] = [:]
    var startTime = Date().timeIntervalSince1970
    var detectorsEnabled = 0
    var sqs = SQSMetricValues()
}

/// Renders `MetricValues` in the Prometheus text format (version 0.0.4).
enum MetricsText {
    static func render(_ m: MetricValues, now: Double, rss: Int64) -> String {
        var o = ""
        func family(_ name: String, _ type: String, _ help: String) {
            o += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        }
        func line(_ name: String, _ labels: String = "", _ v: String) {
            o += name + (labels.isEmpty ? "" : "{\(labels)}") + " \(v)\n"
        }
        /// A metric with one unlabelled value: its name is written once.
        func single(_ name: String, _ type: String, _ help: String, _ v: String) {
            family(name, type, help)
            line(name, "", v)
        }
        /// A metric with one sample per label value, sorted by label value.
        func labelled<N: BinaryInteger>(
            _ name: String, _ type: String, _ help: String, _ label: String, _ values: [String: N]
        ) {
            family(name, type, help)
            for (k, v) in values.sorted(by: { $0.key < $1.key }) { line(name, "\(label)=\(q(k))", "\(v)") }
        }
        single("trailhound_up", "gauge", "1 while the service runs.", "1")
        single("trailhound_events_total", "counter", "Events decoded and offered to detection.", "\(m.events)")
        single(
            "trailhound_input_bytes_total", "counter", "Bytes read from inputs (compressed size for directory files).",
            "\(m.bytes)")
        single("trailhound_files_done_total", "counter", "Whole files read from watched directories.", "\(m.filesDone)")
        family("trailhound_findings_total", "counter", "Findings committed, by detector and severity.")
        for (k, v) in m.findings.sorted(by: { $0.key < $1.key }) {
            let p = k.split(separator: "\u{1}", maxSplits: 1).map(String.init)
            line("trailhound_findings_total", "detector=\(q(p[0])),severity=\(q(p.count > 1 ? p[1] : ""))", "\(v)")
        }
        labelled("trailhound_diagnostics_total", "counter", "Input problems by stable code.", "code", m.diagnostics)
        single(
            "trailhound_lag_seconds", "gauge", "Wall clock minus the newest event time processed.",
            m.newestEventTime > 0 ? fmt(now - Double(m.newestEventTime) / 1000) : "0")
        single(
            "trailhound_backlog_bytes", "gauge", "Bytes appended to followed files and not read yet.",
            "\(m.backlogBytes)")
        single("trailhound_checkpoints_total", "counter", "Checkpoints committed.", "\(m.checkpoints)")
        single(
            "trailhound_checkpoint_failures_total", "counter", "Checkpoints that failed (the previous one stays).",
            "\(m.checkpointFailures)")
        single(
            "trailhound_checkpoint_duration_seconds", "gauge", "Duration of the last checkpoint.",
            fmt(m.lastCheckpointSeconds))
        single(
            "trailhound_last_checkpoint_timestamp_seconds", "gauge", "Wall time of the last checkpoint.",
            fmt(m.lastCheckpointTime))
        labelled("trailhound_sink_delivered_total", "counter", "Findings delivered, by sink.", "sink", m.delivered)
        labelled(
            "trailhound_sink_pending", "gauge", "Committed findings not yet delivered, by sink.", "sink", m.pending)
        labelled(
            "trailhound_sink_failures_total", "counter", "HTTP sink attempts that failed (retried), by sink.", "sink",
            m.sinkFailures)
        labelled(
            "trailhound_sink_rejected_total", "counter", "Findings a receiver refused for good, by sink.", "sink",
            m.sinkRejected)
        labelled(
            "trailhound_sink_dead_letter_total", "counter", "Findings moved to the dead-letter file, by sink.", "sink",
            m.sinkDeadLetter)
        single(
            "trailhound_webhook_failures_total", "counter", "Webhook attempts without a 2xx answer (retried).",
            "\(m.webhookFailures)")
        single(
            "trailhound_webhook_rejected_total", "counter", "Findings the receiver refused with a 4xx (not retried).",
            "\(m.webhookRejected)")
        single(
            "trailhound_webhook_dropped_total", "counter", "Findings dropped because the webhook queue was full.",
            "\(m.webhookDropped)")
        single(
            "trailhound_webhook_dead_letter_total", "counter",
            "Findings moved to the dead-letter file after max_attempts failed attempts.", "\(m.webhookDeadLetter)")
        family("trailhound_reloads_total", "counter", "Detector config reloads (SIGHUP), by result.")
        for r in ["ok", "rejected"] {
            line("trailhound_reloads_total", "result=\"\(r)\"", "\(m.reloads[r, default: 0])")
        }
        single("trailhound_detectors_enabled", "gauge", "Detectors running.", "\(m.detectorsEnabled)")
        o += m.sqs.text()
        single("process_resident_memory_bytes", "gauge", "Resident memory.", "\(rss)")
        single("process_start_time_seconds", "gauge", "Start time of the process.", fmt(m.startTime))
        return o
    }

    private static func q(_ s: String) -> String {
        "\""
            + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    private static func fmt(_ v: Double) -> String { String(format: "%.3f", v) }

    /// Resident set size from /proc/self/statm (0 when unavailable).
    static func residentBytes() -> Int64 {
        guard let s = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let parts = s.split(separator: " ")
        guard parts.count > 1, let pages = Int64(parts[1]) else { return 0 }
        return pages * Int64(sysconf(Int32(_SC_PAGESIZE)))
    }
}

/// The most recent committed findings, for `/findings` (bounded ring).
struct RecentFindings: Sendable {
    private var items: [OutboxEntry] = []
    private var start = 0
    let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    mutating func add(_ e: OutboxEntry) {
        if items.count < capacity {
            items.append(e)
        } else {
            items[start] = e
            start = (start + 1) % capacity
        }
    }

    /// Oldest first.
    var all: [OutboxEntry] { Array(items[start...] + items[..<start]) }
}

/// Prints diagnostics on stderr, at most `perMinute` per code per minute (a
/// long-running service must not stop reporting a code forever, nor flood).
final class DiagnosticPrinter {
    private let perMinute: Int
    private var window = 0.0
    private var printed: [String: Int] = [:]

    init(perMinute: Int) { self.perMinute = perMinute }

    func print(_ d: Diagnostic, now: Double) {
        if now - window >= 60 {
            window = now
            printed.removeAll()
        }
        let n = printed[d.code, default: 0] + 1
        printed[d.code] = n
        if n <= perMinute {
            Terminal.err(d.description)
        } else if n == perMinute + 1 {
            Terminal.err(
                "trailhound: note: more '\(d.code)' diagnostics this minute are counted in /metrics, not printed")
        }
    }
}
