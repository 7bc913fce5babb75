import Benchmark
import CARCCounter

// Micro-benchmarks of the hot path (decompress → frame → decode → baselines → detectors)
// over a synthetic corpus built in-process from a fixed seed (see Corpus.swift). Run them
// with `bash Benchmarks/micro.sh`; Benchmarks/README.md explains the figures.
//
// Every benchmark reports, per iteration over the whole corpus: wall and CPU time, malloc
// calls (stable run to run: the committed thresholds gate them), peak RSS, and its own
// rates (MB/s, events/s). Times and rates are noisy on the shared 2-core machines:
// compare them as ratios within one run, never against committed numbers.
let benchmarks: @Sendable () -> Void = {
    // Counts every retain and release from here on (see Rate.retains), only when asked: on Swift
    // 6.3 the runtime calls the swapped hooks through an adapter that crashes (ordo-one/benchmark
    // issue 349), so the default run measures mallocs, times and rates only.
    if arcCounting { trailhound_arc_hook() }
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident],
        timeUnits: .milliseconds,
        warmupIterations: 1,
        maxDuration: .seconds(3),
        maxIterations: 20)
    ingestBenchmarks()
    formatsBenchmarks()
    detectionBenchmarks()
}
