import Benchmark
import CARCCounter
import Foundation

#if canImport(MallocInterposerSwift)
    import MallocInterposerSwift
#endif

/// Metrics the benchmarks report themselves (the framework's `throughput` counts
/// iterations, and one iteration here is a whole corpus).
enum Rate {
    /// Input megabytes (10^6 bytes; decompressed bytes for inflate) per second of wall time.
    static let megabytesPerSecond = BenchmarkMetric.custom("MB/s", polarity: .prefersLarger, useScalingFactor: false)
    /// Compressed input megabytes per second (inflate only).
    static let compressedMegabytesPerSecond = BenchmarkMetric.custom(
        "MB/s (gzip in)", polarity: .prefersLarger, useScalingFactor: false)
    /// Records framed or events decoded / observed / detected per second of wall time.
    static let eventsPerSecond = BenchmarkMetric.custom("events/s", polarity: .prefersLarger, useScalingFactor: false)
    /// `BaselineStore.approximateBytes / identityCount`: the store's own estimate.
    static let estimatedBytesPerIdentity = BenchmarkMetric.custom(
        "bytes/identity (estimate)", polarity: .prefersSmaller, useScalingFactor: false)
    /// Bytes requested from malloc while the store was built and still held, per identity.
    static let heapBytesPerIdentity = BenchmarkMetric.custom(
        "bytes/identity (malloc)", polarity: .prefersSmaller, useScalingFactor: false)
    /// Events in one iteration (the corpus size), to turn per-iteration counts into per-event ones.
    static let events = BenchmarkMetric.custom("events", polarity: .prefersSmaller, useScalingFactor: false)
    /// Findings the engine reported over the corpus (a sanity check, not a speed).
    static let findings = BenchmarkMetric.custom("findings", polarity: .prefersSmaller, useScalingFactor: false)
    /// `swift_retain` calls (a `retain_n` of n counts n) in the measured region, every thread.
    static let retains = BenchmarkMetric.custom("retains (total)", polarity: .prefersSmaller, useScalingFactor: true)
    /// `swift_release` calls in the measured region, every thread.
    static let releases = BenchmarkMetric.custom(
        "releases (total)", polarity: .prefersSmaller, useScalingFactor: true)
}

/// Runs `work` as the measured region of `benchmark` and reports MB/s for `bytes` and
/// events/s for `events` (either may be 0 to skip it). Setup done before this call is
/// not measured; `work` returns how many items it really saw, which must match `events`
/// (a silent shortfall would inflate the rate). Returns the measured seconds.
/// True when `TRAILHOUND_ARC_COUNTERS` is set: retains and releases are then counted (through the
/// runtime's hook pointers) and gated like mallocs. Off by default, because the hooks crash on
/// Swift 6.3 (see TrailhoundBenchmarks.swift).
let arcCounting = getenv("TRAILHOUND_ARC_COUNTERS") != nil

@discardableResult
func measure(_ benchmark: Benchmark, bytes: Int, events: Int, _ work: () -> Int) -> Double {
    benchmark.startMeasurement()
    let retained = trailhound_arc_retains()
    let released = trailhound_arc_releases()
    let start = DispatchTime.now().uptimeNanoseconds
    let seen = work()
    let elapsed = DispatchTime.now().uptimeNanoseconds - start
    let retains = trailhound_arc_retains() - retained
    let releases = trailhound_arc_releases() - released
    benchmark.stopMeasurement()
    if arcCounting {
        benchmark.measurement(Rate.retains, Int(retains))
        benchmark.measurement(Rate.releases, Int(releases))
    }
    if seen != events {
        benchmark.error("expected \(events) items, saw \(seen)")
    }
    let seconds = max(Double(elapsed), 1) / 1e9
    if bytes > 0 { benchmark.measurement(Rate.megabytesPerSecond, Int((Double(bytes) / 1e6 / seconds).rounded())) }
    if events > 0 { benchmark.measurement(Rate.eventsPerSecond, Int((Double(events) / seconds).rounded())) }
    return seconds
}

/// Bytes requested from malloc and not yet freed since the interposer was hooked (it is
/// hooked for the whole run when malloc metrics are measured); nil without the interposer.
func netMallocBytes() -> Int? {
    #if canImport(MallocInterposerSwift)
        let s = MallocInterposerSwift.getStatistics()
        return s.mallocBytesCount - s.freeBytesCount
    #else
        return nil
    #endif
}

/// Tolerances for `thresholds check` against Benchmarks/Thresholds/*.p90.json (only p90 is
/// checked there). The framework applies a relative and an absolute tolerance independently
/// (either one failing is a deviation), so each benchmark gets exactly one of them.
enum Gate {
    /// ±20 % of the committed p90: for counts in the thousands and up.
    static var relative: BenchmarkThresholds { BenchmarkThresholds(relative: [.p90: 20.0], absolute: [:]) }
    /// ±64 calls: for stages that should not allocate per record at all, where the few
    /// dozen calls measured are the framework's own (its sampling thread) and jitter.
    static var few: BenchmarkThresholds { BenchmarkThresholds(relative: [:], absolute: [.p90: 64]) }
    /// ±1,024 retains or releases: the same for ARC, whose counts include the framework's
    /// threads (retains are cheaper and more frequent than mallocs).
    static var fewARC: BenchmarkThresholds { BenchmarkThresholds(relative: [:], absolute: [.p90: 1024]) }
}

/// The default configuration plus this benchmark's own metrics (custom metrics are only
/// recorded when listed) and the tolerances of its malloc-count and retain/release gates.
func reporting(
    _ extra: BenchmarkMetric..., mallocs: BenchmarkThresholds = Gate.relative,
    arc: BenchmarkThresholds = Gate.relative, gates: [BenchmarkMetric: BenchmarkThresholds] = [:],
    maxIterations: Int? = nil
) -> Benchmark.Configuration {
    var c = Benchmark.defaultConfiguration
    c.metrics += extra + (arcCounting ? [Rate.retains, Rate.releases] : [])
    // Exact counts read better than "27 K" for sizes; rates keep the automatic K / M.
    for m in extra
    where [Rate.events, Rate.findings, Rate.estimatedBytesPerIdentity, Rate.heapBytesPerIdentity].contains(m) {
        c.units[m] = .count
    }
    // Retains and releases are gated like mallocs (the ingest stages pass `Gate.fewARC`).
    c.thresholds = gates.merging([.mallocCountTotal: mallocs, Rate.retains: arc, Rate.releases: arc]) { a, _ in a }
    if let maxIterations { c.maxIterations = maxIterations }
    return c
}
