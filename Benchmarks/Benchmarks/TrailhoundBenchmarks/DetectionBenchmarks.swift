import Baselines
import Benchmark
import Detection
import Detectors
import EventModel
import Foundation

/// Baselines and the detection engine over the decoded corpus, starting from empty state
/// each iteration (as a first scan does).
func detectionBenchmarks() {
    Benchmark("Baselines.observe", configuration: reporting(Rate.eventsPerSecond)) { benchmark in
        let events = Corpus.events
        let store = BaselineStore()
        measure(benchmark, bytes: 0, events: events.count) {
            for e in events { store.observe(e) }
            return Int(store.stats.observed)
        }
    }

    Benchmark(
        "Baselines.memoryPerIdentity",
        configuration: reporting(
            Rate.eventsPerSecond, Rate.estimatedBytesPerIdentity, Rate.heapBytesPerIdentity, .memoryLeakedBytes,
            gates: [Rate.heapBytesPerIdentity: Gate.relative], maxIterations: 5)
    ) { benchmark in
        memoryPerIdentity(benchmark)
    }

    Benchmark(
        "Detection.engine.allDetectors",
        configuration: reporting(Rate.eventsPerSecond, Rate.events, Rate.findings)
    ) { benchmark in
        let events = Corpus.events
        let set = DetectorLoader.load(directory: detectorsDirectory, registry: Registry.all)
        guard !set.detectors.isEmpty else {
            benchmark.error("no detectors loaded from \(detectorsDirectory): \(set.issues)")
            return
        }
        let engine = DetectionEngine(
            detectors: set.detectors, baselines: BaselineStore(), stages: [RiskCorrelator()])
        var findings = 0
        measure(benchmark, bytes: 0, events: events.count) {
            for e in events { engine.process(e) { _ in findings += 1 } }
            engine.finish { _ in findings += 1 }
            return engine.stats.events
        }
        benchmark.measurement(Rate.findings, findings)
        benchmark.measurement(Rate.events, events.count)
    }
}

/// How many times the corpus population is cloned (under new identity keys) for the
/// memory benchmark: 2,000 principals x 10 = up to 20,000 identities with realistic habits.
private let identityClones = 10

/// Builds a store of about 20,000 identities and reports its size per identity two ways:
/// the store's own estimate (`approximateBytes`) and the bytes it requested from malloc and
/// still holds (from the malloc interposer). The store
/// stays alive until after the measured region, so `memoryLeakedBytes` (net unfreed bytes
/// in the region) is a third view of the same number.
private func memoryPerIdentity(_ benchmark: Benchmark) {
    let events = Corpus.events
    // Clone keys are made before measuring so the region holds only the store's own allocations.
    var cloneKeys: [String: [String]] = [:]
    for e in events where cloneKeys[e.identity.key] == nil {
        cloneKeys[e.identity.key] = (0..<identityClones).map { "\(e.identity.key)#\($0)" }
    }
    let keys = events.map { cloneKeys[$0.identity.key]! }
    let heapBefore = netMallocBytes()
    let store = BaselineStore()
    measure(benchmark, bytes: 0, events: events.count * identityClones) {
        for (i, base) in events.enumerated() {
            var e = base
            for clone in keys[i] {
                e.identity.key = clone
                store.observe(e)
            }
        }
        return Int(store.stats.observed)
    }
    let heapAfter = netMallocBytes()
    let identities = max(1, store.identityCount)
    benchmark.measurement(Rate.estimatedBytesPerIdentity, store.approximateBytes / identities)
    if let heapBefore, let heapAfter, heapAfter > heapBefore {
        benchmark.measurement(Rate.heapBytesPerIdentity, (heapAfter - heapBefore) / identities)
    }
    withExtendedLifetime(store) {}
}

/// `detectors/` of this repository (`$TRAILHOUND_DETECTORS` overrides), found from this
/// source file so the benchmark runs from any working directory.
let detectorsDirectory: String = {
    if let env = ProcessInfo.processInfo.environment["TRAILHOUND_DETECTORS"], !env.isEmpty { return env }
    // …/Benchmarks/Benchmarks/TrailhoundBenchmarks/DetectionBenchmarks.swift → repository root.
    var root = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { root.deleteLastPathComponent() }
    return root.appendingPathComponent("detectors").path
}()
