import EventModel
import Testing

@testable import Formats

/// A small catalogue for the front-door tests (the shipped one is loaded in RuntimeTests).
let testCatalogue = EndpointCatalog(endpoints: [
    .init(
        kind: "langflow", path: "/api/v1/validate/code*", methods: [], action: "validate_code", cves: ["CVE-2025-3248"]),
    .init(kind: "langflow", path: "/api/v1/run/*", action: "run_flow"),
    .init(kind: "n8n", path: "/rest/workflows*", methods: ["POST"], action: "edit_flow"),
    .init(kind: "comfyui", path: "/prompt", methods: ["POST"], action: "run_flow"),
    .init(kind: "any", path: "/health", action: "version_probe"),
])

/// Decodes one text line (as the framer hands it out) with the test catalogue.
func decodeLine(
    _ line: String, deployments: [FrontDoorDeployment] = [], record: Int = 1
) -> (DecodeResult, [Diagnostic]) {
    var d = RecordDecoder(frontDoor: FrontDoorConfig(catalogue: testCatalogue, deployments: deployments))
    let r = Array(line.utf8).withUnsafeBytes { d.decodeText($0, origin: Origin(path: "access.log", record: record)) }
    return (r, d.warnings)
}

/// Decodes one JSON record with the test catalogue.
func decodeFrontDoorJSON(_ json: String, deployments: [FrontDoorDeployment] = []) -> DecodeResult {
    var d = RecordDecoder(frontDoor: FrontDoorConfig(catalogue: testCatalogue, deployments: deployments))
    return Array(json.utf8).withUnsafeBytes { d.decode($0, origin: Origin(path: "access.json", record: 1)) }
}

/// The event of a result, or nil.
func theEvent(_ r: DecodeResult) -> Event? {
    if case .event(let e) = r { return e }
    return nil
}

/// The diagnostic of a failed or skipped result, or nil.
func theDiagnostic(_ r: DecodeResult) -> Diagnostic? {
    switch r {
    case .failed(let d), .skipped(let d): return d
    default: return nil
    }
}

/// The name of the format that claims a JSON record.
func sniffFormat(_ json: String) -> String? {
    Array(json.utf8).withUnsafeBytes { FormatRegistry.sniff($0) }
}
