import Detection
@testable import Detectors
import EventModel
import Foundation
import Testing

@Suite struct RegistryTests {
    /// Builds a detector with default settings and returns its type name.
    func typeName(_ d: DetectorDescriptor) -> String {
        String(describing: type(of: d.make(ConfigReader(node: nil, file: "", sink: IssueSink()))))
    }

    @Test func idsAreUniqueSortedAndWellFormed() {
        let ids = Registry.all.map(\.id)
        #expect(ids == ids.sorted())
        #expect(Set(ids).count == ids.count)
        for id in ids {
            let parts = id.split(separator: ".")
            #expect(
                parts.count == 2 && parts.allSatisfy { $0.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "_" } },
                "\(id)")
        }
        #expect(Registry.ruleDetectors.count == 8, "six single-operation detectors moved to detectors/rules/aws")
        #expect(Registry.descriptor(id: "privesc.admin_policy")?.defaultSeverity == .critical)
    }

    @Test func everyDetectorHasAYAMLFileThatLoadsCleanly() throws {
        let set = DetectorLoader.load(directory: Repo.detectorsDirectory, registry: Registry.all)
        #expect(set.issues.isEmpty, "\(set.issues.map(\.description))")
        let loaded = Set(set.detectors.map(\.spec.id))
        for d in Registry.all {
            #expect(loaded.contains(d.id), "no detectors/\(d.id).yaml")
        }
        for file in set.files {
            let name = (file as NSString).lastPathComponent
            #expect(Registry.descriptor(id: String(name.dropLast(5))) != nil, "\(name) names no registered detector")
        }
    }

    @Test func yamlFilesAreConsistent() throws {
        for d in Registry.ruleDetectors {
            let text = try Repo.yaml(d.id)
            let sink = IssueSink()
            let loaded = try #require(DetectorLoader.load(yaml: text, file: d.id, registry: Registry.all, sink: sink))
            #expect(sink.issues.isEmpty)
            #expect(loaded.spec.severity == d.defaultSeverity, "\(d.id)")
            #expect(loaded.spec.failedSeverity == .low)
            #expect(loaded.spec.dedupWindow == 3_600_000)
            #expect(loaded.spec.allowlist.isEmpty)
            #expect(loaded.spec.enabled)
            for key in ["version: 1\n", "id: \(d.id)\n", "description: \(d.summary)\n", "allowlist: []\n", "settings:"]
            {
                #expect(text.contains(key), "\(d.id).yaml lacks \(key)")
            }
            for field in [
                "identity", "account", "source", "user_agent_family", "operation", "resource", "key", "reason",
                "expires",
            ] {
                #expect(
                    text.contains("#     \(field):") || text.contains("#   - \(field):"),
                    "\(d.id).yaml example lacks \(field)")
            }
        }
    }

    @Test func ruleDetectorsRouteByOperation() {
        for d in Registry.ruleDetectors {
            let detector = d.make(ConfigReader(node: nil, file: "", sink: IssueSink()))
            #expect(detector.id == d.id)
            guard case .operations(let ops) = detector.interest else {
                Issue.record("\(d.id) asks for every event")
                continue
            }
            #expect(!ops.isEmpty)
        }
    }

    @Test func everyRuleDetectorHasATestFileAndMatchingDocComment() throws {
        for d in Registry.ruleDetectors {
            let name = typeName(d)
            let test = Repo.root + "/Tests/DetectorsTests/\(name)Tests.swift"
            #expect(FileManager.default.fileExists(atPath: test), "missing \(test)")
            let source = try Repo.detectorSource(name)
            #expect(
                docComment(of: name, in: source) == d.explanation, "doc comment of \(name) differs from its explanation"
            )
            #expect(d.explanation.contains("MITRE ATT&CK: T"), "\(d.id)")
            #expect(d.explanation.contains("False positives"), "\(d.id)")
        }
    }

    /// The `///` lines right above `public final class <name>`, without the slashes.
    func docComment(of name: String, in source: String) -> String {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let decl = lines.firstIndex(where: { $0.hasPrefix("public final class \(name)") }) else { return "" }
        var doc: [String] = []
        var i = decl - 1
        while i >= 0, lines[i].hasPrefix("///") {
            let line = lines[i].dropFirst(3)
            doc.insert(String(line.hasPrefix(" ") ? line.dropFirst() : line), at: 0)
            i -= 1
        }
        return doc.joined(separator: "\n")
    }
}
