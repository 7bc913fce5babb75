import Config
import EventModel

/// Loads the two front-door files that live beside the mappings in `formats/`, told apart
/// from mappings by their `kind:` key:
///
/// ```yaml
/// version: 1
/// kind: endpoints                  # the endpoint catalogue (formats/workflow-endpoints.yaml)
/// servers:
///   - kind: langflow
///     endpoints:
///       - {path: "/api/v1/validate/code*", methods: [POST], action: validate_code, cves: [CVE-2025-3248]}
/// ---
/// version: 1
/// kind: deployments                # which host / backend is which server (site-specific)
/// deployments:
///   - {name: langflow-prod, kind: langflow, host: "langflow.example.com"}
///   - {name: n8n-internal, kind: n8n, backend: "*:targetgroup/n8n-*"}
///   - {name: langflow-dev, kind: langflow, front_door: nginx}   # combined lines name no host
/// ```
///
/// Every problem is reported with file:line:col (`config.missing_key`, `config.value`,
/// `config.type`, `config.unknown_key`, `config.duplicate_id`).
enum FrontDoorLoader {
    /// Most endpoints and deployments kept (each request is matched against them).
    static let maxEntries = 1024

    /// Reads a `kind: endpoints` document into `catalogue`.
    static func endpoints(_ root: ConfigReader, into catalogue: inout EndpointCatalog) {
        var seenKinds = Set(catalogue.kinds)
        for server in root.list("servers") {
            defer { server.finish() }
            _ = server.node("description")
            guard let kind = server.requiredString("kind") else { continue }
            if !isName(kind) { server.report("kind", code: "config.value", "'\(kind)' is not a lower-case name") }
            if !seenKinds.insert(kind).inserted {
                server.report("kind", code: "config.duplicate_id", "server kind '\(kind)' is listed twice")
            }
            for e in server.list("endpoints") {
                defer { e.finish() }
                _ = e.node("description")
                guard let path = e.requiredString("path"), let action = e.requiredString("action") else { continue }
                if !path.hasPrefix("/") { e.report("path", code: "config.value", "must start with '/'") }
                if !isName(action) {
                    e.report("action", code: "config.value", "'\(action)' is not a lower_snake_case action name")
                }
                let methods = e.strings("methods", default: [])
                let cves = e.strings("cves", default: [])
                for c in cves where !isCVE(c) {
                    e.report("cves", code: "config.value", "'\(c)' is not a CVE identifier (CVE-YYYY-NNNN)")
                }
                guard catalogue.endpoints.count < maxEntries else {
                    e.report("path", code: "config.range", "more than \(maxEntries) endpoints")
                    return
                }
                catalogue.endpoints.append(
                    EndpointCatalog.Endpoint(kind: kind, path: path, methods: methods, action: action, cves: cves))
            }
        }
    }

    /// Reads a `kind: deployments` document into `list`.
    static func deployments(_ root: ConfigReader, into list: inout [FrontDoorDeployment]) {
        for d in root.list("deployments") {
            defer { d.finish() }
            guard let name = d.requiredString("name") else { continue }
            let kind = d.has("kind") ? d.string("kind", default: "") : nil
            let host = d.has("host") ? d.string("host", default: "") : nil
            let backend = d.has("backend") ? d.string("backend", default: "") : nil
            let frontDoor = d.has("front_door") ? d.string("front_door", default: "") : nil
            if let f = frontDoor, !FormatRegistry.names.contains(f) {
                d.report(
                    "front_door", code: "config.value",
                    "'\(f)' is not a format (\(FormatRegistry.names.joined(separator: ", ")))")
            }
            if host == nil && backend == nil && frontDoor == nil {
                d.report("host", code: "config.missing_key", "say which requests this is: host, backend, front_door")
                continue
            }
            guard list.count < maxEntries else {
                d.report("name", code: "config.range", "more than \(maxEntries) deployments")
                return
            }
            list.append(
                FrontDoorDeployment(
                    name: name, kind: kind, host: host.map(lowerHost), backend: backend, frontDoor: frontDoor))
        }
    }

    /// Deployment kinds must be catalogue kinds (checked once every file is read).
    static func checkKinds(_ config: FrontDoorConfig, files: [String], sink: IssueSink) {
        let kinds = Set(config.catalogue.kinds)
        for d in config.deployments {
            if let k = d.kind, !kinds.contains(k) {
                sink.add(
                    ConfigIssue(
                        file: files.first ?? "formats", code: "config.value",
                        message: "deployment '\(d.name)': kind '\(k)' is not in the endpoint catalogue "
                            + "(known: \(kinds.sorted().joined(separator: ", ")))"))
            }
        }
    }

    private static func lowerHost(_ h: String) -> String { h.lowercased() }

    private static func isName(_ s: String) -> Bool {
        !s.isEmpty
            && s.utf8.allSatisfy {
                ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F || $0 == 0x2D
            }
    }

    private static func isCVE(_ s: String) -> Bool {
        let parts = s.split(separator: "-")
        return parts.count == 3 && parts[0] == "CVE" && parts[1].count == 4 && parts[2].count >= 4
            && parts[1].allSatisfy(\.isNumber) && parts[2].allSatisfy(\.isNumber)
    }
}
