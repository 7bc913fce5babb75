import AWS
import Foundation

/// One queue of S3 notifications. Two tasks run beside the engine thread: the receiver
/// long-polls for messages while the engine has none waiting, and the keeper deletes the
/// messages whose checkpoint committed and extends the visibility of every message still held
/// (being read, or waiting for its checkpoint). A message that cannot be honoured is dropped
/// from the held set untouched: its visibility runs out and the queue's redrive policy decides
/// (redelivery, then the dead-letter queue), so nothing here retries it in a loop.
final class SQSInput: @unchecked Sendable {
    /// The configuration it runs with.
    let queue: WatchConfig.Queue
    /// Queue API client.
    let sqs: SQSClient
    /// Object reads.
    let s3: S3Client
    /// Inflater and framer reused for every object (engine thread only).
    var stream: QueueObjectReader?
    private let metrics: Locked<MetricValues>
    private let wakeEngine: () -> Void
    /// `--exit-when-idle`: drained means the queue itself holds nothing (visible or in flight),
    /// checked with GetQueueAttributes after an empty poll.
    private let askQueueWhenEmpty: Bool
    private let state = Locked(State())
    private var tasks: [Task<Void, Never>] = []

    private struct State {
        /// Received, not yet taken by the engine.
        var ready: [SQSMessage] = []
        /// Received and not yet deleted nor given up: receipt handle → when it becomes visible again.
        var held: [String: Double] = [:]
        /// Read whole; deleted after the next checkpoint commits.
        var processed: [String] = []
        /// Covered by a committed checkpoint; the keeper deletes them.
        var toDelete: [String] = []
        /// The last long poll came back empty.
        var drained = false
        var stopping = false
        /// Problems met by the tasks, reported by the engine thread.
        var problems: [String] = []
    }

    init(
        queue: WatchConfig.Queue, sqs: SQSClient, s3: S3Client, metrics: Locked<MetricValues>,
        askQueueWhenEmpty: Bool = false, wake: @escaping () -> Void
    ) {
        self.askQueueWhenEmpty = askQueueWhenEmpty
        self.queue = queue
        self.sqs = sqs
        self.s3 = s3
        self.metrics = metrics
        self.wakeEngine = wake
    }

    /// Starts the receiver and the keeper.
    func start() {
        tasks = [Task { await self.receiveLoop() }, Task { await self.keepLoop() }]
    }

    /// Messages received since the last call (the engine reads them, in order).
    func take() -> [SQSMessage] {
        state.with { s in
            defer { s.ready.removeAll() }
            return s.ready
        }
    }

    /// True when the queue answered empty and nothing is held: `--exit-when-idle` may stop.
    var drained: Bool { state.with { $0.drained && $0.ready.isEmpty && $0.held.isEmpty && $0.toDelete.isEmpty } }

    /// Problems the tasks met since the last call (receive or delete failures), for the engine to report.
    func takeProblems() -> [String] {
        state.with { s in
            defer { s.problems.removeAll() }
            return s.problems
        }
    }

    /// The engine read every object of `m`: deleted after the next committed checkpoint.
    func processed(_ m: SQSMessage) { state.with { $0.processed.append(m.receiptHandle) } }

    /// `m` cannot be honoured: no longer extended, never deleted (the redrive policy decides).
    func giveUp(_ m: SQSMessage) {
        let held = state.with { $0.held.removeValue(forKey: m.receiptHandle) != nil }
        if held { metrics.with { $0.sqs.failed += 1 } }
        publishInFlight()
    }

    /// A checkpoint committed: every message read before it may go.
    func committed() {
        state.with { s in
            s.toDelete += s.processed
            s.processed.removeAll()
        }
    }

    /// Stops receiving; messages received but not read are handed back at once (visibility 0),
    /// and deletions already due are sent (within `drainSeconds`).
    func stop(drainSeconds: Double = 10) {
        let unread = state.with { s -> [SQSMessage] in
            s.stopping = true
            defer { s.ready.removeAll() }
            return s.ready
        }
        for t in tasks.prefix(1) { t.cancel() }
        let deadline = Date().timeIntervalSince1970 + drainSeconds
        while state.with({ !$0.toDelete.isEmpty }) && Date().timeIntervalSince1970 < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        let client = sqs
        if !unread.isEmpty {
            _ = try? QueueObjectReader.wait {
                for m in unread { try? await client.changeVisibility(m.receiptHandle, seconds: 0) }
                return true
            }
        }
        for t in tasks { t.cancel() }
    }

    private func receiveLoop() async {
        var failures = 0
        while !Task.isCancelled && !state.with({ $0.stopping }) {
            if state.with({ !$0.ready.isEmpty }) {
                try? await Task.sleep(nanoseconds: 20_000_000)
                continue
            }
            do {
                let got = try await sqs.receive(max: 10, wait: queue.waitSeconds, visibility: queue.visibilityTimeout)
                failures = 0
                var empty = got.isEmpty
                if empty && askQueueWhenEmpty {
                    let c = try await sqs.counts()
                    empty = c.visible + c.inFlight == 0
                }
                let until = Date().timeIntervalSince1970 + Double(queue.visibilityTimeout)
                state.with { s in
                    s.drained = empty
                    for m in got where s.held[m.receiptHandle] == nil {
                        s.held[m.receiptHandle] = until
                        s.ready.append(m)
                    }
                }
                if !got.isEmpty {
                    metrics.with { $0.sqs.received += got.count }
                    publishInFlight()
                    wakeEngine()
                }
            } catch {
                if Task.isCancelled { return }
                failures += 1
                state.with { $0.problems.append("ReceiveMessage failed: \(error)") }
                wakeEngine()
                try? await Task.sleep(nanoseconds: UInt64(min(30, 1 << min(failures, 5))) * 1_000_000_000)
            }
        }
    }

    private func keepLoop() async {
        while !Task.isCancelled {
            await deleteDue()
            await extendHeld()
            // Polled, not awaited on a condition: blocking a pool thread would stall the reads.
            try? await Task.sleep(nanoseconds: 100_000_000)
        }
    }

    private func deleteDue() async {
        let due = state.with { s -> [String] in
            defer { s.toDelete.removeAll() }
            return s.toDelete
        }
        guard !due.isEmpty else { return }
        do {
            let failed = try await sqs.delete(due)
            let gone = Set(due).subtracting(failed.map { $0.handle })
            state.with { s in
                for h in gone { s.held[h] = nil }
                for f in failed {
                    s.held[f.handle] = nil
                    s.problems.append(
                        "DeleteMessage failed (the message will come back; its events are dropped as repeats): \(f.error)"
                    )
                }
            }
            metrics.with { $0.sqs.deleted += gone.count }
        } catch {
            state.with { s in
                s.toDelete += due
                s.problems.append("DeleteMessageBatch failed (retried): \(error)")
            }
            try? await Task.sleep(nanoseconds: 1_000_000_000)
        }
        publishInFlight()
    }

    /// Extends every held message due within a third of the visibility timeout.
    private func extendHeld() async {
        let now = Date().timeIntervalSince1970
        let timeout = Double(queue.visibilityTimeout)
        let due = state.with { s in s.held.filter { $0.value - now < timeout / 3 }.map { $0.key } }
        for h in due {
            do {
                try await sqs.changeVisibility(h, seconds: queue.visibilityTimeout)
                state.with { s in if s.held[h] != nil { s.held[h] = Date().timeIntervalSince1970 + timeout } }
                metrics.with { $0.sqs.extended += 1 }
            } catch {
                state.with { $0.problems.append("ChangeMessageVisibility failed: \(error)") }
            }
        }
    }

    private func publishInFlight() {
        let n = state.with { $0.held.count }
        metrics.with { $0.sqs.inFlight[queue.url] = n }
    }
}
