import ByteJSON
import EventModel

/// Outcome of decoding one framed record.
public enum DecodeResult: Sendable {
    /// A normalized event.
    case event(Event)
    /// Recognized input that is not an event and was skipped on purpose (CloudTrail digest
    /// files, `{"Records":[]}` wrappers, delivery notifications). Usually a `note`.
    case skipped(Diagnostic)
    /// The record was lost: malformed JSON, not an object, unknown format, missing or bad time.
    case failed(Diagnostic)
    /// A record that repeats a request already (or later) counted, left out on purpose and
    /// too common to be worth a diagnostic each: Kubernetes audit stages other than the final
    /// one (`RequestReceived`, `ResponseStarted`), Azure Activity Log `Started`/`Accepted`
    /// records of an operation whose outcome follows, application lines of a workflow server
    /// (a mapping's `skip:`). `reason` is a stable code
    /// (`OmitCode`); the Runtime turns it into a note (counted in the summary, not printed).
    case omitted(reason: String)
    /// Several records carried in one (a CloudWatch Logs subscription batch): the result
    /// of each, in order. Never nested.
    case batch([DecodeResult])

    /// Runs `body` on the event in place, when this is one; otherwise does nothing. The event is
    /// taken out and put back, never copied (a copy retains each of its strings): parking a
    /// placeholder in `self` first leaves the taken event the only owner. `switch consume self`
    /// looked like the same thing but made the optimizer copy the event.
    mutating func modifyEvent(_ body: (inout Event) -> Void) {
        guard case .event(var e) = self else { return }
        self = .omitted(reason: "")
        body(&e)
        self = .event(e)
    }

    /// `modifyEvent` for a body that can throw; the event is put back either way. (One generic
    /// function for both made the optimizer copy the event in the non-throwing callers.)
    mutating func tryModifyEvent(_ body: (inout Event) throws(JSONError) -> Void) throws(JSONError) {
        guard case .event(var e) = self else { return }
        self = .omitted(reason: "")
        defer { self = .event(e) }
        try body(&e)
    }
}

/// Stable codes of `DecodeResult.omitted`.
public enum OmitCode {
    /// A Kubernetes audit record at a non-final stage (`RequestReceived`, `ResponseStarted`);
    /// the same `auditID` comes again at `ResponseComplete` or `Panic`.
    public static let k8sStage = "decode.k8s_non_final_stage"
    /// An Azure Activity Log record announcing an operation (`Start`, `Accept`); its outcome
    /// (`Success`, `Failure`) is a separate record.
    public static let azureStart = "decode.azure_operation_started"
    /// A record a workflow mapping's `skip:` condition recognises as the server's own
    /// non-request log line.
    public static let mappingSkipped = "decode.mapping_skipped"
}

/// Stable diagnostic codes produced by the decoders.
public enum DecodeCode {
    /// Input does not start like JSON (from ByteJSON).
    public static let notJSON = "decode.not_json"
    /// JSON grammar broken or input truncated (from ByteJSON).
    public static let syntax = "decode.syntax"
    /// Nesting deeper than the depth limit (from ByteJSON).
    public static let tooDeep = "decode.too_deep"
    /// A record that would decode into more than a format's bound (an OCSF record's CloudTrail transcript).
    public static let tooLarge = "decode.too_large"
    /// The record is JSON but not an object.
    public static let notObject = "decode.not_object"
    /// A required field (`eventTime`, `eventName`, `eventSource`) is missing or null.
    public static let missingField = "decode.missing_field"
    /// `eventTime` is present but not a recognizable timestamp.
    public static let badTime = "decode.bad_time"
    /// An object that no known format claims.
    public static let unknownFormat = "decode.unknown_format"
    /// A recognized envelope carrying something other than an audit event (e.g. an
    /// EventBridge GuardDuty finding).
    public static let unsupportedEvent = "decode.unsupported_event"
    /// A CloudTrail digest file (skipped, note).
    public static let digestFile = "decode.digest_file"
    /// JSON that is metadata rather than an event: `{"Records":[]}`, delivery notifications.
    public static let notEvent = "decode.not_event"
    /// Warning attached to an event: some text had invalid UTF-8 (replaced by U+FFFD).
    public static let invalidUTF8 = "decode.invalid_utf8"
    /// Warning attached to an event that names no caller (empty `identity.key`), worded in
    /// its format's terms; not raised for records without one by design.
    public static let missingIdentity = "decode.missing_identity"
}
