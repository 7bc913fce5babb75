import ByteJSON
import EventModel

/// Azure Activity Log and resource logs of the same envelope: the records of a diagnostic-settings
/// export (`{"records":[…]}`, framed record by record), one record per line (Event Hubs, Log
/// Analytics exports), or the REST / portal shape (`operationName: {"value": …,
/// "localizedValue": …}`, `eventTimestamp`, `caller`, `claims`, `subscriptionId`). Covers the
/// Administrative Activity Log, Key Vault `AuditEvent` data-plane records (`SecretGet`, …) and
/// Entra ID `AuditLogs` records (`Add service principal credentials`, …). AKS `kube-audit`
/// records are Kubernetes events (`AKSAudit`).
///
/// Mapping (provider `azure`):
/// - identity: see `AzureIdentity` (object id, app id, UPN; managed identities and service
///   principals → `ServiceAccount`).
/// - action: ARM operations (with `/`) are lower-cased, because the export upper-cases them
///   and the portal does not: operation `microsoft.keyvault/vaults/secrets/read`, service
///   `keyvault` (the provider namespace without `microsoft.`). Other operations (data plane,
///   Entra) are kept as logged (`SecretGet`, `Add service principal credentials`) with the
///   service of the `resourceId`'s provider (`keyvault`, `aadiam`). `readOnly` for `…/read` and
///   data-plane `Get`/`List` operations. Category `data` for `AuditEvent` and `Storage*`.
/// - outcome: `resultType` (`status.value`) `Failure`/`Failed`, or an HTTP status ≥ 400, is an
///   error; errorCode is the first of `properties.statusCode`, `subStatus.value`,
///   `properties.httpStatusCode` / `statusCode` when ≥ 400, `resultSignature` (HTTP numbers as
///   `Kubernetes.errorCode` names them: 403 → `Forbidden`), `AuthorizationFailed`-style codes
///   prefixed with `Forbidden.` so that `Outcome.isAccessDenied` holds. Records with
///   `resultType` `Start`/`Started`/`Accept`/`Accepted` announce an operation whose outcome is
///   a later record: they are `omitted` (`decode.azure_operation_started`, a note).
/// - account: `subscriptionId`, else the subscription of `resourceId`, else `tenantId`
///   (lower-cased); region: `location`.
/// - source: `callerIpAddress` (a `:port` suffix dropped), else `httpRequest.clientIpAddress`;
///   user agent: `properties.clientInfo` (Key Vault), `properties.userAgentHeader` (Storage).
/// - event id: `eventDataId`, else `properties.id` (Entra), else a hash of the record's
///   correlation id, time, operation, result, resource and caller address.
/// - resources: Key Vault secrets (`…/vaults/V/secrets/N`, data-plane `properties.id` or
///   `requestUri`) → `secret` `v/n`; storage `listkeys/action` → `secret`
///   `storageaccounts/<account>/keys` (account keys are secrets); other resource ids → `other`
///   (lower-cased).
/// - parameters: `operationName`, `category`, `resultType`, `resultSignature`, `resourceId`,
///   `correlationId`, `properties.requestbody`, `properties.statusCode`,
///   `properties.requestUri`, `properties.targetResources` (JSON),
///   `identity.authorization.evidence.role|principalType`, `claims.appid`, `claims.xms_mirid`.
enum AzureActivity: RecordFormat {
    static let name = "azure-activity"

    static func sniff(_ f: RecordFields) -> Bool {
        guard f.has("operationName") else { return false }
        return (f.has("time") || f.has("eventTimestamp"))
            && (f.has("resourceId") || f.has("correlationId") || f.has("category"))
    }

    struct Fields {
        static let table = JSONKeyTable([
            "time", "eventTimestamp", "resourceId", "operationName", "category", "resultType", "status",
            "resultSignature", "subStatus", "callerIpAddress", "httpRequest", "correlationId", "eventDataId",
            "subscriptionId", "location", "identity", "claims", "caller", "properties", "tenantId", "statusCode",
            "resultDescription",
        ])
        var values = [JSONValue?](repeating: nil, count: 22)

        init(_ f: RecordFields) {
            for m in f.members {
                guard let i = Fields.table.index(of: m.key), values[i] == nil else { continue }
                values[i] = SourceSupport.present(m.value)
            }
        }

        var time: JSONValue? { values[0] ?? values[1] }
        var resourceId: JSONValue? { values[2] }
        var operationName: JSONValue? { values[3] }
        var category: JSONValue? { values[4] }
        var resultType: JSONValue? { values[5] ?? values[6] }
        var resultSignature: JSONValue? { values[7] }
        var subStatus: JSONValue? { values[8] }
        var callerIp: JSONValue? { values[9] }
        var httpRequest: JSONValue? { values[10] }
        var correlationId: JSONValue? { values[11] }
        var eventDataId: JSONValue? { values[12] }
        var subscriptionId: JSONValue? { values[13] }
        var location: JSONValue? { values[14] }
        var identity: JSONValue? { values[15] }
        var claims: JSONValue? { values[16] }
        var caller: JSONValue? { values[17] }
        var properties: JSONValue? { values[18] }
        var tenantId: JSONValue? { values[19] }
        var statusCode: JSONValue? { values[20] }
        var resultDescription: JSONValue? { values[21] }

        /// Members of `properties` the decoder reads, collected in one pass.
        enum Prop: Int, CaseIterable {
            case id, requestUri, clientInfo, userAgentHeader, httpStatusCode, statusCode, statusMessage, requestbody
            case targetResources, initiatedBy
        }
        static let propTable = JSONKeyTable([
            "id", "requestUri", "clientInfo", "userAgentHeader", "httpStatusCode", "statusCode", "statusMessage",
            "requestbody", "targetResources", "initiatedBy",
        ])
        var props = [JSONValue?](repeating: nil, count: 10)

        mutating func readProperties() throws(JSONError) {
            guard let p = properties, p.kind == .object else { return }
            var it = p.members()
            while let m = try it.next() {
                guard let i = Fields.propTable.index(of: m.key), props[i] == nil else { continue }
                props[i] = SourceSupport.present(m.value)
            }
        }

        /// A member of `properties`, nil when absent or null.
        func prop(_ p: Prop) -> JSONValue? { props[p.rawValue] }
    }

    static func decode(_ f: RecordFields, context ctx: inout DecodeContext) throws(JSONError) -> DecodeResult {
        var r = Fields(f)
        try r.readProperties()
        guard let time = try SourceSupport.time(r.time, &ctx) else {
            return .failed(ctx.diagnostic(.error, DecodeCode.missingField, "Azure record has no valid time"))
        }
        let result = try SourceSupport.valueText(r.resultType, &ctx, max: 32)
        switch SourceSupport.lower(result) {
        case "start", "started", "accept", "accepted": return .omitted(reason: OmitCode.azureStart)
        default: break
        }
        let opRaw = try SourceSupport.valueText(r.operationName, &ctx, max: 256)
        guard !opRaw.isEmpty else {
            return .failed(ctx.diagnostic(.error, DecodeCode.missingField, "Azure record has no operationName"))
        }
        let resourceId = SourceSupport.lower(try ctx.text(r.resourceId, max: 1024, intern: false))
        let category = try SourceSupport.valueText(r.category, &ctx, max: 64)
        var account = SourceSupport.lower(try ctx.text(r.subscriptionId, max: 64))
        if account.isEmpty { account = subscription(resourceId) }
        if account.isEmpty { account = SourceSupport.lower(try ctx.text(r.tenantId, max: 64)) }
        let action = self.action(opRaw, resourceId: resourceId, category: category, &ctx)
        let who = try AzureIdentity.read(r, account: account, &ctx)
        if who.identity.key.isEmpty {
            ctx.missingIdentity("Azure Activity record has no caller (no caller, claims or identity.claims)")
        }
        let region = SourceSupport.lower(try ctx.text(r.location, max: 64))
        let source = try source(r, &ctx)
        let userAgent = try userAgent(r, &ctx)
        let outcome = try outcome(r, result: result, &ctx)
        // Built inside the result and finished in place (see `CloudTrail.decode`): no copy of the event.
        var decoded = DecodeResult.event(
            Event(
                time: time, provider: .azure, eventSource: resourceProvider(resourceId), account: account,
                region: region, identity: who.identity, action: action, source: source, userAgent: userAgent,
                outcome: outcome, origin: ctx.origin))
        try decoded.tryModifyEvent { event throws(JSONError) in
            event.eventId = try eventId(
                r, time: time, op: opRaw, result: result, resourceId: resourceId, event.source, &ctx)
            try details(r, opRaw: opRaw, resourceId: resourceId, category: category, who: who, into: &event, &ctx)
        }
        return decoded
    }

    /// Service and operation (see the type's documentation).
    static func action(_ op: String, resourceId: String, category: String, _ ctx: inout DecodeContext) -> Action {
        let isARM = op.utf8.contains(0x2F)
        let operation = isARM ? SourceSupport.lower(op) : op
        var service =
            isARM ? String(decoding: operation.utf8.prefix { $0 != 0x2F }, as: UTF8.self) : resourceProvider(resourceId)
        if service.hasPrefix("microsoft.") { service = String(service.dropFirst(10)) }
        if service.isEmpty { service = category.isEmpty ? "azure" : SourceSupport.lower(category) }
        let l = isARM ? operation : SourceSupport.lower(op)
        let readOnly =
            isARM
            ? l.hasSuffix("/read")
            : (l.hasPrefix("get") || l.hasPrefix("list") || l.hasSuffix("get") || l.hasSuffix("list"))
        let data = category == "AuditEvent" || category.hasPrefix("Storage")
        var o = operation
        var s = service
        return Action(
            service: s.withUTF8 { ctx.strings.intern(UnsafeRawBufferPointer($0)) },
            operation: o.withUTF8 { ctx.strings.intern(UnsafeRawBufferPointer($0)) }, readOnly: readOnly,
            category: data ? .data : .management)
    }

    /// `microsoft.keyvault` of `/subscriptions/…/providers/microsoft.keyvault/vaults/v` (lower-cased id).
    static func resourceProvider(_ resourceId: String) -> String {
        segment(after: "providers", in: resourceId)
    }

    /// The subscription id of a (lower-cased) resource id, "" when none.
    static func subscription(_ resourceId: String) -> String {
        segment(after: "subscriptions", in: resourceId)
    }

    /// The path segment following `key` in a lower-cased resource id.
    static func segment(after key: StaticString, in id: String) -> String {
        SourceSupport.segment(after: key, in: id)
    }

    static func source(_ r: Fields, _ ctx: inout DecodeContext) throws(JSONError) -> Source {
        var ip = try ctx.text(r.callerIp, max: SourceAddress.maxRaw)
        if ip.isEmpty {
            ip = try ctx.text(try SourceSupport.member(r.httpRequest, "clientIpAddress"), max: SourceAddress.maxRaw)
        }
        return SourceSupport.source(ip)
    }

    static func userAgent(_ r: Fields, _ ctx: inout DecodeContext) throws(JSONError) -> UserAgent {
        if let ua = r.prop(.clientInfo) { return try SourceSupport.userAgent(ua, &ctx) }
        return try SourceSupport.userAgent(r.prop(.userAgentHeader), &ctx)
    }

    /// Success, or the error (see the type's documentation).
    static func outcome(_ r: Fields, result: String, _ ctx: inout DecodeContext) throws(JSONError) -> Outcome {
        let http = r.prop(.httpStatusCode)?.lenientInt64 ?? r.statusCode?.lenientInt64 ?? 0
        let failed = ["failure", "failed"].contains(SourceSupport.lower(result)) || http >= 400
        guard failed else { return .success }
        var code = ""
        if let v = r.prop(.statusCode) {
            code = v.kind == .number ? errorName(v.lenientInt64 ?? 0) : try ctx.text(v, max: 64)
        }
        if code.isEmpty { code = try SourceSupport.valueText(r.subStatus, &ctx, max: 64) }
        if code.isEmpty, http >= 400 { code = errorName(http) }
        if code.isEmpty {
            let sig = try SourceSupport.valueText(r.resultSignature, &ctx, max: 64)
            let l = SourceSupport.lower(sig)
            if !["failed", "failure", "none", "ok", "success", "succeeded", ""].contains(l) && !l.hasPrefix("succeeded")
            {
                code = sig
            }
        }
        if let n = Int64(code), n >= 400 { code = errorName(n) }
        if code.isEmpty { code = "Failed" }
        if SourceSupport.contains(code, "Authorization") && !SourceSupport.contains(code, "Forbidden")
            && !SourceSupport.contains(code, "Unauthorized")
        {
            code = "Forbidden." + code
        }
        var message = try ctx.text(r.prop(.statusMessage), max: 256, intern: false)
        if message.isEmpty { message = try ctx.text(r.resultDescription, max: 256, intern: false) }
        return Outcome(errorCode: code, errorMessage: message)
    }

    private static func errorName(_ http: Int64) -> String { Kubernetes.errorCode(Int(http), reason: "") }

    static func eventId(
        _ r: Fields, time: Int64, op: String, result: String, resourceId: String, _ source: Source,
        _ ctx: inout DecodeContext
    ) throws(JSONError) -> String {
        let id = try ctx.text(r.eventDataId, max: 128, intern: false)
        if !id.isEmpty { return id }
        let entra = try ctx.text(r.prop(.id), max: 128, intern: false)
        if !entra.isEmpty && !entra.hasPrefix("http") { return entra }
        let correlation = try ctx.text(r.correlationId, max: 128, intern: false)
        return SourceSupport.syntheticId(
            "az-", [correlation, String(time), op, result, resourceId, source.raw, entra])
    }
}
