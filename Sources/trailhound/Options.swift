import ArgumentParser
import EventModel
import Runtime

extension Severity: ExpressibleByArgument {
    public init?(argument: String) { self.init(name: argument) }
    public static var allValueStrings: [String] { allCases.map(\.description) }
}

extension OutputFormat: ExpressibleByArgument {}

/// `--detectors DIR`, shared by every subcommand that loads detectors.
struct DetectorsOption: ParsableArguments {
    @Option(
        name: .long,
        help:
            "Directory of detector YAML files (default: $TRAILHOUND_DETECTORS, ./detectors, or the one installed with trailhound)."
    )
    var detectors: String?

    /// The resolved directory, or a usage error.
    func directory() throws -> String {
        guard let dir = DetectorsLocator.resolve(detectors) else {
            throw ValidationError("no detectors directory found; pass --detectors DIR")
        }
        return dir
    }
}

/// Exits with a documented status.
func exitWith(_ status: ExitStatus) throws -> Never {
    throw ExitCode(status.rawValue)
}

/// `--rules DIR` (repeatable) and `--no-rules`, shared by the commands that load detectors.
struct RulesOption: ParsableArguments {
    @Option(
        name: .customLong("rules"),
        help: ArgumentHelp(
            "Directory of Sigma rule files, read recursively; repeatable. Added to the bundled <detectors>/rules.",
            valueName: "dir"))
    var rules: [String] = []

    @Flag(name: .customLong("no-rules"), help: "Load no rule files, not even the bundled ones.")
    var noRules = false

    func validate() throws {
        if noRules && !rules.isEmpty { throw ValidationError("--no-rules and --rules exclude each other") }
    }

    /// The rule directories to load for the detectors directory `detectors`.
    func directories(detectors: String) -> [String] {
        RuleLoading.directories(detectorsDirectory: detectors, extra: rules, noRules: noRules)
    }
}
