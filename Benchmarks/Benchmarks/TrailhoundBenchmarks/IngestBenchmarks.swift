import Benchmark
import EventModel
import Foundation
import Ingest

/// Decompression and framing: the first two stages of the hot path, fed from memory in
/// `IngestOptions.chunkSize` steps exactly as `RecordReader` feeds them from a file.
func ingestBenchmarks() {
    Benchmark(
        "Ingest.inflate",
        configuration: reporting(
            Rate.megabytesPerSecond, Rate.compressedMegabytesPerSecond, mallocs: Gate.few, arc: Gate.fewARC)
    ) { benchmark in
        let input = Corpus.gzipDocument
        let inflater = Inflater()
        let step = IngestOptions().chunkSize
        let seconds = measure(benchmark, bytes: Corpus.document.count, events: 0) {
            inflater.reset(path: "bench.json.gz")
            var produced = 0
            input.withUnsafeBytes { all in
                var at = 0
                while at < all.count {
                    let end = min(all.count, at + step)
                    inflater.push(
                        UnsafeRawBufferPointer(rebasing: all[at..<end]), onOutput: { produced += $0.count },
                        onDiagnostic: { fatalError("inflate: \($0)") })
                    at = end
                }
            }
            inflater.finish(onOutput: { produced += $0.count }, onDiagnostic: { fatalError("inflate: \($0)") })
            precondition(produced == Corpus.document.count, "inflated \(produced) bytes")
            return 0
        }
        // The same run counted on the compressed side: MB/s ÷ this = the compression ratio.
        benchmark.measurement(Rate.compressedMegabytesPerSecond, Int((Double(input.count) / 1e6 / seconds).rounded()))
    }

    Benchmark(
        "Ingest.frame.records",
        configuration: reporting(Rate.megabytesPerSecond, Rate.eventsPerSecond, mallocs: Gate.few, arc: Gate.fewARC)
    ) { benchmark in
        frame(benchmark, Corpus.document, records: Corpus.records.count)
    }

    Benchmark(
        "Ingest.frame.jsonLines",
        configuration: reporting(Rate.megabytesPerSecond, Rate.eventsPerSecond, mallocs: Gate.few, arc: Gate.fewARC)
    ) { benchmark in
        frame(benchmark, Corpus.eventBridgeDocument, records: Corpus.eventBridgeLines.count)
    }

    Benchmark(
        "Ingest.readGzipFile",
        configuration: reporting(Rate.megabytesPerSecond, Rate.eventsPerSecond, mallocs: Gate.few, arc: Gate.fewARC)
    ) { benchmark in
        let path = TempFile.gzipDocument
        let reader = RecordReader()
        measure(benchmark, bytes: Corpus.document.count, events: Corpus.records.count) {
            let stats = reader.read(
                InputFile(path: path), onRecord: { bytes, _ in blackHole(bytes.count) },
                onDiagnostic: { fatalError("read: \($0)") })
            return stats.records
        }
    } teardown: {
        TempFile.remove()
    }
}

/// Frames `document` in chunk-size steps and checks the record count.
private func frame(_ benchmark: Benchmark, _ document: [UInt8], records: Int) {
    let framer = Framer()
    let step = IngestOptions().chunkSize
    measure(benchmark, bytes: document.count, events: records) {
        framer.reset(path: "bench.json")
        var count = 0
        document.withUnsafeBytes { all in
            var at = 0
            while at < all.count {
                let end = min(all.count, at + step)
                framer.push(
                    UnsafeRawBufferPointer(rebasing: all[at..<end]), onRecord: { _, _ in count += 1 },
                    onDiagnostic: { fatalError("frame: \($0)") })
                at = end
            }
        }
        framer.finish(onRecord: { _, _ in count += 1 }, onDiagnostic: { fatalError("frame: \($0)") })
        return count
    }
}

/// The gzip corpus written once per process to a temporary file (page cache hot after the
/// first iteration, which is the warm-up).
enum TempFile {
    static let path = FileManager.default.temporaryDirectory
        .appendingPathComponent("trailhound-bench-\(getpid()).json.gz").path

    static let gzipDocument: String = {
        guard FileManager.default.createFile(atPath: path, contents: Data(Corpus.gzipDocument)) else {
            fatalError("cannot write \(path)")
        }
        return path
    }()

    static func remove() { try? FileManager.default.removeItem(atPath: path) }
}
