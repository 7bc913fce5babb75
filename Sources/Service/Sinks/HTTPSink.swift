import EventModel
import Foundation
import HTTPTransport
import Runtime

#if canImport(Glibc)
    import Glibc
#endif

/// What a receiver's API makes of a request: the one place that knows its wire format and
/// what its answers mean (Slack, PagerDuty, Splunk HEC, Elasticsearch `_bulk`, plain webhook).
protocol ReceiverAPI {
    /// Most findings sent in one request (1: one request per finding).
    var batchSize: Int { get }
    /// The request carrying `entries` (already filtered by severity), or nil when this receiver
    /// takes none of them (e.g. Slack is told only about incidents and high findings).
    func request(_ entries: [OutboxEntry]) -> HTTPTransport.Request?
    /// What the answer means for `entries`.
    func verdict(_ response: HTTPTransport.Response, _ entries: [OutboxEntry]) -> ReceiverVerdict
}

/// A receiver's answer, as the delivery loop acts on it.
enum ReceiverVerdict: Equatable {
    /// Every entry was stored.
    case delivered
    /// The receiver will never take these (bad payload, bad token): report and skip them.
    case rejected(String)
    /// Try again later; `counts`: the attempt counts towards `max_attempts` (429 "slow down" does not).
    case retry(String, counts: Bool)
    /// Per-item answers (`_bulk`): some stored, some refused for good, the rest to retry.
    case partial(stored: Set<Int64>, rejected: [Int64: String], retry: String)
}

/// Delivers outbox entries through a `ReceiverAPI` over the process's `HTTPTransport`. Undelivered
/// findings wait in the outbox (on disk, bounded by `max_queue`), so they survive an outage and a
/// restart; failures back off exponentially (0.25 s doubling to 30 s). While the receiver is
/// unreachable nothing is counted against a finding: the queue waits. A request the receiver got
/// but failed on (5xx, no answer in time) `max_attempts` times goes to the dead-letter file, so
/// one batch cannot hold the queue forever. Entries go in `seq` order; the mark moves only past
/// a request's last entry once all of it is settled, so delivery is at least once, in order.
final class HTTPSink: FindingSink {
    let name: String
    let minSeverity: Severity
    private let api: any ReceiverAPI
    /// The process's HTTP client (shared by the HTTP sinks; shut down once they have exited).
    let transport: HTTPTransport
    private let config: WatchConfig.Webhook
    private let metrics: Locked<MetricValues>
    private var failures = 0
    private var lastReport = 0.0
    /// Failed attempts on the batch starting at this seq.
    private var attempts: (seq: Int64, count: Int) = (-1, 0)
    /// Entries of the current batch already settled (stored or refused) by a per-item answer.
    private var settled: Set<Int64> = []

    init(config: WatchConfig.Webhook, api: any ReceiverAPI, transport: HTTPTransport, metrics: Locked<MetricValues>) {
        name = config.kind.rawValue
        minSeverity = config.minSeverity
        self.api = api
        self.transport = transport
        self.config = config
        self.metrics = metrics
    }

    func prepare(saved: SinkMark?, startAfter: Int64) throws -> SinkMark {
        saved ?? SinkMark(delivered: startAfter)
    }

    func deliver(_ entries: [OutboxEntry], mark: SinkMark, commit: (SinkMark) -> Void) -> Double? {
        var m = mark
        var rest = entries[...]
        while let first = rest.first {
            var batch: [OutboxEntry] = []
            var end = rest.startIndex
            while end < rest.endIndex && batch.count < max(1, api.batchSize) {
                let e = rest[end]
                if e.severity >= minSeverity.rawValue && !settled.contains(e.seq) { batch.append(e) }
                end += 1
                if api.batchSize <= 1 && !batch.isEmpty { break }
            }
            if !batch.isEmpty, let delay = send(batch, startingAt: first.seq) { return delay }
            settled = []
            m.delivered = rest[end - 1].seq
            commit(m)
            rest = rest[end...]
        }
        return nil
    }

    /// nil when done with the batch (stored or refused), else the delay before a retry.
    private func send(_ batch: [OutboxEntry], startingAt seq: Int64) -> Double? {
        guard let request = api.request(batch) else { return nil }
        switch transport.sendBlocking(request) {
        case .failure(.unreachable(let why)):
            return retry(why)
        case .failure(.tls(let why)):
            return retry(TransportError.tls(why).description)
        case .failure(let e):
            return countAttempt(batch, seq, why: e.description, counts: true)
        case .success(let response):
            switch api.verdict(response, batch) {
            case .delivered:
                recovered()
                return nil
            case .rejected(let why):
                reject(batch.map(\.seq), why: why)
                recovered()
                return nil
            case .retry(let why, let counts):
                return countAttempt(batch, seq, why: why, counts: counts)
            case .partial(let stored, let refused, let why):
                settled.formUnion(stored)
                for (s, reason) in refused.sorted(by: { $0.key < $1.key }) {
                    reject([s], why: reason)
                    settled.insert(s)
                }
                let left = batch.filter { !settled.contains($0.seq) }
                return left.isEmpty ? nil : countAttempt(left, seq, why: why, counts: true)
            }
        }
    }

    private func recovered() {
        if failures > 0 {
            Terminal.err("trailhound: note: \(name) \(config.url) reachable again after \(failures) failed attempt(s)")
        }
        failures = 0
        attempts = (-1, 0)
    }

    private func reject(_ seqs: [Int64], why: String) {
        metrics.with {
            $0.sinkRejected[name, default: 0] += seqs.count
            if name == "webhook" { $0.webhookRejected += seqs.count }
        }
        let which = seqs.count == 1 ? "finding seq \(seqs[0])" : "findings seq \(seqs[0])…\(seqs[seqs.count - 1])"
        Terminal.err(
            "trailhound: error: \(name) \(config.url) refused \(which) with \(why); skipped [\(code(.rejected))]")
    }

    /// A failed attempt on a request the receiver got (`counts`; 429 asks to slow down and does
    /// not): after `max_attempts` the batch goes to the dead-letter file.
    private func countAttempt(_ batch: [OutboxEntry], _ seq: Int64, why: String, counts: Bool) -> Double? {
        if attempts.seq != seq { attempts = (seq, 0) }
        if counts { attempts.count += 1 }
        guard config.maxAttempts > 0, attempts.count >= config.maxAttempts else { return retry(why) }
        failures += 1
        metrics.with {
            $0.sinkFailures[name, default: 0] += 1
            if name == "webhook" { $0.webhookFailures += 1 }
        }
        let which = batch.count == 1 ? "finding seq \(batch[0].seq)" : "\(batch.count) findings from seq \(seq)"
        guard let path = config.deadLetterPath, batch.allSatisfy({ appendDeadLetter($0, why: why, to: path) }) else {
            Terminal.err(
                "trailhound: error: \(name): cannot append \(which) to the dead-letter file \(config.deadLetterPath ?? "-"); it stays queued [\(code(.deadLetterFailed))]"
            )
            return backoff
        }
        metrics.with {
            $0.sinkDeadLetter[name, default: 0] += batch.count
            if name == "webhook" { $0.webhookDeadLetter += batch.count }
        }
        Terminal.err(
            "trailhound: error: \(name) \(config.url) failed \(attempts.count) times on \(which) (\(why)); moved to \(path) [\(code(.deadLetter))]"
        )
        attempts = (-1, 0)
        return nil
    }

    /// Counts a failure, warns (at most once a minute) and returns the backoff delay.
    private func retry(_ why: String) -> Double {
        failures += 1
        metrics.with {
            $0.sinkFailures[name, default: 0] += 1
            if name == "webhook" { $0.webhookFailures += 1 }
        }
        let now = Date().timeIntervalSince1970
        if failures == 1 || now - lastReport > 60 {
            lastReport = now
            Terminal.err(
                "trailhound: warning: \(name) \(config.url): \(why); retrying with backoff, findings wait in the outbox [\(code(.unavailable))]"
            )
        }
        return backoff
    }

    /// What a diagnostic is about; its code is `webhook.*` for the generic webhook (as before
    /// the receivers with their own API came) and `sink.*` for the others, whose name the message carries.
    enum Event { case unavailable, rejected, deadLetter, deadLetterFailed }

    private func code(_ event: Event) -> String {
        let webhook = name == SinkKind.webhook.rawValue
        switch event {
        case .unavailable: return webhook ? "webhook.unavailable" : "sink.unavailable"
        case .rejected: return webhook ? "webhook.rejected" : "sink.rejected"
        case .deadLetter: return webhook ? "webhook.dead_letter" : "sink.dead_letter"
        case .deadLetterFailed: return webhook ? "webhook.dead_letter_failed" : "sink.dead_letter_failed"
        }
    }

    private typealias SinkKind = WatchConfig.SinkKind

    private var backoff: Double { min(30, 0.25 * pow(2, Double(min(max(failures - 1, 0), 8)))) }

    /// One JSON line: `{"seq":…,"attempts":…,"last_error":…,"dead_lettered_at":…,"finding":{…}}`,
    /// written with one `write` and flushed to disk before the mark moves past the finding.
    private func appendDeadLetter(_ e: OutboxEntry, why: String, to path: String) -> Bool {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let at = Timestamp.format(Int64(Date().timeIntervalSince1970 * 1000))
        var line =
            "{\"seq\":\(e.seq),\"attempts\":\(attempts.count),\"last_error\":\(JSONText.quote(why)),"
            + "\"sink\":\(JSONText.quote(name)),\"dead_lettered_at\":\(JSONText.quote(at)),\"finding\":\(e.json)}\n"
        return line.withUTF8 { Terminal.writeAll(fd, $0) } && fsync(fd) == 0
    }
}
