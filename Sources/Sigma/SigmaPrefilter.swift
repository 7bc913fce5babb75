import EventModel

/// The decoded fields a rule's text tests can be decided on (see `SigmaPrefilter.Field.code`):
/// a few enums, so a rule evaluation copies no strings and counts no references for them.
struct SigmaLogged {
    /// `userIdentity.type` when the decoder vouches for it, as its index in `IdentityType.allCases`
    /// (`SigmaPrefilter.Field.domain`); `unsureCode` otherwise.
    let identityCode: Int
    /// `userIdentity.sessionContext.sessionIssuer.type` as the decoder saw it.
    let issuerType: SessionIssuerType

    private init(identityCode: Int, issuerType: SessionIssuerType) {
        self.identityCode = identityCode
        self.issuerType = issuerType
    }

    /// The event's vouched fields (a function, not an initializer: it borrows the event rather
    /// than taking a copy of it).
    static func of(_ e: Event) -> SigmaLogged {
        let aws = e.provider == .aws
        let code = aws && e.identity.loggedType ? Self.types.firstIndex(of: e.identity.type) : nil
        return SigmaLogged(
            identityCode: code ?? SigmaPrefilter.Field.unsureCode, issuerType: aws ? e.identity.issuerType : .unknown)
    }

    private static let types = IdentityType.allCases
}

/// Checks a rule can match an event from the event's normalized fields, before its raw record is
/// read: a condition that requires `eventSource: kms.amazonaws.com` or `userIdentity.type: Root`
/// cannot hold for an event whose decoded source or identity type is another, so most events a
/// broad rule is routed (it names no operation) are turned away without parsing JSON.
///
/// Only fields whose normalized value is the record's own text are used (bounded, so a value
/// near its bound, an empty one, or an identity type the decoder did not know admits the event):
/// exact values one of which a field must have (through `or` too, compared ASCII-case-insensitively
/// as Sigma compares), and string, regular-expression and CIDR tests the condition requires
/// (`userAgent|contains`, `userIdentity.arn|re`), run on the normalized text with the rule's own
/// matchers. The filter may admit an event the rule then rejects, never the reverse.
struct SigmaPrefilter: Sendable {
    /// A normalized field the filter reads.
    enum Field: Sendable, CaseIterable {
        case eventSource, identityType, region, userAgent, identityArn, issuerType

        /// The rule's field path for the provider.
        func path(_ provider: Provider) -> String? {
            guard provider == .aws else { return nil }
            switch self {
            case .eventSource: return "eventSource"
            case .identityType: return "userIdentity.type"
            case .region: return "awsRegion"
            case .userAgent: return "userAgent"
            case .identityArn: return "userIdentity.arn"
            case .issuerType: return "userIdentity.sessionContext.sessionIssuer.type"
            }
        }

        /// The event's value; nil when it may differ from the record's text.
        func value(_ e: Event) -> String? {
            let v: String
            switch self {
            case .eventSource: v = e.eventSource
            case .identityType:
                // Only as logged: an inferred type, or one behind a repeated key, may not be the record's.
                guard e.identity.loggedType else { return nil }
                v = e.identity.type.rawValue
            case .region: v = e.region
            case .userAgent: v = e.userAgent.raw
            case .identityArn: v = e.identity.arn
            case .issuerType: v = e.identity.issuerType.text ?? ""
            }
            return !v.isEmpty && v.utf8.count < bound - 4 ? v : nil
        }

        /// The texts a vouched field can have in a record the decoder vouches for, in the order
        /// `code` numbers them; empty for the other fields.
        var domain: [String] {
            switch self {
            case .identityType: return IdentityType.allCases.map(\.rawValue)
            case .issuerType: return Self.issuerTypes.map { $0.text ?? "" }
            default: return []
            }
        }

        private static let issuerTypes: [SessionIssuerType] = [.role, .iamUser, .root]
        /// `code` for a field the record does not have.
        static let absentCode = -1
        /// `code` for a value not known from the decoded event: read the record.
        static let unsureCode = -2

        /// The vouched field's text as a rule reading the record would find it, as its index in
        /// `domain`; `absentCode` when the record has no such field, `unsureCode` when the decoder
        /// does not vouch for it (`Identity.loggedType`, `Identity.issuerType`) or for other fields.
        func code(_ e: SigmaLogged) -> Int {
            switch self {
            case .identityType: return e.identityCode
            case .issuerType:
                switch e.issuerType {
                case .unknown: return Self.unsureCode
                case .absent: return Self.absentCode
                default: return Self.issuerTypes.firstIndex(of: e.issuerType) ?? Self.unsureCode
                }
            default: return Self.unsureCode
            }
        }

        /// Fields a text test can be decided on from the decoded event (see `logged`).
        static func vouched(path: String) -> Field? {
            [Field.identityType, .issuerType].first { $0.path(.aws) == path }
        }

        /// The decoder's bound on the field's text (a value this long may have been cut).
        var bound: Int {
            switch self {
            case .eventSource: return 128
            case .identityType, .region, .issuerType: return 64
            case .userAgent: return UserAgent.maxRawLength
            case .identityArn: return Limits.maxIdentifier
            }
        }
    }

    /// Each required field with the values (ASCII-lowercased) one of which it must have.
    private(set) var requirements: [(Field, [[UInt8]])] = []
    /// Field tests the condition requires whatever else holds, each run on the field's normalized text.
    private(set) var tests: [(Field, SigmaFieldTest)] = []
    /// The identity types a required `userIdentity.type` allows (enums: checked on every
    /// event a broad rule is routed, so no text is compared); nil when the rule requires none.
    private(set) var identityTypes: [IdentityType]?
    /// The same for `…sessionIssuer.type`.
    private(set) var issuerTypes: [SessionIssuerType]?

    /// The requirements of a compiled condition.
    init(_ condition: SigmaCondition, _ selections: [SigmaSelection], provider: Provider) {
        for field in Field.allCases {
            guard let path = field.path(provider),
                let values = SigmaIndexer.literals(condition, selections, path: path), !values.isEmpty
            else { continue }
            requirements.append((field, values.map { Self.folded(Array($0.utf8)) }.sorted { $0.count < $1.count }))
        }
        if let i = requirements.firstIndex(where: { $0.0 == .identityType }) {
            let allowed = requirements.remove(at: i).1
            identityTypes = IdentityType.allCases.filter { allowed.contains(Self.folded(Array($0.rawValue.utf8))) }
        }
        if let i = requirements.firstIndex(where: { $0.0 == .issuerType }) {
            let allowed = requirements.remove(at: i).1
            let all: [SessionIssuerType] = [.role, .iamUser, .root]
            issuerTypes = all.filter { allowed.contains(Self.folded(Array(($0.text ?? "").utf8))) }
        }
        for field in Field.allCases {
            guard let path = field.path(provider) else { continue }
            for t in Self.required(condition, selections, path: path) where Self.textOnly(t) {
                tests.append((field, t))
            }
        }
    }

    /// Tests on `path` that hold in every match: those of single-map selections the condition ANDs.
    static func required(_ c: SigmaCondition, _ sel: [SigmaSelection], path: String) -> [SigmaFieldTest] {
        func of(_ i: Int) -> [SigmaFieldTest] {
            guard sel[i].alternatives.count == 1 else { return [] }
            return sel[i].alternatives[0].filter { $0.field?.path == path }
        }
        switch c {
        case .ref(let i): return of(i)
        case .and(let list): return list.flatMap { required($0, sel, path: path) }
        case .all(let list): return list.flatMap(of)
        case .atLeast(let n, let list) where n >= list.count: return list.flatMap(of)
        case .or(let list) where list.count == 1: return required(list[0], sel, path: path)
        default: return []
        }
    }

    /// True when the test compares text only (patterns, regular expressions, CIDRs).
    static func textOnly(_ t: SigmaFieldTest) -> Bool { SigmaValue.textOnly(t.values) }

    /// The test on one text value, with the rule's matchers.
    static func holds(_ t: SigmaFieldTest, _ text: String) -> Bool { holds(values: t.values, all: t.all, text) }

    /// A test of `values` (all of them when `all`) on one text value, with the rule's matchers.
    static func holds(values: [SigmaValue], all: Bool, _ text: String) -> Bool {
        var s = text
        return s.withUTF8 { u in
            let bytes = UnsafeRawBufferPointer(u)
            func one(_ v: SigmaValue) -> Bool {
                switch v {
                case .pattern(let p): return p.matches(bytes)
                case .regex(let r):
                    if let req = r.required, !req.matches(bytes) { return false }
                    return r.matches(text)
                case .cidr(let c, _): return c.contains(text)
                default: return true
                }
            }
            return all ? values.allSatisfy(one) : values.contains(where: one)
        }
    }

    /// False when the event's normalized fields rule the match out.
    func admits(_ e: Event) -> Bool { admits(e, SigmaLogged.of(e)) }

    /// `admits`, with the event's vouched fields already read (a test on one is then a bit in a
    /// table rather than a comparison of text).
    func admits(_ e: Event, _ logged: SigmaLogged) -> Bool {
        if let identityTypes, e.identity.loggedType, !identityTypes.contains(e.identity.type) { return false }
        if let issuerTypes, e.identity.issuerType.text != nil, !issuerTypes.contains(e.identity.issuerType) {
            return false
        }
        // By index, so that no requirement is copied (each holds arrays: a copy is a retain).
        for i in requirements.indices {
            guard var text = requirements[i].0.value(e) else { continue }
            let hit = text.withUTF8 { u in requirements[i].1.contains { Self.equalFolded(u, $0) } }
            if !hit { return false }
        }
        // By index too: a `(field, test)` pair read out of the array retains the test.
        for i in tests.indices {
            if let held = tests[i].1.decided(logged) {
                if !held { return false }
                continue
            }
            guard let v = tests[i].0.value(e) else { continue }
            if !Self.holds(tests[i].1, v) { return false }
        }
        return true
    }

    static func folded(_ b: [UInt8]) -> [UInt8] { b.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 } }

    private static func equalFolded(_ a: UnsafeBufferPointer<UInt8>, _ lower: [UInt8]) -> Bool {
        guard a.count == lower.count else { return false }
        for i in 0..<a.count {
            let c = a[i]
            if (c >= 65 && c <= 90 ? c + 32 : c) != lower[i] { return false }
        }
        return true
    }
}
