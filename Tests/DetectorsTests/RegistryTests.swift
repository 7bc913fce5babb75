import Config
import Detection
import Detectors
import EventModel
import Foundation
import TestSupport
import Testing

/// Consistency over every built-in detector: what its type declares, its YAML, its files.
@Suite struct RegistryTests {
    /// Builds a detector with default settings.
    func build(_ d: any BuiltInDetector.Type) -> any Detector {
        d.init(settings: ConfigReader(node: nil, file: "", sink: IssueSink()))
    }

    @Test func idsAreUniqueSortedAndWellFormed() {
        let ids = Registry.all.map { $0.id }
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        for id in ids {
            let parts = id.split(separator: ".")
            #expect(
                parts.count == 2 && parts.allSatisfy { $0.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" } },
                "\(id)")
        }
        #expect(Registry.type(id: "privesc.admin_policy")?.defaultSeverity == .critical)
        #expect(Registry.baselineDetectorIds.contains("identity.new_api"))
        #expect(!Registry.baselineDetectorIds.contains("privesc.admin_policy"))
    }

    @Test func everyTypeHasAYAMLFileNamedAfterItsIdAndViceVersa() throws {
        let set = DetectorLoader.load(directory: Repository.detectorsDirectory.path, registry: Registry.all)
        #expect(set.issues.isEmpty, "\(set.issues.map(\.description))")
        let loaded = Set(set.detectors.map(\.spec.id))
        for d in Registry.all { #expect(loaded.contains(d.id), "no detectors/\(d.id).yaml") }
        for (file, detector) in zip(set.files.sorted(), set.detectors.sorted { $0.spec.file < $1.spec.file }) {
            let name = String((file as NSString).lastPathComponent.dropLast(5))
            #expect(Registry.type(id: name) != nil, "\(name).yaml names no registered detector")
            #expect(detector.spec.id == name, "\(file) configures '\(detector.spec.id)'")
        }
    }

    @Test(arguments: Registry.all.map { $0.id })
    func declaredFactsAreConsistent(_ id: String) throws {
        let d = try #require(Registry.type(id: id))
        let detector = build(d)
        #expect(detector.id == d.id)
        #expect(!d.summary.isEmpty && !d.summary.contains("\n"), "summary must be one line")
        #expect(!d.explanation.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        #expect(!d.mitre.isEmpty)
        for t in d.mitre { #expect(t.hasPrefix("T") && t.dropFirst().allSatisfy { $0.isNumber || $0 == "." }, "\(t)") }
        #expect(Severity(name: d.defaultSeverity.description) == d.defaultSeverity)
        if d.kind == .rule {
            guard case .operations(let ops) = detector.interest, !ops.isEmpty else {
                Issue.record("\(d.id) is a rule detector and asks for every event")
                return
            }
        }
    }

    @Test(arguments: Registry.all.map { $0.id })
    func yamlRepeatsTheDeclaredFacts(_ id: String) throws {
        let d = try #require(Registry.type(id: id))
        let text = try Repository.detectorYAML(d.id)
        let sink = IssueSink()
        let loaded = try #require(DetectorLoader.load(yaml: text, file: d.id, registry: Registry.all, sink: sink))
        #expect(sink.issues.isEmpty, "\(sink.issues)")
        #expect(loaded.spec.severity == d.defaultSeverity, "severity in \(d.id).yaml")
        #expect(loaded.spec.enabled)
        for key in ["version: 1\n", "id: \(d.id)\n", "description: \(d.summary)\n", "settings:"] {
            #expect(text.contains(key), "\(d.id).yaml lacks \(key)")
        }
        guard d.kind != .baseline else { return }
        #expect(loaded.spec.allowlist.isEmpty)
        for field in [
            "identity", "account", "source", "user_agent_family", "operation", "resource", "key", "reason", "expires",
        ] {
            #expect(
                text.contains("#     \(field):") || text.contains("#   - \(field):"),
                "\(d.id).yaml example lacks \(field)")
        }
    }

    @Test(arguments: Registry.all.map { $0.id })
    func sourceAndTestFilesAreNamedAfterTheType(_ id: String) throws {
        let d = try #require(Registry.type(id: id))
        let name = String(describing: d)
        #expect(!name.hasSuffix("Detector"), "built-in detector types carry no Detector suffix")
        let test = Repository.root.path + "/Tests/DetectorsTests/\(name)Tests.swift"
        #expect(FileManager.default.fileExists(atPath: test), "missing \(test)")
        let folders = ["Rules", "Baselines", "Kubernetes", "Workflow"]
        let paths = folders.map { Repository.root.path + "/Sources/Detectors/\($0)/\(name).swift" }
        let path = try #require(paths.first { FileManager.default.fileExists(atPath: $0) }, "no source of \(name)")
        let source = try String(contentsOfFile: path, encoding: .utf8)
        // One explanation: the type's doc comment does not copy it.
        let first = d.explanation.split(separator: "\n").first.map(String.init) ?? ""
        #expect(!source.contains("/// " + first), "\(name) copies its explanation into a doc comment")
    }
}
