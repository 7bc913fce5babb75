import Foundation

/// Finds a config directory the command line did not name, the same way for each kind:
/// the flag, then the environment variable, then `./<folder>`, then next to the executable
/// (beside it as in the release tarball, `<prefix>/share/trailhound/<folder>`, or the repository
/// root for a binary under `.build/`; see `ExecutableLocation`).
public enum ConfigLocator {
    /// A kind of config directory.
    public enum Kind: String, Sendable {
        /// Detector YAML files, rules (`rules/`) and network classes (`networks/`); `--detectors`.
        case detectors
        /// Workflow-log mappings and the front-door endpoint catalogue; `--formats`.
        case formats

        /// Environment variable naming the directory.
        public var environment: String { "TRAILHOUND_" + rawValue.uppercased() }
    }

    /// The directory to use: `flag` when given (even if missing: the loader then reports it),
    /// else the first candidate that exists; nil when none does.
    public static func resolve(_ flag: String?, _ kind: Kind) -> String? {
        if let flag { return flag }
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment[kind.environment], !env.isEmpty { candidates.append(env) }
        candidates.append(FileManager.default.currentDirectoryPath + "/" + kind.rawValue)
        candidates += ExecutableLocation.candidates(kind.rawValue)
        var isDir: ObjCBool = false
        return candidates.first { FileManager.default.fileExists(atPath: $0, isDirectory: &isDir) && isDir.boolValue }
    }
}

/// `--detectors` when not given (`ConfigLocator`); nil when none was found (the CLI then asks for it).
public enum DetectorsLocator {
    /// The directory to use, or nil.
    public static func resolve(_ flag: String?) -> String? { ConfigLocator.resolve(flag, .detectors) }
}

/// `--formats` when not given (`ConfigLocator`); no directory means no mappings.
public enum FormatsLocator {
    /// The directory to use, or nil.
    public static func resolve(_ flag: String?) -> String? { ConfigLocator.resolve(flag, .formats) }
}
