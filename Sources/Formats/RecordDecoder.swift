import ByteJSON
import EventModel

/// Decodes framed records (the bytes of one JSON value) into events.
///
/// Keeps small bounded caches (interned strings, user agents, identities by their
/// `userIdentity` bytes, sources), so reuse one decoder per thread; it is not shared.
///
/// Besides the result, `warnings` lists problems with the last record that did not stop
/// it from decoding: `decode.invalid_utf8` (text repaired with U+FFFD) and
/// `decode.missing_identity` (an event that names no caller, said in its format's terms:
/// no `userIdentity`, no `user`, no `authenticationInfo`, no caller; not for records that
/// have none by design, such as CloudTrail's `AwsServiceEvent`). Such an event decodes with
/// an empty `identity.key`.
///
/// `@unchecked Sendable`: the only non-Sendable members are scratch buffers of
/// `JSONMember`s, which are emptied before `decode` returns, so no pointer into a
/// caller's buffer outlives the call.
public struct RecordDecoder: @unchecked Sendable {
    private var context: DecodeContext
    private var fields = RecordFields()
    /// Which events keep their provider record in `Event.raw` (the loaded rules' union);
    /// the live service changes it when a reload changes the rules.
    public var rawInterest: RawInterest {
        get { context.rawInterest }
        set { context.rawInterest = newValue }
    }
    /// Warnings about the last decoded record (empty for most records).
    public private(set) var warnings: [Diagnostic] = []

    /// Creates a decoder; `maxDepth` bounds JSON nesting (`decode.too_deep`), clamped to 1…64.
    /// `mappings` read workflow servers' own log shapes (tried in order on records that no
    /// built-in format claims).
    /// `rawInterest` says which events keep their provider record in `Event.raw` (for rules);
    /// `frontDoor` names the servers and endpoints of front-door access logs.
    public init(
        maxDepth: Int = JSONReader.defaultMaxDepth, mappings: [WorkflowMapping] = [],
        rawInterest: RawInterest = .none, frontDoor: FrontDoorConfig = FrontDoorConfig()
    ) {
        context = DecodeContext(
            maxDepth: maxDepth, mappings: mappings, rawInterest: rawInterest, frontDoor: frontDoor)
    }

    /// Decodes one text line read at `origin` (a record the framer marked as text): the
    /// first text format that recognises it decodes it; a line none claims is reported as
    /// `frame.not_json`, its meaning before text formats existed.
    public mutating func decodeText(_ bytes: UnsafeRawBufferPointer, origin: Origin) -> DecodeResult {
        begin(origin)
        let line = TextLine(bytes)
        var result: DecodeResult?
        for format in FormatRegistry.textFormats where format.sniff(line) {
            result = format.decode(line, context: &context)
            break
        }
        guard let result else {
            return .failed(
                context.diagnostic(
                    .error, "frame.not_json",
                    "line \(origin.record) is neither JSON (it does not start with `{` or `[`) nor a known text "
                        + "access-log line (\(FormatRegistry.textFormats.map { $0.name }.joined(separator: ", "))); skipped it"
                ))
        }
        end(hasEvent: result.hasEvent)
        return result
    }

    /// Decodes one record read at `origin`.
    public mutating func decode(_ bytes: UnsafeRawBufferPointer, origin: Origin) -> DecodeResult {
        begin(origin)
        let result: DecodeResult
        do {
            result = try decodeObject(bytes)
        } catch {
            result = .failed(
                context.diagnostic(
                    .error, error.code.rawValue, "malformed record: \(error.message) at byte \(error.offset)"))
        }
        fields.clear()
        context.nested.clear()
        // Only whether it has an event: passing the result to `end` and returning it from there
        // copied it, a retain and a release of each of the event's strings.
        end(hasEvent: result.hasEvent)
        return result
    }

    /// Resets the per-record state (warnings, origin, the invalid-UTF-8 mark) before a record.
    private mutating func begin(_ origin: Origin) {
        if !warnings.isEmpty { warnings.removeAll(keepingCapacity: true) }
        context.origin = origin
        context.invalidUTF8 = false
        if !context.warnings.isEmpty { context.warnings.removeAll(keepingCapacity: true) }
    }

    /// Moves the record's warnings out when it gave an event, adding the invalid-UTF-8 one.
    private mutating func end(hasEvent: Bool) {
        guard hasEvent else { return }
        warnings += context.warnings
        if context.invalidUTF8 {
            warnings.append(
                context.diagnostic(
                    .warning, DecodeCode.invalidUTF8, "record text had invalid UTF-8, replaced with U+FFFD"))
        }
    }

    private mutating func decodeObject(_ bytes: UnsafeRawBufferPointer) throws(JSONError) -> DecodeResult {
        let reader = JSONReader(bytes, maxDepth: context.maxDepth)
        let kind = try reader.rootKind()
        guard kind == .object else {
            do {
                _ = try reader.root()  // malformed beats not-an-object
            } catch  where !kind.isContainer {
                // A scalar followed by junk is text that happens to start like JSON (`2024-01-01 …`).
                throw JSONError(.notJSON, at: error.offset, "input is not JSON")
            }
            return .failed(context.diagnostic(.error, DecodeCode.notObject, "record is a JSON \(kind), not an object"))
        }
        var it = try reader.rootMembers()
        try fields.collect(&it)
        // Decoded into a local first: passing `try Self.dispatch(fields, &context)` straight to a
        // method of `context` reads `context` (a copy of every cache array) before the inout
        // access, so each cache write during the decode copied its whole array (half the cycles
        // of a scan).
        var result = try Self.dispatch(fields, &context)
        context.attachRaw(&result, bytes)
        return result
    }

    /// Hands a record's members to the first format (then workflow mapping) that claims them.
    static func dispatch(_ fields: RecordFields, _ context: inout DecodeContext) throws(JSONError) -> DecodeResult {
        let formats = FormatRegistry.formats
        if formats[0].sniff(fields) { return try formats[0].decode(fields, context: &context) }
        // The names are summarized only for records the first format (CloudTrail) left.
        var fields = fields
        fields.summarizeNames()
        for format in formats.dropFirst() where format.sniff(fields) {
            return try format.decode(fields, context: &context)
        }
        for m in context.mappings where try WorkflowLog.matches(m, fields, &context) {
            return try WorkflowLog.decode(fields, mapping: m, &context)
        }
        for m in context.mappings {
            if let skip = m.skip, try WorkflowLog.holds(skip, fields, &context) {
                return .omitted(reason: OmitCode.mappingSkipped)
            }
        }
        return .failed(
            context.diagnostic(
                .error, DecodeCode.unknownFormat, "JSON object of no known format (\(keysPreview(fields)))"))
    }

    /// The first few keys, to help the user see what the record is.
    private static func keysPreview(_ fields: RecordFields) -> String {
        let keys = fields.members.prefix(5).map { m in
            String((try? m.key.decoded()) ?? "?").prefix(40)
        }
        return keys.isEmpty ? "empty object" : "keys: " + keys.joined(separator: ", ")
    }
}

extension DecodeResult {
    /// True for an event, or a batch holding one.
    var hasEvent: Bool {
        switch self {
        case .event: return true
        case .batch(let list): return list.contains { $0.hasEvent }
        default: return false
        }
    }
}
