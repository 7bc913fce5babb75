import Foundation

/// Finds the detectors directory when `--detectors` is not given:
/// `$TRAILHOUND_DETECTORS`, then `./detectors`, then next to the
/// executable (beside it as in the release tarball, `<prefix>/share/trailhound/detectors`,
/// or the repository root for a binary under `.build/`; see `ExecutableLocation`).
public enum DetectorsLocator {
    /// The directory to use, or nil when none was found (the CLI then asks for `--detectors`).
    public static func resolve(_ flag: String?) -> String? {
        if let flag { return flag }
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["TRAILHOUND_DETECTORS"], !env.isEmpty {
            candidates.append(env)
        }
        candidates.append(FileManager.default.currentDirectoryPath + "/detectors")
        candidates += ExecutableLocation.candidates("detectors")
        var isDir: ObjCBool = false
        return candidates.first { FileManager.default.fileExists(atPath: $0, isDirectory: &isDir) && isDir.boolValue }
    }
}
