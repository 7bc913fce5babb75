import Foundation

/// The checkout the tests run in: its root, its files and the built `trailhound` binary. The one
/// locator every test target uses (CLI and watch end-to-end tests, rule and detector files, corpora).
public enum Repository {
    /// The repository root, from this file's path (`Sources/TestSupport/Repository.swift`).
    public static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `detectors/`, the default detector settings.
    public static var detectorsDirectory: URL { root.appendingPathComponent("detectors") }

    /// Text of `detectors/<id>.yaml`.
    public static func detectorYAML(_ id: String) throws -> String {
        try String(contentsOf: detectorsDirectory.appendingPathComponent("\(id).yaml"), encoding: .utf8)
    }

    /// The built binary next to the test bundle (`.build/<config>/trailhound`), else the debug or
    /// release build of this checkout (`swift build` builds it before the tests run).
    public static var binary: URL {
        let bundle = Bundle.main.bundleURL
        var candidates = [bundle.deletingLastPathComponent().appendingPathComponent("trailhound")]
        for config in ["debug", "release"] {
            candidates.append(root.appendingPathComponent(".build/\(config)/trailhound"))
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[1]
    }
}
