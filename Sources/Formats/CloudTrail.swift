import ByteJSON
import EventModel

/// AWS CloudTrail records: one object per event, as found in `{"Records":[…]}` files
/// (after framing), CloudWatch Logs / Firehose / CloudTrail Lake exports where a line is
/// the raw record, and inside the EventBridge envelope (see `EventBridge`).
///
/// Required: `eventTime` (`decode.missing_field` / `decode.bad_time`), `eventName`,
/// `eventSource` (`decode.missing_field`). Everything else is optional and tolerant:
/// nulls, missing fields, booleans and numbers written as strings.
///
/// CloudTrail Insights events (`insightDetails`, no `userIdentity`) take `eventSource` and
/// `eventName` from `insightDetails` and decode with `Identity.unknown`.
///
/// A record without `eventID` gets the synthetic id `<path>#<record>` from its origin, so
/// it is stable across runs over the same file. A record without `userIdentity` decodes
/// with `Identity.unknown` (empty key) and a `decode.missing_identity` warning, except an
/// `AwsServiceEvent` or an Insights event, which have no caller by design.
///
/// Records re-shipped by Logstash's CloudTrail codec decode too: it moves `eventTime` to
/// `@timestamp` and wraps `requestParameters.disableApiTermination` as `{"value": …}`.
enum CloudTrail: RecordFormat {
    static let name = "cloudtrail"

    static func sniff(_ f: RecordFields) -> Bool {
        let name = f.has("eventName")
        let source = f.has("eventSource")
        return (name && source) || (f.has("eventVersion") && (name || source || f.has("insightDetails")))
    }

    static func decode(_ f: RecordFields, context: inout DecodeContext) throws(JSONError) -> DecodeResult {
        var r = Fields()
        r.collect(f)
        // Logstash's CloudTrail codec moves `eventTime` to `@timestamp`.
        if r.eventTime == nil { r.envelopeTime = f.first("@timestamp") }
        return try decode(r, context: &context)
    }

    /// The top-level members the decoder reads (first occurrence wins).
    struct Fields {
        static let table = JSONKeyTable([
            "eventTime", "eventSource", "eventName", "awsRegion", "sourceIPAddress", "userAgent", "userIdentity",
            "requestParameters", "responseElements", "errorCode", "errorMessage", "eventID", "readOnly",
            "eventCategory", "managementEvent", "recipientAccountId", "resources", "vpcEndpointId",
            "additionalEventData", "insightDetails", "eventType",
        ])
        var eventTime, eventSource, eventName, awsRegion, sourceIP, userAgent, userIdentity: JSONValue?
        var requestParameters, responseElements, errorCode, errorMessage, eventID, readOnly: JSONValue?
        var eventCategory, managementEvent, recipientAccountId, resources, vpcEndpointId: JSONValue?
        var additionalEventData, insightDetails, eventType: JSONValue?
        /// EventBridge envelope fallbacks for time, account and region.
        var envelopeTime, envelopeAccount, envelopeRegion: JSONValue?

        /// True when a rule reading the record could find `userIdentity` fields other than the
        /// decoder's (a second `userIdentity`, or a key that spells a path into it): the
        /// identity's logged types are then not vouched for (see `SessionIssuerType`).
        var identityShapeUnsure = false

        mutating func collect(_ f: RecordFields) {
            for m in f.members {
                guard let i = Fields.table.index(of: m.key) else {
                    if m.key.hasEscapes || m.key.bytes.starts(with: Self.identityDot) { identityShapeUnsure = true }
                    continue
                }
                if i == 6 && userIdentity != nil { identityShapeUnsure = true }
                set(i, m.value)
            }
        }

        private static let identityDot = Array("userIdentity.".utf8)

        // swift-format-ignore
        private mutating func set(_ i: Int, _ v: JSONValue) {
            func put(_ slot: inout JSONValue?) { if slot == nil { slot = v } }
            switch i {
            case 0: put(&eventTime)
            case 1: put(&eventSource)
            case 2: put(&eventName)
            case 3: put(&awsRegion)
            case 4: put(&sourceIP)
            case 5: put(&userAgent)
            case 6: put(&userIdentity)
            case 7: put(&requestParameters)
            case 8: put(&responseElements)
            case 9: put(&errorCode)
            case 10: put(&errorMessage)
            case 11: put(&eventID)
            case 12: put(&readOnly)
            case 13: put(&eventCategory)
            case 14: put(&managementEvent)
            case 15: put(&recipientAccountId)
            case 16: put(&resources)
            case 17: put(&vpcEndpointId)
            case 18: put(&additionalEventData)
            case 19: put(&insightDetails)
            default: put(&eventType)
            }
        }
    }

    static func decode(_ r: Fields, context ctx: inout DecodeContext) throws(JSONError) -> DecodeResult {
        guard let tv = present(r.eventTime) ?? present(r.envelopeTime) else {
            return .failed(ctx.diagnostic(.error, DecodeCode.missingField, "CloudTrail record has no eventTime"))
        }
        guard let time = try parseTime(tv, &ctx) else {
            let shown = try ctx.text(tv, max: 40)
            return .failed(ctx.diagnostic(.error, DecodeCode.badTime, "eventTime '\(shown)' is not an ISO-8601 time"))
        }
        // Insights events carry the source and name of the unusual API under `insightDetails`.
        var nameValue = present(r.eventName)
        var sourceValue = present(r.eventSource)
        if let insight = present(r.insightDetails), nameValue == nil || sourceValue == nil {
            if nameValue == nil { nameValue = present(try insight.member("eventName")) }
            if sourceValue == nil { sourceValue = present(try insight.member("eventSource")) }
        }
        guard let nameValue, let sourceValue else {
            let which = nameValue == nil ? "eventName" : "eventSource"
            return .failed(ctx.diagnostic(.error, DecodeCode.missingField, "CloudTrail record has no \(which)"))
        }
        let eventSource = try ctx.text(sourceValue, max: 128)
        var identity = try identity(r.userIdentity, &ctx)
        if r.identityShapeUnsure {
            identity.loggedType = false
            identity.issuerType = .unknown
        }
        if identity.key.isEmpty, r.insightDetails == nil, try ctx.text(r.eventType, max: 64) != "AwsServiceEvent" {
            // Service events (a key rotated by AWS, a scheduled action) and Insights name no caller by design.
            ctx.missingIdentity(
                present(r.userIdentity) == nil
                    ? "CloudTrail record has no userIdentity"
                    : "CloudTrail record's userIdentity names no one (no arn, userName or principalId)")
        }
        var account = try ctx.text(r.recipientAccountId, max: 64)
        if account.isEmpty { account = identity.accountId }
        if account.isEmpty { account = try ctx.text(r.envelopeAccount, max: 64) }
        var region = try ctx.text(r.awsRegion, max: 64)
        if region.isEmpty { region = try ctx.text(r.envelopeRegion, max: 64) }
        let action = Action(
            service: serviceName(eventSource, &ctx), operation: try ctx.text(nameValue, max: 128),
            readOnly: r.readOnly?.lenientBool, category: try category(r, &ctx))
        let source = try source(r.sourceIP, &ctx)
        let userAgent = try userAgent(r.userAgent, &ctx)
        let outcome = Outcome(
            errorCode: try ctx.text(r.errorCode, max: 256),
            errorMessage: try ctx.text(r.errorMessage, max: 256, intern: false))
        // Built inside the result and finished in place: `var event = Event(…)` … `return
        // .event(event)` made the optimizer copy the finished event into the result (a retain
        // of each of its strings) and destroy the original.
        var result = DecodeResult.event(
            Event(
                time: time, provider: .aws, eventSource: eventSource, account: account, region: region,
                identity: consume identity, action: action, source: source, userAgent: userAgent, outcome: outcome,
                origin: ctx.origin))
        try result.tryModifyEvent { event throws(JSONError) in
            event.eventId = try ctx.text(r.eventID, max: 128, intern: false)
            if event.eventId.isEmpty { event.eventId = "\(ctx.origin.path)#\(ctx.origin.record)" }
            try details(r, into: &event, &ctx)
        }
        return result
    }

    /// A value that is present and not JSON null.
    @inline(__always)
    static func present(_ v: JSONValue?) -> JSONValue? {
        guard let v, v.kind != .null else { return nil }
        return v
    }

    static func parseTime(_ v: JSONValue, _ ctx: inout DecodeContext) throws(JSONError) -> Int64? {
        guard v.kind == .string else { return nil }
        if !v.hasEscapes { return Timestamp.parse(v.stringBytes) }
        return Timestamp.parse(try ctx.text(v, max: 64))
    }

    /// `iam` from `iam.amazonaws.com`; other sources (`ssm-guiconnect`) are kept whole.
    static func serviceName(_ source: String, _ ctx: inout DecodeContext) -> String {
        var s = source
        return s.withUTF8 { u in
            let suffix = ".amazonaws.com".utf8
            guard u.count > suffix.count, u[(u.count - suffix.count)...].elementsEqual(suffix) else { return source }
            return ctx.strings.intern(
                UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(u)[0..<(u.count - suffix.count)]))
        }
    }

    static func category(_ r: Fields, _ ctx: inout DecodeContext) throws(JSONError) -> EventCategory {
        if let c = present(r.eventCategory) {
            switch try ctx.text(c, max: 32).lowercased() {
            case "management": return .management
            case "data": return .data
            case "insight": return .insight
            case "networkactivity": return .networkActivity
            default: break
            }
        }
        if r.managementEvent?.lenientBool == false { return .data }
        return .management
    }

    static func source(_ v: JSONValue?, _ ctx: inout DecodeContext) throws(JSONError) -> Source {
        guard let v = present(v) else { return .unknown }
        if v.kind == .string, !v.hasEscapes, v.isASCII {
            let (hit, h) = ctx.sources.lookup(v.stringBytes)
            if let hit { return hit }
            let s = SourceAddress.parse(try ctx.text(v, max: SourceAddress.maxRaw))
            ctx.sources.insert(v.stringBytes, hash: h, s)
            return s
        }
        return SourceAddress.parse(try ctx.text(v, max: SourceAddress.maxRaw))
    }

    static func userAgent(_ v: JSONValue?, _ ctx: inout DecodeContext) throws(JSONError) -> UserAgent {
        guard let v = present(v), v.kind == .string else { return .empty }
        if !v.hasEscapes, v.isASCII { return ctx.userAgents.normalize(bytes: v.stringBytes) }
        return ctx.userAgents.normalize(try ctx.text(v, max: UserAgent.maxRawLength))
    }
}
