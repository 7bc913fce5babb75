import Benchmark
import EventModel
import Formats

/// Each format's decoder over pre-framed records (no framing cost): bytes in, `Event` out.
func formatsBenchmarks() {
    Benchmark("Formats.cloudTrail", configuration: reporting(Rate.megabytesPerSecond, Rate.eventsPerSecond)) { benchmark in
        decode(benchmark, Corpus.recordBytes)
    }

    Benchmark("Formats.eventBridge", configuration: reporting(Rate.megabytesPerSecond, Rate.eventsPerSecond)) { benchmark in
        decode(benchmark, Corpus.eventBridgeLines)
    }
}

/// Decodes every record with one decoder (as one pipeline thread does) and checks that
/// every record became an event.
private func decode(_ benchmark: Benchmark, _ records: [[UInt8]]) {
    let bytes = records.reduce(0) { $0 + $1.count }
    var decoder = RecordDecoder()
    measure(benchmark, bytes: bytes, events: records.count) {
        var events = 0
        for (i, record) in records.enumerated() {
            let result = record.withUnsafeBytes { decoder.decode($0, origin: Origin(path: "bench", record: i + 1)) }
            if case .event(let e) = result {
                events += 1
                blackHole(e)
            }
        }
        return events
    }
}
