import ArgumentParser
import Detection
import Detectors
import Runtime

/// `trailhound coverage`
struct CoverageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coverage",
        abstract: "List the MITRE ATT&CK techniques the enabled detectors and rules cover.")

    @OptionGroup var detectorsOption: DetectorsOption

    @OptionGroup var rulesOption: RulesOption

    @Option(help: "text (a table) or json (one object per technique and line).")
    var format: CoverageFormat = .text

    /// Output of `coverage`.
    enum CoverageFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func run() throws {
        let dir = try detectorsOption.directory()
        let set = DetectorLoader.load(directory: dir, registry: Registry.all)
        let rules = RuleLoading.load(rulesOption.directories(detectors: dir))
        let catalog = DetectorCatalog(detectors: set, rules: rules)
        let covered = catalog.coverage
        switch format {
        case .json:
            for c in covered { print(DetectorCatalog.coverageJSON(c.technique, c.name, c.detectors)) }
        case .text:
            for c in covered {
                let name = c.name.isEmpty ? "(name not in the offline table)" : c.name
                print(c.technique.padding(11) + name.padding(58) + c.detectors.joined(separator: ", "))
            }
            print(
                "\(covered.count) technique(s) covered by \(catalog.rows.filter { $0.state == "enabled" }.count) enabled detector(s)"
            )
        }
        if !set.issues.isEmpty || !rules.configIssues.isEmpty {
            Terminal.err("trailhound: warning: config problems; run `trailhound validate`")
        }
    }
}
