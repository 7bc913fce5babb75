import ByteJSON
import EventModel

/// The top-level members of one record, collected once so that every format can sniff
/// and decode without rescanning the bytes. Values point into the record's buffer.
struct RecordFields {
    /// At most this many members are kept; later ones are still syntax-checked.
    static let maxMembers = 512

    private(set) var members: [JSONMember] = []
    /// One bit per member name (`nameBit`), once `summarizeNames` ran (every bit set before:
    /// no scan is skipped): `first` scans the members only when the bit of the name it looks
    /// for is set. Each record is sniffed by up to twenty formats, each asking for names the
    /// record mostly lacks (a Kubernetes record has no `eventName`), and those scans compared
    /// every name: about 7,000 instructions per non-CloudTrail record. A set bit may be another
    /// name's (the scan then decides); a clear one means no member has that name.
    private(set) var nameBits: UInt64 = ~0

    init() { members.reserveCapacity(32) }

    /// Collects the members of the root object of `reader` (or of `object`).
    mutating func collect(_ it: inout JSONObjectMembers) throws(JSONError) {
        clear()
        while let m = try it.next() {
            if members.count < RecordFields.maxMembers { members.append(m) }
        }
    }

    /// Sets `nameBits` from the members (`RecordDecoder.dispatch` does, once the first format,
    /// which claims most records, has not).
    mutating func summarizeNames() {
        var bits: UInt64 = 0
        // A name with escapes compares as decoded text, which its raw bytes do not show.
        for m in members { bits |= m.key.hasEscapes ? ~0 : Self.nameBit(m.key.bytes) }
        nameBits = bits
    }

    /// Drops the collected members (keeps the capacity).
    mutating func clear() {
        members.removeAll(keepingCapacity: true)
        nameBits = ~0
    }

    /// The bit of a name: from its length and its first and last bytes.
    @inline(__always) static func nameBit(_ name: UnsafeRawBufferPointer) -> UInt64 {
        guard let first = name.first, let last = name.last else { return 1 }
        return 1 &<< ((UInt64(name.count) &* 31 &+ UInt64(first) &* 7 &+ UInt64(last)) & 63)
    }

    /// First member named `key`.
    func first(_ key: StaticString) -> JSONValue? {
        let name = UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
        guard nameBits & Self.nameBit(name) != 0 else { return nil }
        for m in members where m.key == key { return m.value }
        return nil
    }

    /// True when a member named `key` is present (even if null).
    func has(_ key: StaticString) -> Bool { first(key) != nil }
}

/// A log format: recognizes its records by content and decodes them. Formats are
/// stateless; per-decoder caches live in `DecodeContext`. Add new formats to
/// `FormatRegistry.formats`.
protocol RecordFormat: SendableMetatype {
    /// Stable name, e.g. `cloudtrail`.
    static var name: String { get }
    /// True when the record looks like this format (checked in registry order).
    static func sniff(_ fields: RecordFields) -> Bool
    /// Decodes a record that `sniff` accepted.
    static func decode(_ fields: RecordFields, context: inout DecodeContext) throws(JSONError) -> DecodeResult
}

/// A log format written as text, one record per line (nginx `combined`, ALB): recognised
/// by the line's content and decoded byte-wise. Listed in `FormatRegistry.textFormats`.
protocol TextFormat: SendableMetatype {
    /// Stable name, e.g. `nginx`.
    static var name: String { get }
    /// True when the line looks like this format (checked in registry order).
    static func sniff(_ line: TextLine) -> Bool
    /// Decodes a line that `sniff` accepted (split with `TextLine.maxFields`).
    static func decode(_ line: TextLine, context: inout DecodeContext) -> DecodeResult
}

/// Mutable state shared by the formats while decoding: the record's origin, bounded
/// caches, and warnings about the record being decoded.
struct DecodeContext {
    var origin = Origin(path: "", record: 0)
    var strings = StringInterner()
    var paths = StringInterner(slots: 1024, maxLength: 160)
    var userAgents = UserAgentNormalizer()
    var identities = ByteCache<Identity>(slots: 1024, maxKeyLength: 2048)
    var sources = ByteCache<Source>(slots: 512, maxKeyLength: 256)
    /// Scratch buffer for a nested record (EventBridge `detail`).
    var nested = RecordFields()
    /// Set when any decoded text had invalid UTF-8 or lone surrogates.
    var invalidUTF8 = false
    /// Warnings about the record being decoded (`decode.missing_identity`), moved to
    /// `RecordDecoder.warnings` when the record gives an event.
    var warnings: [Diagnostic] = []
    let maxDepth: Int
    /// Workflow-log mappings tried, in order, on records no built-in format claims.
    let mappings: [WorkflowMapping]
    /// Whose raw records `Event.raw` keeps (rules that read the provider's own fields).
    var rawInterest: RawInterest
    /// Endpoint catalogue and deployment mapping of the front-door formats.
    let frontDoor: FrontDoorConfig

    init(
        maxDepth: Int, mappings: [WorkflowMapping] = [], rawInterest: RawInterest = .none,
        frontDoor: FrontDoorConfig = FrontDoorConfig()
    ) {
        self.maxDepth = maxDepth
        self.mappings = mappings
        self.rawInterest = rawInterest
        self.frontDoor = frontDoor
    }

    /// Attaches `bytes` as the raw record of `result`'s event when some rule may read it and no
    /// inner record was attached already (wrappers attach the inner record first); with a
    /// prematcher, the rules' verdicts on `bytes` instead of a copy of them.
    /// In place (`inout`), so the event is never copied: a copy retains each of its strings, and
    /// a `consuming` parameter still made the caller copy the result it passed.
    func attachRaw(_ result: inout DecodeResult, _ bytes: UnsafeRawBufferPointer) {
        guard !rawInterest.isEmpty else { return }
        result.modifyEvent { e in
            guard e.raw == nil, e.ruleHits == nil, rawInterest.wants(e.provider, operation: e.action.operation)
            else { return }
            if let rules = rawInterest.prematcher {
                // Two statements: `e.ruleHits = rules.match(e, …)` passes `e` while writing to it,
                // so the event was copied to be read.
                let hits = rules.match(e, record: bytes)
                e.ruleHits = hits
            } else {
                e.raw = RawRecord(copying: bytes)
            }
        }
    }

    /// Warns that an event names no caller, in its source's own words (`what`: "CloudTrail
    /// record has no userIdentity", "Kubernetes audit record has no user", …); the event is
    /// kept for rule detectors but not baselined. Formats whose records lack an identity by
    /// design (CloudTrail `AwsServiceEvent`, Insights) do not call it.
    mutating func missingIdentity(_ what: String) {
        warnings.append(
            diagnostic(
                .warning, DecodeCode.missingIdentity, what + "; checked by rule detectors, not baselined"))
    }

    /// A diagnostic at the current origin.
    func diagnostic(_ level: Diagnostic.Level, _ code: String, _ message: String) -> Diagnostic {
        Diagnostic(origin: origin, level: level, code: code, message: message)
    }

    /// Text of a scalar value, bounded to `max` bytes: strings decoded (short plain ones
    /// interned unless `intern` is false, for values unique per event such as `eventID`),
    /// numbers and booleans as written, "" for null, objects and arrays.
    mutating func text(
        _ v: JSONValue?, max: Int = Limits.maxIdentifier, intern: Bool = true
    ) throws(JSONError) -> String {
        guard let v else { return "" }
        switch v.kind {
        case .string:
            if !v.hasEscapes, v.isASCII {
                var b = v.stringBytes
                if b.count > max { b = UnsafeRawBufferPointer(rebasing: b[0..<max]) }
                return intern ? strings.intern(b) : String(decoding: b, as: UTF8.self)
            }
            guard let d = try v.decodeString(maxBytes: max) else { return "" }
            if d.invalidUTF8 { invalidUTF8 = true }
            return d.string
        case .number, .true, .false:
            let b = v.bytes
            return strings.intern(UnsafeRawBufferPointer(rebasing: b[0..<Swift.min(b.count, max)]))
        case .null, .object, .array:
            return ""
        }
    }

    /// Raw JSON text of any value, bounded to `max` bytes (cut on a character boundary,
    /// so a cut container is no longer valid JSON).
    mutating func rawText(_ v: JSONValue, max: Int) -> String {
        let b = v.bytes
        var n = Swift.min(b.count, max)
        if n < b.count {
            // Back off to a character boundary.
            while n > 0, b[n] & 0xC0 == 0x80 { n -= 1 }
        }
        let slice = UnsafeRawBufferPointer(rebasing: b[0..<n])
        if let s = String(validating: slice, as: UTF8.self) { return s }
        invalidUTF8 = true
        return String(decoding: slice, as: UTF8.self)
    }
}
