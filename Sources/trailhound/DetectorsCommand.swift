import ArgumentParser
import Detection
import Detectors
import EventModel
import Formats
import Foundation
import Runtime
import Sigma

/// `trailhound validate`
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract:
            "Check detector config, rule files and mappings without scanning; prints every problem with file:line:col.")

    @OptionGroup var detectorsOption: DetectorsOption

    @OptionGroup var rulesOption: RulesOption

    @OptionGroup var formatsOption: FormatsOption

    func run() throws {
        let dir = try detectorsOption.directory()
        let set = DetectorLoader.load(directory: dir, registry: Registry.all)
        let formatsDir = formatsOption.directory()
        let formats = FormatMappingLoader.load(directory: formatsDir)
        let ruleDirs = rulesOption.directories(detectors: dir)
        let rules = RuleLoading.load(ruleDirs)
        // Rule problems are per rule (that rule is skipped); config problems refuse the run.
        for i in rules.issues { Terminal.err(i.description) }
        let issues = set.issues + formats.issues + rules.configIssues
        for i in issues { Terminal.err(i.description) }
        for w in formats.warnings {
            Terminal.err(
                Diagnostic(
                    origin: Origin(path: w.file, record: w.line), column: w.column, level: .warning, code: w.code,
                    message: w.message
                ).description)
        }
        if !ruleDirs.isEmpty {
            print("\(ruleDirs.joined(separator: ", ")): \(rules.summary)\(Self.reasons(rules))")
        }
        if !issues.isEmpty {
            Terminal.err("trailhound: \(issues.count) problem(s) in \(set.files.count + formats.files.count) file(s)")
            try exitWith(.usage)
        }
        let enabled = set.detectors.filter(\.spec.enabled).count
        print(
            "\(dir): \(set.files.count) file(s), \(set.detectors.count) detector(s) (\(enabled) enabled), no problems")
        if let formatsDir {
            print(
                "\(formatsDir): \(formats.files.count) file(s), \(formats.mappings.count) format mapping(s), "
                    + "\(formats.frontDoor.catalogue.endpoints.count) front-door endpoint(s), "
                    + "\(formats.frontDoor.deployments.count) deployment(s), no problems")
        }
    }

    /// ` (skipped: 3 rule.unknown_field, 1 rule.aggregation)`: why rules were skipped, by code.
    static func reasons(_ rules: SigmaRuleSet) -> String {
        var byCode: [String: Int] = [:]
        var seen = Set<String>()
        for i in rules.issues where i.level != .note && !seen.contains(i.origin.path) {
            guard ![SigmaCode.unknownKey, SigmaCode.partial, SigmaCode.tuningUnmatched].contains(i.code) else {
                continue
            }
            seen.insert(i.origin.path)
            byCode[i.code, default: 0] += 1
        }
        if byCode.isEmpty { return "" }
        return " (skipped: " + byCode.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            + ")"
    }
}

/// `trailhound detectors list|explain`
struct DetectorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "detectors", abstract: "List built-in detectors or explain one.",
        subcommands: [List.self, Explain.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List detectors with their effective severity and state.")
        @OptionGroup var detectorsOption: DetectorsOption

        @OptionGroup var rulesOption: RulesOption

        @Option(
            help:
                "text, json (one object per line), or markdown: the table of docs/detectors.md (built-ins with their defaults, the bundled rules)."
        )
        var format: ListFormat = .text

        func run() throws {
            if format == .markdown {
                // The docs table: built-ins with their defaults, the bundled rules as loaded.
                let dir = DetectorsLocator.resolve(detectorsOption.detectors)
                let rules = dir.map { RuleLoading.load(rulesOption.directories(detectors: $0)) } ?? SigmaRuleSet()
                let base = dir.map { ($0 as NSString).deletingLastPathComponent }
                print(DetectorCatalog(detectors: nil, rules: rules, relativeTo: base).markdown, terminator: "")
                return
            }
            let dir = try detectorsOption.directory()
            let set = DetectorLoader.load(directory: dir, registry: Registry.all)
            let rules = RuleLoading.load(rulesOption.directories(detectors: dir))
            let catalog = DetectorCatalog(
                detectors: set, rules: rules, relativeTo: FileManager.default.currentDirectoryPath)
            if format == .json {
                for line in catalog.jsonLines { print(line) }
            } else {
                for r in catalog.rows {
                    print(
                        r.id.padding(39) + r.severity.description.padding(10) + r.state.padding(11)
                            + r.kind.padding(9) + r.summary + "  [" + r.source + "]")
                }
            }
            if !set.issues.isEmpty || !rules.configIssues.isEmpty || rules.skipped > 0 {
                Terminal.err(
                    "trailhound: warning: \(set.issues.count + rules.configIssues.count) config problem(s), "
                        + "\(rules.skipped) rule(s) skipped; run `trailhound validate`")
            }
        }
    }

    /// Output of `detectors list`.
    enum ListFormat: String, ExpressibleByArgument, CaseIterable {
        case text, json, markdown
    }

    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Explain what a detector looks for and show its effective settings.")
        @Argument(help: "Detector id, e.g. evasion.cloudtrail_tampering") var id: String
        @OptionGroup var detectorsOption: DetectorsOption
        @OptionGroup var rulesOption: RulesOption

        func run() throws {
            guard let d = Registry.type(id: id) else {
                let dir = try detectorsOption.directory()
                let rules = RuleLoading.load(rulesOption.directories(detectors: dir))
                guard let r = rules.rules.first(where: { $0.id == id }) else {
                    throw ValidationError("unknown detector '\(id)'; see `trailhound detectors list`")
                }
                explain(r)
                return
            }
            print("\(d.id) — \(d.summary)\n")
            print(d.explanation.trimmingTrailingNewlines + "\n")
            let dir = try detectorsOption.directory()
            let set = DetectorLoader.load(directory: dir, registry: Registry.all)
            guard let spec = set.detectors.first(where: { $0.spec.id == id })?.spec else {
                print("Not configured in \(dir) (no YAML file names this id), so it does not run.")
                return
            }
            print("Effective settings (\(spec.file)):")
            print("  enabled: \(spec.enabled)\n  severity: \(spec.severity)\n  failed_severity: \(spec.failedSeverity)")
            print("  dedup_window: \(spec.dedupWindow / 1000)s")
            print("  allowlist: \(spec.allowlist.isEmpty ? "none" : "")")
            for e in spec.allowlist { print("    - line \(e.line): \(e.reason)") }
            if let text = try? String(contentsOfFile: spec.file, encoding: .utf8) {
                print(
                    "\nConfig file:\n"
                        + text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(
                            separator: "\n"))
            }
        }
    }
}

extension DetectorsCommand.Explain {
    /// What a rule looks for and its effective settings (after the tuning file).
    func explain(_ r: SigmaRuleSet.Loaded) {
        print("\(r.id) — \(r.rule.title) (rule file \(r.rule.file))\n")
        if !r.rule.description.isEmpty { print(r.rule.description + "\n") }
        if !r.rule.falsePositives.isEmpty {
            print("False positives: " + r.rule.falsePositives.joined(separator: "; ") + "\n")
        }
        print("MITRE ATT&CK: \(r.rule.mitre.isEmpty ? "none" : r.rule.mitre.joined(separator: ", "))")
        print("Rule id: \(r.rule.ruleId.isEmpty ? "none" : r.rule.ruleId); level: \(r.rule.level)")
        print("Effective settings:")
        print(
            "  enabled: \(r.spec.enabled)\n  severity: \(r.spec.severity)\n  failed_severity: \(r.spec.failedSeverity)")
        print("  dedup_window: \(r.spec.dedupWindow / 1000)s")
        print("  allowlist: \(r.spec.allowlist.isEmpty ? "none" : "")")
        for e in r.spec.allowlist { print("    - line \(e.line): \(e.reason)") }
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
    var trimmingTrailingNewlines: String {
        var s = Substring(self)
        while s.last == "\n" { s = s.dropLast() }
        return String(s)
    }
}
