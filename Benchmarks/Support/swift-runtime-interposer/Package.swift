// swift-tools-version:6.1
import PackageDescription

// Stand-in for ordo-one/swift-runtime-interposer, which package-benchmark 1.38.1 lists as a
// dependency on Linux with Swift 6.3 whatever its traits say, but which is not available
// offline here. The root manifest declares this folder as a path dependency, which takes
// the place of the remote package. Trailhound depends on benchmark with only the
// `MallocInterposer` trait, so the `RuntimeInterposer` product below is never linked; its
// module is deliberately not named `SwiftRuntimeInterposerSwift`, so benchmark's
// `canImport(SwiftRuntimeInterposerSwift)` checks stay false and ARC metrics (which we do
// not request) would fall back to the native runtime hooks.
let package = Package(
    name: "swift-runtime-interposer",
    products: [
        .library(name: "SwiftRuntimeInterposerSwift", targets: ["SwiftRuntimeInterposerUnavailable"])
    ],
    targets: [
        .target(name: "SwiftRuntimeInterposerUnavailable")
    ]
)
