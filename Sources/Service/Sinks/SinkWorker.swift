import Foundation
import Runtime

/// Runs one sink on its own thread: reads the outbox after the sink's mark,
/// delivers, stores the new mark; sleeps until woken by a commit. On stop it
/// drains what is committed (within a deadline for sinks that may be
/// unreachable) and exits.
final class SinkWorker: @unchecked Sendable {
    let sink: any FindingSink
    private let outbox: Outbox
    private let metrics: Locked<MetricValues>
    private let maxQueue: Int?
    let wakeup = Wakeup()
    private let stopAt = Locked<Double?>(nil)
    private let finished = Locked<[CheckedContinuation<Void, Never>]>([])
    private let done = Locked(false)

    init(sink: any FindingSink, outbox: Outbox, metrics: Locked<MetricValues>, maxQueue: Int?) {
        self.sink = sink
        self.outbox = outbox
        self.metrics = metrics
        self.maxQueue = maxQueue
    }

    /// Reconciles the output with the stored mark; `startAfter` is where a new sink starts.
    func prepare(startAfter: Int64) throws -> SinkMark {
        let m = try sink.prepare(saved: try outbox.mark(sink.name), startAfter: startAfter)
        try outbox.setMark(sink.name, m)
        return m
    }

    /// Starts the thread.
    func start(from mark: SinkMark) {
        let t = Thread { [self] in
            loop(mark)
            done.with { $0 = true }
            for c in finished.with({ c -> [CheckedContinuation<Void, Never>] in
                defer { c = [] }; return c
            }) { c.resume() }
        }
        t.name = "trailhound-sink-\(sink.name)"
        t.start()
    }

    /// Asks the worker to deliver what is committed, giving up after `drain` seconds, then to exit.
    func stop(drain: Double) {
        stopAt.with { $0 = Date().timeIntervalSince1970 + drain }
        wakeup.signal()
    }

    /// Waits until the thread has exited.
    func waitUntilFinished() async {
        await withCheckedContinuation { c in
            let already = done.with { d -> Bool in
                if !d { finished.with { $0.append(c) } }
                return d
            }
            if already { c.resume() }
        }
    }

    private func loop(_ start: SinkMark) {
        var mark = start
        while true {
            let deadline = stopAt.with { $0 }
            if let deadline, Date().timeIntervalSince1970 > deadline { return }
            dropOverflow(&mark)
            let batch = (try? outbox.pending(after: mark.delivered, limit: 256)) ?? []
            publishPending(mark)
            if batch.isEmpty {
                if deadline != nil { return }
                wakeup.wait(seconds: 1)
                continue
            }
            let before = mark.delivered
            let retry = sink.deliver(batch, mark: mark) { m in
                mark = m
                try? outbox.setMark(sink.name, m)
            }
            let n = batch.filter { $0.seq > before && $0.seq <= mark.delivered }.count
            metrics.with { $0.delivered[sink.name, default: 0] += n }
            if let retry {
                if let deadline, Date().timeIntervalSince1970 + retry > deadline { return }
                wakeup.wait(seconds: retry)
            }
        }
    }

    /// A bounded queue: beyond `maxQueue` undelivered findings the oldest are dropped (and counted).
    private func dropOverflow(_ mark: inout SinkMark) {
        guard let maxQueue, let top = try? outbox.maxSeq(), top - mark.delivered > Int64(maxQueue) else { return }
        let dropped = top - Int64(maxQueue) - mark.delivered
        mark.delivered = top - Int64(maxQueue)
        try? outbox.setMark(sink.name, mark)
        metrics.with { $0.webhookDropped += Int(dropped) }
        Terminal.err(
            "trailhound: error: \(sink.name) queue full (\(maxQueue) findings): dropped the \(dropped) oldest undelivered finding(s) [\(sink.name).queue_full]"
        )
    }

    private func publishPending(_ mark: SinkMark) {
        let top = (try? outbox.maxSeq()) ?? mark.delivered
        metrics.with { $0.pending[sink.name] = max(0, top - mark.delivered) }
    }
}
