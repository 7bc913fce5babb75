import ArgumentParser
import Detection
import Foundation
import Detectors
import Runtime

/// `trailhound validate`
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check detector config files without scanning; prints every problem with file:line:col.")

    @OptionGroup var detectorsOption: DetectorsOption

    @OptionGroup var formatsOption: FormatsOption

    func run() throws {
        let dir = try detectorsOption.directory()
        let set = DetectorLoader.load(directory: dir, registry: Registry.all)
        let formatsDir = formatsOption.directory()
        let formats = FormatMappingLoader.load(directory: formatsDir)
        let issues = set.issues + formats.issues
        for i in issues { Terminal.err(i.description) }
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

        @Option(
            help: "markdown: the registry's table in docs/detectors.md (defaults from the code; no config is read).")
        var format: ListFormat = .text

        func run() throws {
            if format == .markdown {
                print(Self.markdown(Registry.all), terminator: "")
                return
            }
            let set = DetectorLoader.load(directory: try detectorsOption.directory(), registry: Registry.all)
            let configured = Dictionary(set.detectors.map { ($0.spec.id, $0.spec) }, uniquingKeysWith: { a, _ in a })
            for d in Registry.all {
                let spec = configured[d.id]
                let state = spec == nil ? "no-config" : (spec!.enabled ? "enabled" : "disabled")
                let sev = (spec?.severity ?? d.defaultSeverity).description
                print(d.id.padding(39) + sev.padding(10) + state.padding(11) + d.summary)
            }
            if !set.issues.isEmpty {
                Terminal.err("trailhound: warning: \(set.issues.count) config problem(s); run `trailhound validate`")
            }
        }

        /// The detector table of `docs/detectors.md`: one row per registry entry, sorted by id.
        static func markdown(_ all: [DetectorDescriptor]) -> String {
            func cell(_ s: String) -> String {
                s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "*", with: "\\*")
            }
            var out = "| id | kind | default severity | summary | MITRE ATT&CK |\n|---|---|---|---|---|\n"
            for d in all {
                let mitre = d.mitre.map { "`\($0)`" }.joined(separator: ", ")
                out +=
                    "| `\(d.id)` | \(Registry.kind(id: d.id)) | \(d.defaultSeverity.description) | \(cell(d.summary)) | \(mitre) |\n"
            }
            return out
        }
    }

    /// Output of `detectors list`.
    enum ListFormat: String, ExpressibleByArgument, CaseIterable {
        case text, markdown
    }

    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Explain what a detector looks for and show its effective settings.")
        @Argument(help: "Detector id, e.g. evasion.cloudtrail_tampering") var id: String
        @OptionGroup var detectorsOption: DetectorsOption

        func run() throws {
            guard let d = Registry.descriptor(id: id) else {
                throw ValidationError("unknown detector '\(id)'; see `trailhound detectors list`")
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
