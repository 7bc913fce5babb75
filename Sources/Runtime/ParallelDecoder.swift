import EventModel
import Foundation
import Formats
import Ingest

/// Decodes files on worker threads and hands the results back in file order.
/// Memory is bounded: each file in flight holds at most `maxBatches` batches of
/// `batchSize` items, and workers run at most `lookahead` files ahead of the
/// consumer. Detection stays on the consumer's thread, in order.
public final class ParallelDecoder: @unchecked Sendable {
    /// One decoded piece of a file.
    public struct Batch: Sendable {
        /// Items in input order.
        public var items: [DecodedItem]
        /// Compressed bytes of the file consumed so far.
        public var consumed: Int64
    }

    final class Slot: @unchecked Sendable {
        var batches: [Batch] = []
        var done = false
        var stats = FileStats()
    }

    private let files: [InputFile]
    private let options: IngestOptions
    private let mappings: [WorkflowMapping]
    private let rawInterest: RawInterest
    private let frontDoor: FrontDoorConfig
    private let workers: Int
    private let lookahead: Int
    private let batchSize = 512
    private let maxBatches = 8
    private let cond = NSCondition()
    private var slots: [Int: Slot] = [:]
    private var nextToDecode = 0
    private var consumerAt = 0
    private var cancelled = false

    /// Creates a decoder over `files`; call `run(consume:)`.
    /// `rawInterest`: which events keep their provider record (`Event.raw`) for the loaded rules.
    public init(
        files: [InputFile], options: IngestOptions, workers: Int, mappings: [WorkflowMapping] = [],
        rawInterest: RawInterest = .none, frontDoor: FrontDoorConfig = FrontDoorConfig()
    ) {
        self.files = files
        self.mappings = mappings
        self.rawInterest = rawInterest
        self.frontDoor = frontDoor
        self.options = options
        self.workers = max(1, workers)
        self.lookahead = max(2, self.workers * 2)
    }

    /// Starts the workers and calls `consume` for each batch in file order, then
    /// `fileDone` with each file's stats. Returns when every file was consumed.
    public func run(consume: (Int, Batch) -> Void, fileDone: (Int, FileStats) -> Void) {
        var threads: [Thread] = []
        for _ in 0..<workers {
            let t = Thread { [self] in self.work() }
            t.stackSize = 8 << 20
            threads.append(t)
            t.start()
        }
        for i in 0..<files.count {
            while let batch = take(i) { consume(i, batch) }
            cond.lock()
            let stats = slots.removeValue(forKey: i)?.stats ?? FileStats()
            consumerAt = i + 1
            cond.broadcast()
            cond.unlock()
            fileDone(i, stats)
        }
    }

    /// Next batch of file `i`, nil when the file is finished.
    private func take(_ i: Int) -> Batch? {
        cond.lock()
        defer { cond.unlock() }
        while true {
            if let slot = slots[i] {
                if !slot.batches.isEmpty {
                    let b = slot.batches.removeFirst()
                    cond.broadcast()
                    return b
                }
                if slot.done { return nil }
            }
            cond.wait()
        }
    }

    private func work() {
        let decoder = FileDecoder(options: options, mappings: mappings, rawInterest: rawInterest, frontDoor: frontDoor)
        while let i = claim() {
            let slot = Slot()
            cond.lock()
            slots[i] = slot
            cond.unlock()
            var items: [DecodedItem] = []
            items.reserveCapacity(batchSize)
            var consumed: Int64 = 0
            let stats = decoder.decode(files[i], progress: { consumed = $0 }) { item in
                items.append(item)
                if items.count >= batchSize {
                    push(slot, Batch(items: items, consumed: consumed))
                    items.removeAll(keepingCapacity: true)
                }
            }
            push(slot, Batch(items: items, consumed: consumed))
            cond.lock()
            slot.stats = stats
            slot.done = true
            cond.broadcast()
            cond.unlock()
        }
    }

    private func claim() -> Int? {
        cond.lock()
        defer { cond.unlock() }
        while nextToDecode < files.count && nextToDecode >= consumerAt + lookahead { cond.wait() }
        guard nextToDecode < files.count else { return nil }
        nextToDecode += 1
        return nextToDecode - 1
    }

    private func push(_ slot: Slot, _ batch: Batch) {
        cond.lock()
        while slot.batches.count >= maxBatches { cond.wait() }
        slot.batches.append(batch)
        cond.broadcast()
        cond.unlock()
    }
}
