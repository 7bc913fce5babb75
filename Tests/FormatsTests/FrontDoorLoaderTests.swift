import Formats
import Foundation
import Testing

@Suite struct FrontDoorLoaderTests {
    func loadDir(_ files: [String: String]) throws -> FormatMappingSet {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, text) in files {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        return FormatMappingLoader.load(directory: dir.path)
    }

    @Test func shippedCatalogueLoadsAndNamesTheKnownEndpoints() throws {
        let set = FormatMappingLoader.load(directory: FormatMappingLoaderTests.root + "/formats")
        #expect(set.issues.isEmpty, "\(set.issues.map(\.description))")
        let c = set.frontDoor.catalogue
        #expect(Set(c.kinds).isSuperset(of: ["langflow", "n8n", "flowise", "comfyui", "dify", "any"]))
        let validate = try #require(c.match(path: "/api/v1/validate/code", method: "POST", kind: nil))
        #expect(validate.action == "validate_code" && validate.cves == ["CVE-2025-3248"] && validate.kind == "langflow")
        #expect(
            c.match(path: "/api/v1/node-load-method/customMCP", method: "POST", kind: nil)?.cves == ["CVE-2025-59528"])
        #expect(
            c.match(path: "/api/v1/build_public_tmp/f1/flow", method: "POST", kind: nil)?.cves == ["CVE-2026-33017"])
        #expect(c.match(path: "/api/v1/auto_login", method: "GET", kind: nil)?.action == "version_probe")
        #expect(c.match(path: "/health", method: "GET", kind: "comfyui")?.action == "version_probe")
        // ComfyUI's queue is POST only: a GET /prompt reads the queue.
        #expect(c.match(path: "/prompt", method: "GET", kind: "comfyui") == nil)
        #expect(c.match(path: "/prompt", method: "POST", kind: "comfyui")?.action == "run_flow")
        #expect(c.match(path: "/assets/app.js", method: "GET", kind: nil) == nil)
        // Mappings in the same directory are still loaded.
        #expect(set.mappings.contains { $0.name == "langflow-container" })
    }

    @Test func exampleDeploymentsLoadBesideTheShippedCatalogue() throws {
        let root = FormatMappingLoaderTests.root
        let set = try loadDir([
            "workflow-endpoints.yaml": try String(
                contentsOfFile: root + "/formats/workflow-endpoints.yaml", encoding: .utf8),
            "sites.yaml": try String(
                contentsOfFile: root + "/examples/formats/frontdoor-deployments.yaml", encoding: .utf8),
        ])
        #expect(set.issues.isEmpty, "\(set.issues.map(\.description))")
        #expect(set.frontDoor.deployments.count == 4)
    }

    @Test func deploymentsFileMapsHostsAndBackends() throws {
        let set = try loadDir([
            "endpoints.yaml": """
            version: 1
            kind: endpoints
            servers:
              - kind: langflow
                endpoints:
                  - {path: "/api/v1/validate/code*", methods: [POST], action: validate_code, cves: [CVE-2025-3248]}
            """,
            "sites.yaml": """
            version: 1
            kind: deployments
            description: our servers
            deployments:
              - {name: langflow-prod, kind: langflow, host: "LangFlow.example.com"}
              - {name: ingress-lf, backend: "ai-langflow-*"}
            """,
        ])
        #expect(set.issues.isEmpty, "\(set.issues.map(\.description))")
        #expect(set.frontDoor.deployments.map(\.name) == ["langflow-prod", "ingress-lf"])
        #expect(set.frontDoor.deployments.first?.host?.pattern == "langflow.example.com")
        #expect(set.frontDoor.catalogue.endpoints.first?.methods == ["POST"])
        #expect(set.mappings.isEmpty)
    }

    @Test func everyProblemIsReportedWithItsPosition() throws {
        let set = try loadDir([
            "bad.yaml": """
            version: 1
            kind: endpoints
            servers:
              - kind: Lang Flow
                endpoints:
                  - {path: "api/run", action: Run-Flow, cves: [CVE-25-1]}
                  - {action: login}
                  - {path: "/x", action: x, color: red}
            """,
            "sites.yaml": """
            version: 1
            kind: deployments
            deployments:
              - {name: a, kind: nosuch, host: "a.example"}
              - {name: b}
            """,
            "odd.yaml": "version: 1\nkind: pipelines\n",
        ])
        let codes = set.issues.map(\.code)
        #expect(codes.filter { $0 == "config.value" }.count == 6, "\(set.issues.map(\.description))")
        #expect(codes.contains("config.unknown_key"))
        #expect(codes.filter { $0 == "config.missing_key" }.count == 2)
        let pathIssue = try #require(set.issues.first { $0.message.contains("must start with '/'") })
        #expect(pathIssue.line == 6 && pathIssue.column > 0)
        #expect(set.issues.contains { $0.message.contains("kind 'nosuch' is not in the endpoint catalogue") })
        #expect(set.issues.contains { $0.message.contains("unknown kind 'pipelines'") })
    }
}
