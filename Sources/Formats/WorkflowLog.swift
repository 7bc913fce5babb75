import ByteJSON
import EventModel

/// AI-workflow server logs (Langflow, n8n, ComfyUI, Flowise, in-house agents): no common
/// standard exists, so Trailhound defines `trailhound.workflow/v1` (docs/sources.md, "AI-workflow
/// server log format"): one JSON object per request or tool call, marked by
/// `"schema": "trailhound.workflow/v1"`, with the fields of `WorkflowField`. Servers that log
/// something else are read through a `WorkflowMapping` (`formats/*.yaml`).
///
/// Mapping (provider `workflow`, service `workflow`):
/// - identity: when `authenticated` is true (or unknown with a principal), key
///   `workflow:<server>/<principal>`, type `User`, display name the principal; otherwise key
///   `workflow:<server>/anonymous`, type `Anonymous`, display name `anonymous@<server>`.
///   `server` defaults to `workflow`.
/// - action: operation = `action` (`validate_code`, `run_flow`, `tool_call`,
///   `load_component`, …); without one, `<METHOD> <first three path segments>`. `readOnly`
///   for GET/HEAD requests without an action.
/// - outcome: `status` ≥ 400 → `Unauthorized` (401), `Forbidden` (403), `NotFound`, …
/// - source `source_ip`, user agent `user_agent`, account = server, event id = `event_id`,
///   else `<request_id>#<hash of the line's fields>` (several tool calls share a request id).
/// - resources: `flow:<flow_id>` and `tool:<tool_name>` (kind `other`).
/// - parameters: every schema field that is set, by its schema name (`path`, `status`,
///   `authenticated` = `true`/`false`, or absent when unknown, `tool_kind`, `target_host`,
///   `tool_input` as JSON text, …), plus `mapping` (the mapping's name) for mapped records.
/// Time is required (`decode.missing_field` / `decode.bad_time`): ISO-8601 or epoch seconds /
/// milliseconds.
enum WorkflowLog: RecordFormat {
    static let name = "workflow"
    static let schemaPrefix = "trailhound.workflow/"

    static func sniff(_ f: RecordFields) -> Bool {
        guard let s = f.first("schema"), s.kind == .string else { return false }
        return s.stringBytes.starts(with: schemaPrefix.utf8)
    }

    /// Field values read from a record, before they become an event (one slot per schema field).
    struct Record {
        var values = [String](repeating: "", count: WorkflowField.allCases.count)
        var time: Int64?
        var timeText = ""
        var mapping = ""

        subscript(_ f: WorkflowField) -> String { values[f.ordinal] }

        mutating func set(_ f: WorkflowField, _ v: String, overwrite: Bool = true) {
            guard !v.isEmpty, overwrite || values[f.ordinal].isEmpty else { return }
            values[f.ordinal] = v
        }
    }

    static func decode(_ f: RecordFields, context ctx: inout DecodeContext) throws(JSONError) -> DecodeResult {
        let schema = try ctx.text(f.first("schema"), max: 64)
        guard schema == "trailhound.workflow/v1" else {
            return .skipped(
                ctx.diagnostic(
                    .warning, DecodeCode.unsupportedEvent, "workflow schema '\(schema)' is not supported (v1 is)"))
        }
        var r = Record()
        for m in f.members {
            guard let i = keys.index(of: m.key) else { continue }
            try read(WorkflowField.ordered[i], m.value, into: &r, &ctx)
        }
        return finish(r, &ctx)
    }

    /// The schema's keys, in `WorkflowField.allCases` order.
    static let keys = JSONKeyTable([
        "timestamp", "server", "request_id", "method", "path", "status", "source_ip", "user_agent", "authenticated",
        "principal", "action", "tool_name", "tool_kind", "tool_input", "flow_id", "target_host", "duration_ms",
        "event_id",
    ])

    /// Reads one schema field from a JSON value (strings, numbers, booleans; objects and
    /// arrays as JSON text for `tool_input`).
    static func read(_ field: WorkflowField, _ v: JSONValue, into r: inout Record, _ ctx: inout DecodeContext)
        throws(JSONError)
    {
        guard let v = SourceSupport.present(v) else { return }
        if field == .timestamp {
            r.time = try SourceSupport.time(v, &ctx)
            r.timeText = try ctx.text(v, max: 64)
            return
        }
        let text: String
        switch v.kind {
        case .object, .array: text = ctx.rawText(v, max: field == .toolInput ? Limits.maxParameterValue : 1024)
        default:
            text = try ctx.text(
                v, max: field == .toolInput ? Limits.maxParameterValue : 1024, intern: field != .requestId)
        }
        r.set(field, text)
    }

    /// The event of a complete record, or why there is none; `capacity` reserves room for the
    /// parameters a caller adds afterwards (front-door events add about ten).
    static func finish(_ r0: Record, _ ctx: inout DecodeContext, capacity: Int = 16) -> DecodeResult {
        var r = r0
        guard let time = r.time else {
            let why = r.timeText.isEmpty ? "has no timestamp" : "timestamp '\(r.timeText)' is not a time"
            return .failed(
                ctx.diagnostic(
                    .error, r.timeText.isEmpty ? DecodeCode.missingField : DecodeCode.badTime, "workflow record \(why)")
            )
        }
        r.set(.server, "workflow", overwrite: false)
        let auth = authenticated(r)
        let server = r[.server]
        // Built inside the result and finished in place (see `CloudTrail.decode`): no copy of the event.
        var result = DecodeResult.event(
            Event(
                time: time, provider: .workflow, eventSource: server, account: server,
                identity: identity(r, auth, &ctx), action: action(r, &ctx),
                source: SourceSupport.source(r[.sourceIP]), userAgent: SourceSupport.userAgent(r[.userAgent], &ctx),
                outcome: outcome(r), origin: ctx.origin))
        let eventId = eventId(r)
        var resources: [Resource] = []
        if !r[.flowId].isEmpty {
            resources.append(Resource(kind: .other, id: SourceSupport.bounded("flow:" + r[.flowId])))
        }
        if !r[.toolName].isEmpty {
            resources.append(Resource(kind: .other, id: SourceSupport.bounded("tool:" + r[.toolName])))
        }
        var p: [String: String] = Dictionary(minimumCapacity: capacity)
        for (i, k) in WorkflowField.allCases.enumerated() where k != .authenticated && !r.values[i].isEmpty {
            SourceSupport.put(&p, k.rawValue, r.values[i])
        }
        if let auth { p["authenticated"] = auth ? "true" : "false" }
        SourceSupport.put(&p, "mapping", r.mapping)
        result.modifyEvent { event in
            event.eventId = eventId
            event.resources = resources
            event.parameters = p
        }
        return result
    }

    /// true / false, or nil when the record does not say (then a principal counts as authenticated).
    static func authenticated(_ r: Record) -> Bool? {
        switch SourceSupport.lower(r[.authenticated]) {
        case "true", "1", "yes", "y", "on": return true
        case "false", "0", "no", "n", "off": return false
        default:
            let p = SourceSupport.lower(r[.principal])
            return p.isEmpty || p == "anonymous" || p == "-" ? nil : true
        }
    }

    static func identity(_ r: Record, _ auth: Bool?, _ ctx: inout DecodeContext) -> Identity {
        let server = r[.server]
        let principal = r[.principal]
        if auth != false, !principal.isEmpty, SourceSupport.lower(principal) != "anonymous" {
            var key = SourceSupport.bounded("workflow:\(server)/\(principal)")
            return Identity(
                key: key.withUTF8 { ctx.strings.intern(UnsafeRawBufferPointer($0)) }, type: .user, accountId: server,
                displayName: principal)
        }
        var key = SourceSupport.bounded("workflow:\(server)/anonymous")
        return Identity(
            key: key.withUTF8 { ctx.strings.intern(UnsafeRawBufferPointer($0)) }, type: .anonymous, accountId: server,
            displayName: "anonymous@" + server)
    }

    static func action(_ r: Record, _ ctx: inout DecodeContext) -> Action {
        let method = r[.method].uppercased()
        var op = r[.action]
        if op.isEmpty {
            op = SourceSupport.bounded((method.isEmpty ? "REQUEST" : method) + " " + pathPrefix(r[.path]), 160)
        }
        let readOnly = r[.action].isEmpty && (method == "GET" || method == "HEAD")
        return Action(
            service: "workflow", operation: op.withUTF8 { ctx.strings.intern(UnsafeRawBufferPointer($0)) },
            readOnly: readOnly)
    }

    /// First three segments of a path without its query (bounded operation names).
    static func pathPrefix(_ path: String) -> String {
        var u = path.utf8.prefix { $0 != 0x3F && $0 != 0x23 }
        var out: [UInt8] = []
        var segments = 0
        while !u.isEmpty, segments < 3 {
            u = u.drop { $0 == 0x2F }
            let seg = u.prefix { $0 != 0x2F }
            if seg.isEmpty { break }
            out.append(0x2F)
            out.append(contentsOf: seg)
            u = u.dropFirst(seg.count)
            segments += 1
        }
        return out.isEmpty ? "/" : SourceSupport.bounded(String(decoding: out, as: UTF8.self), 128)
    }

    static func outcome(_ r: Record) -> Outcome {
        guard let status = Int(r[.status]), status >= 400 else { return .success }
        return Outcome(errorCode: Kubernetes.errorCode(status, reason: ""), errorMessage: "HTTP \(status)")
    }

    static func eventId(_ r: Record) -> String {
        if !r[.eventId].isEmpty { return SourceSupport.bounded(r[.eventId], 128) }
        let parts = [
            r.timeText, r[.requestId], r[.action], r[.toolName], r[.path], r[.status], r[.targetHost], r[.flowId],
        ]
        let h = SourceSupport.syntheticId("", parts)
        let request = r[.requestId]
        return request.isEmpty ? "wf-" + h : SourceSupport.bounded(request, 96) + "#" + String(h.prefix(8))
    }
}
