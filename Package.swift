// swift-tools-version:6.1
import PackageDescription

import class Foundation.ProcessInfo

// Module graph (dependencies point one way, see docs/architecture.md):
// EventModel <- ByteJSON <- Formats
// EventModel <- Ingest (CZlib)
// EventModel <- Config (Yams: YAML reading, ConfigIssue, IssueSink) <- Formats (its mapping loader)
// EventModel <- Baselines <- Detection (Config) <- Detectors (its registry list generated at build time by
//   DetectorRegistryPlugin running DetectorRegistryGen <- DetectorRegistryGenCore, which depend on nothing)
// EventModel, ByteJSON, Config, Detection (Yams) <- Sigma (rule files; no I/O but reading rule files)
// CSQLite <- SQLite (the one SQLite wrapper) <- StateStore (with EventModel, Baselines), Service (outbox)
// EventModel, Baselines, Detection <- Investigation (incidents, investigation reports; no I/O)
// HTTPTransport (async-http-client, swift-nio-ssl: the one HTTP client, TLS, proxies) <- Service (sinks)
// EventModel, AsyncHTTPClient, Crypto, NIOCore <- AWS (SigV4, credentials, S3, SQS) <- Runtime, Service
// CBuildInfo (commit and build date stamped by scripts/release.sh) <- Runtime
// everything <- Runtime <- Service (ServiceLifecycle) <- trailhound (ArgumentParser)

/// `TRAILHOUND_BUILD_COMMIT` / `TRAILHOUND_BUILD_DATE` from the environment of `swift build`
/// (scripts/release.sh sets them) as C string defines for CBuildInfo; absent, the binary says "dev".
/// Only characters a commit id or an ISO 8601 time use are kept, so nothing can break the quoting.
func buildStamp(_ name: String) -> [CSetting] {
    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.:+-_")
    guard let raw = ProcessInfo.processInfo.environment[name], !raw.isEmpty else { return [] }
    return [.define(name, to: "\"" + String(raw.filter { allowed.contains($0) }.prefix(64)) + "\"")]
}

let package = Package(
    name: "trailhound",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "trailhound", targets: ["trailhound"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]),
        .target(
            name: "CBuildInfo",
            cSettings: buildStamp("TRAILHOUND_BUILD_COMMIT") + buildStamp("TRAILHOUND_BUILD_DATE")),
        .target(name: "EventModel"),
        .target(name: "ByteJSON"),
        .target(name: "Config", dependencies: ["EventModel", "Yams"]),
        .target(name: "Ingest", dependencies: ["CZlib", "EventModel"]),
        .target(name: "Formats", dependencies: ["ByteJSON", "Config", "EventModel"]),
        .target(name: "Baselines", dependencies: ["EventModel"]),
        .target(name: "Detection", dependencies: ["Baselines", "Config", "EventModel"]),
        .target(
            name: "Detectors", dependencies: ["Baselines", "Config", "Detection", "EventModel"],
            plugins: ["DetectorRegistryPlugin"]),
        // The detector list is generated at build time (Swift has no runtime type discovery):
        // a build tool plugin runs DetectorRegistryGen over the Detectors sources.
        .target(name: "DetectorRegistryGenCore"),
        .executableTarget(name: "DetectorRegistryGen", dependencies: ["DetectorRegistryGenCore"]),
        .plugin(name: "DetectorRegistryPlugin", capability: .buildTool(), dependencies: ["DetectorRegistryGen"]),
        .target(name: "Sigma", dependencies: ["ByteJSON", "Config", "Detection", "EventModel", "Yams"]),
        .target(name: "SQLite", dependencies: ["CSQLite"]),
        .target(name: "StateStore", dependencies: ["Baselines", "EventModel", "SQLite"]),
        .target(name: "Investigation", dependencies: ["Baselines", "Detection", "EventModel"]),
        .target(
            name: "AWS",
            dependencies: [
                "ByteJSON", "EventModel",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        .target(
            name: "Runtime",
            dependencies: [
                "AWS", .product(name: "AsyncHTTPClient", package: "async-http-client"), "Baselines", "CBuildInfo",
                "Detection", "Detectors", "EventModel", "Formats", "Ingest", "Investigation",
                .product(name: "NIOCore", package: "swift-nio"), "Sigma", "StateStore",
            ]),
        .target(
            name: "HTTPTransport",
            dependencies: [
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]),
        .target(
            name: "Service",
            dependencies: [
                "AWS", .product(name: "AsyncHTTPClient", package: "async-http-client"), "Baselines", "Config",
                "Detection", "Detectors", "EventModel", "Formats", "HTTPTransport", "Ingest",
                "Investigation", .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"), "Runtime", "SQLite",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), "Sigma", "StateStore",
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]),
        .executableTarget(
            name: "trailhound",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"), "Baselines", "Config", "Detection",
                "Detectors", "EventModel", "Formats", "HTTPTransport", "Investigation", "Runtime", "Service", "Sigma",
                "StateStore",
            ]),
        .target(
            name: "TestSupport",
            dependencies: [
                "Baselines", "CZlib", "Config", "Detection", "Detectors", "EventModel", "Formats", "Sigma",
            ]),
        .testTarget(name: "EventModelTests", dependencies: ["EventModel", "TestSupport"]),
        .testTarget(name: "ByteJSONTests", dependencies: ["ByteJSON"]),
        .testTarget(name: "ConfigTests", dependencies: ["Config", "EventModel"]),
        .testTarget(name: "DetectorRegistryGenTests", dependencies: ["DetectorRegistryGenCore"]),
        .testTarget(name: "IngestTests", dependencies: ["EventModel", "Ingest", "TestSupport"]),
        .testTarget(name: "FormatsTests", dependencies: ["Config", "EventModel", "Formats", "TestSupport"]),
        .testTarget(name: "BaselinesTests", dependencies: ["Baselines", "EventModel", "TestSupport"]),
        .testTarget(
            name: "DetectionTests", dependencies: ["Baselines", "Config", "Detection", "EventModel", "TestSupport"]),
        .testTarget(
            name: "DetectorsTests",
            dependencies: ["Baselines", "Config", "Detection", "Detectors", "EventModel", "TestSupport"]),
        .testTarget(
            name: "SigmaTests",
            dependencies: ["Baselines", "ByteJSON", "Detection", "EventModel", "Formats", "Sigma", "TestSupport"]),
        .testTarget(name: "RulePackTests", dependencies: ["EventModel", "Sigma", "TestSupport"], exclude: ["Cases"]),
        .testTarget(
            name: "StateStoreTests", dependencies: ["Baselines", "CSQLite", "EventModel", "StateStore", "TestSupport"]),
        .testTarget(
            name: "RuntimeTests",
            dependencies: [
                "Baselines", "Detection", "Detectors", "EventModel", "Ingest", "Investigation", "Runtime",
                "TestSupport",
            ]),
        .testTarget(
            name: "InvestigationTests", dependencies: ["Baselines", "EventModel", "Investigation", "TestSupport"]),
        .testTarget(
            name: "AWSTests",
            dependencies: [
                "AWS", .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "FlyingFox", package: "FlyingFox"), "Ingest",
                .product(name: "NIOCore", package: "swift-nio"),
                "Runtime", "TestSupport",
            ]),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"], exclude: ["Snapshots"]),
        .testTarget(
            name: "ServiceTests", dependencies: ["EventModel", "HTTPTransport", "Runtime", "Service", "TestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(
            name: "WatchTests",
            dependencies: ["AWS", .product(name: "FlyingFox", package: "FlyingFox"), "TestSupport"]),
    ]
)

// Micro-benchmarks (package-benchmark; see Benchmarks/README.md, "Micro-benchmarks"). Declared
// only when TRAILHOUND_BENCHMARKS is set, so plain `swift build` / `swift test` and CI never
// resolve, fetch or build the benchmark package. Run them with `bash Benchmarks/micro.sh`.
if ProcessInfo.processInfo.environment["TRAILHOUND_BENCHMARKS"] != nil {
    package.dependencies += [
        // Only the malloc interposer: the `RuntimeInterposer` default trait (ARC counters on
        // Linux with Swift 6.3) needs a package that is not available offline.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        // benchmark 1.38.1 still lists swift-runtime-interposer on Linux/Swift 6.3; this local
        // stand-in (never linked, see its Package.swift) takes its place.
        .package(path: "Benchmarks/Support/swift-runtime-interposer"),
    ]
    package.targets += [
        // Retain/release counters for the benchmarks (the runtime's own hook pointers).
        .target(name: "CARCCounter", path: "Benchmarks/Support/CARCCounter"),
        .executableTarget(
            name: "TrailhoundBenchmarks",
            dependencies: [
                "EventModel", "Ingest", "Formats", "Baselines", "Detection", "Detectors", "TestSupport",
                "CARCCounter", .product(name: "Benchmark", package: "benchmark"),
                // Never linked (no WASI build); only marks the stand-in above as used.
                .product(
                    name: "SwiftRuntimeInterposerSwift", package: "swift-runtime-interposer",
                    condition: .when(platforms: [.wasi])),
            ],
            path: "Benchmarks/Benchmarks/TrailhoundBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),
    ]
}

// Coverage-guided fuzzing (libFuzzer; see Benchmarks/README.md, "Fuzzing"). Declared only when
// TRAILHOUND_FUZZ is set; `bash Benchmarks/fuzz.sh` builds them with -sanitize=fuzzer,address in
// their own scratch folder (.build-fuzz/) and runs them. Never part of `swift build` or CI.
if ProcessInfo.processInfo.environment["TRAILHOUND_FUZZ"] != nil {
    let fuzzTargets: [(String, [Target.Dependency])] = [
        ("FuzzIngest", ["Ingest", "EventModel"]),
        ("FuzzJSON", ["ByteJSON"]),
        ("FuzzDecode", ["Formats", "EventModel"]),
        ("FuzzMapping", ["Formats", "EventModel", "Runtime"]),
    ]
    package.targets.append(.target(name: "CFuzz", path: "Benchmarks/Fuzz/CFuzz"))
    for (name, deps) in fuzzTargets {
        package.targets.append(
            .executableTarget(
                name: name, dependencies: deps + ["CFuzz"], path: "Benchmarks/Fuzz/\(name)",
                swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
    }
}
