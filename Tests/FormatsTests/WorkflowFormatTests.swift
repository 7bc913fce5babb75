import EventModel
import Testing

@testable import Formats

@Suite struct WorkflowFormatTests {
    static let validate =
        #"{"schema":"trailhound.workflow/v1","timestamp":"2026-03-01T10:06:00Z","server":"lf-prod","request_id":"req-1","method":"POST","path":"/api/v1/validate/code","status":200,"source_ip":"198.51.100.77","user_agent":"python-requests/2.31.0","authenticated":false,"action":"validate_code","duration_ms":41}"#

    @Test func nativeRecordMapsEveryField() throws {
        let e = try #require(event(Self.validate))
        #expect(e.provider == .workflow)
        #expect(e.time == Timestamp.parse("2026-03-01T10:06:00Z"))
        #expect(e.identity.key == "workflow:lf-prod/anonymous")
        #expect(e.identity.type == .anonymous)
        #expect(e.identity.displayName == "anonymous@lf-prod")
        #expect(e.action.service == "workflow" && e.action.operation == "validate_code")
        #expect(!e.action.isReadOnly)
        #expect(e.account == "lf-prod")
        #expect(e.source.ips == ["198.51.100.77"])
        #expect(e.userAgent.family == .pythonRequests)
        #expect(e.parameter("authenticated") == "false")
        #expect(e.parameter("path") == "/api/v1/validate/code")
        #expect(e.parameter("status") == "200")
        #expect(e.parameter("duration_ms") == "41")
        #expect(e.eventId.hasPrefix("req-1#"))
    }

    @Test func authenticatedToolCallWithResourcesAndInput() throws {
        let line =
            #"{"schema":"trailhound.workflow/v1","timestamp":1772359560.25,"server":"lf-prod","request_id":"req-2","authenticated":true,"principal":"alice@example.com","action":"tool_call","tool_name":"fetch_url","tool_kind":"network","flow_id":"f-77","target_host":"169.254.169.254","tool_input":{"url":"http://169.254.169.254/latest/meta-data/"}}"#
        let e = try #require(event(line))
        #expect(e.time == 1_772_359_560_250)
        #expect(e.identity.key == "workflow:lf-prod/alice@example.com" && e.identity.type == .user)
        #expect(e.resources == [Resource(kind: .other, id: "flow:f-77"), Resource(kind: .other, id: "tool:fetch_url")])
        #expect(e.parameter("tool_input")?.contains("latest/meta-data") == true)
        #expect(e.parameter("target_host") == "169.254.169.254")
        // Two tool calls of one request get distinct ids.
        let other = try #require(event(line.replacingOccurrences(of: "fetch_url", with: "shell")))
        #expect(other.eventId != e.eventId)
    }

    @Test func withoutActionTheOperationIsMethodAndPathPrefix() throws {
        let line =
            #"{"schema":"trailhound.workflow/v1","timestamp":"2026-03-01T10:00:00Z","method":"get","path":"/api/v1/flows/abc/runs?limit=5","status":403}"#
        let e = try #require(event(line))
        #expect(e.action.operation == "GET /api/v1/flows")
        #expect(e.action.isReadOnly)
        #expect(e.account == "workflow")
        #expect(e.outcome.errorCode == "Forbidden" && e.outcome.isAccessDenied)
        #expect(e.parameter("authenticated") == nil)
    }

    @Test func badOrMissingTimeAndUnknownSchemaVersion() {
        let bad = #"{"schema":"trailhound.workflow/v1","timestamp":"yesterday","path":"/"}"#
        #expect(failure(bad)?.code == DecodeCode.badTime)
        #expect(failure(#"{"schema":"trailhound.workflow/v1","path":"/"}"#)?.code == DecodeCode.missingField)
        #expect(
            skipped(#"{"schema":"trailhound.workflow/v9","timestamp":"2026-03-01T10:00:00Z"}"#)?.code
                == DecodeCode.unsupportedEvent)
    }

    /// The Langflow mapping shipped in formats/, built by hand here (the YAML loader is tested in RuntimeTests).
    static let langflow = WorkflowMapping(
        name: "langflow-container",
        requireKeys: [["record", "time", "timestamp"], ["record", "message"]],
        requireContains: [(["record", "message"], " HTTP/")],
        fields: [(.timestamp, ["record", "time", "timestamp"])],
        defaults: [(.server, "langflow")],
        extracts: [
            WorkflowExtract(
                from: ["record", "message"],
                parts: try! WorkflowExtract.parse(#"{source_ip} - "{method} {path} HTTP/{_}" {status}"#).get())
        ],
        actions: [
            (Glob("/api/v1/validate/code*"), "validate_code"),
            (Glob("/api/v1/run/*"), "run_flow"),
        ])

    func mapped(_ json: String) -> DecodeResult {
        var d = RecordDecoder(mappings: [Self.langflow])
        let bytes = Array(json.utf8)
        return bytes.withUnsafeBytes { d.decode($0, origin: Origin(path: "lf.log", record: 3)) }
    }

    @Test func mappingReadsLoguruAccessLines() throws {
        let line =
            #"{"text":"x\n","record":{"elapsed":{"repr":"0:01:02","seconds":62.1},"level":{"icon":"i","name":"INFO","no":20},"message":"198.51.100.77:53122 - \"POST /api/v1/validate/code HTTP/1.1\" 200","name":"uvicorn.access","time":{"repr":"2026-03-01 10:06:00.250000+00:00","timestamp":1772359560.25}}}"#
        guard case .event(let e) = mapped(line) else {
            Issue.record("not decoded: \(mapped(line))")
            return
        }
        #expect(e.time == 1_772_359_560_250)
        #expect(e.action.operation == "validate_code")
        #expect(e.identity.key == "workflow:langflow/anonymous")
        #expect(e.source.ips == ["198.51.100.77"])
        #expect(e.parameter("method") == "POST" && e.parameter("status") == "200")
        #expect(e.parameter("authenticated") == nil)
        #expect(e.parameter("mapping") == "langflow-container")
        // Application lines do not match the mapping and stay unknown.
        guard
            case .failed(let d) = mapped(
                #"{"text":"x","record":{"message":"Loading components","time":{"timestamp":1772359560.25}}}"#)
        else {
            Issue.record("expected unknown format")
            return
        }
        #expect(d.code == DecodeCode.unknownFormat)
        // With a `skip:` condition they are omitted on purpose (a note, not an error).
        var withSkip = Self.langflow
        withSkip.skip = WorkflowMapping.Condition(keys: [["record", "message"], ["record", "time", "timestamp"]])
        var d2 = RecordDecoder(mappings: [withSkip])
        let app = Array(
            #"{"text":"x","record":{"message":"Loading components","time":{"timestamp":1772359560.25}}}"#.utf8)
        guard
            case .omitted(let reason) = app.withUnsafeBytes({ d2.decode($0, origin: Origin(path: "lf.log", record: 4)) }
            )
        else {
            Issue.record("expected the application line to be omitted")
            return
        }
        #expect(reason == OmitCode.mappingSkipped)
    }

    @Test func templatesParseAndMatch() throws {
        let parts = try WorkflowExtract.parse(#"{source_ip} - "{method} {path} HTTP/{_}" {status}"#).get()
        let x = WorkflowExtract(from: ["m"], parts: parts)
        let got = try #require(x.match(#"10.0.0.1:5 - "GET /a/b?c=d HTTP/1.1" 404"#))
        #expect(got.map(\.0) == [.sourceIP, .method, .path, .status])
        #expect(got.map(\.1) == ["10.0.0.1:5", "GET", "/a/b?c=d", "404"])
        #expect(x.match("garbage") == nil)
        #expect(x.match(#"10.0.0.1:5 - "GET /a HTTP/1.1" 404 trailing"#)?.last?.1 == "404 trailing")
        if case .success = WorkflowExtract.parse("{nope}") { Issue.record("unknown field accepted") }
        if case .success = WorkflowExtract.parse("{method}{path}") { Issue.record("adjacent captures accepted") }
        if case .success = WorkflowExtract.parse("no captures") { Issue.record("template without capture accepted") }
        if case .success = WorkflowExtract.parse("{method") { Issue.record("unclosed brace accepted") }
    }

    @Test func globs() {
        #expect(Glob("/api/v1/run/*").matches("/api/v1/run/abc"))
        #expect(!Glob("/api/v1/run/*").matches("/api/v1/runs"))
        #expect(Glob("/rest/workflows/*/run").matches("/rest/workflows/12/run"))
        #expect(Glob("/prompt").matches("/prompt"))
    }
}
