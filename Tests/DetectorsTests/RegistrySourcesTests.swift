import Detection
@testable import Detectors
import EventModel
import Foundation
import Testing

/// The conventions of `RegistryTests` applied to the source detectors (Kubernetes, workflow).
@Suite struct RegistrySourcesTests {
    @Test func sourceDetectorsAreRegisteredWithYAMLTestsAndDocComments() throws {
        #expect(Registry.sourceDetectors.count == 8)
        for d in Registry.sourceDetectors {
            #expect(Registry.descriptor(id: d.id) != nil)
            let detector = d.make(ConfigReader(node: nil, file: "", sink: IssueSink()))
            #expect(detector.id == d.id)
            let name = String(describing: type(of: detector))
            #expect(
                FileManager.default.fileExists(atPath: Repo.root + "/Tests/DetectorsTests/\(name)Tests.swift"),
                "\(name)")
            let source = try Repo.detectorSource(name)
            #expect(RegistryTests().docComment(of: name, in: source) == d.explanation, "doc comment of \(name)")
            #expect(d.explanation.contains("MITRE ATT&CK: T") && d.explanation.contains("False positives"))
            let text = try Repo.yaml(d.id)
            let sink = IssueSink()
            let loaded = try #require(DetectorLoader.load(yaml: text, file: d.id, registry: Registry.all, sink: sink))
            #expect(sink.issues.isEmpty, "\(sink.issues)")
            #expect(loaded.spec.severity == d.defaultSeverity, "\(d.id)")
            #expect(text.contains("description: \(d.summary)\n"), "\(d.id)")
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
}
