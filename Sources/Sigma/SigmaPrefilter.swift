import EventModel

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
        case eventSource, identityType, region, userAgent, identityArn

        /// The rule's field path for the provider.
        func path(_ provider: Provider) -> String? {
            guard provider == .aws else { return nil }
            switch self {
            case .eventSource: return "eventSource"
            case .identityType: return "userIdentity.type"
            case .region: return "awsRegion"
            case .userAgent: return "userAgent"
            case .identityArn: return "userIdentity.arn"
            }
        }

        /// The event's value; nil when it may differ from the record's text.
        func value(_ e: Event) -> String? {
            let v: String
            switch self {
            case .eventSource: v = e.eventSource
            case .identityType:
                guard e.identity.type != .unknown else { return nil }
                v = e.identity.type.rawValue
            case .region: v = e.region
            case .userAgent: v = e.userAgent.raw
            case .identityArn: v = e.identity.arn
            }
            return !v.isEmpty && v.utf8.count < bound - 4 ? v : nil
        }

        /// The decoder's bound on the field's text (a value this long may have been cut).
        var bound: Int {
            switch self {
            case .eventSource: return 128
            case .identityType, .region: return 64
            case .userAgent: return UserAgent.maxRawLength
            case .identityArn: return Limits.maxIdentifier
            }
        }
    }

    /// Each required field with the values (ASCII-lowercased) one of which it must have.
    private(set) var requirements: [(Field, [[UInt8]])] = []
    /// Field tests the condition requires whatever else holds, each run on the field's normalized text.
    private(set) var tests: [(Field, SigmaFieldTest)] = []

    /// The requirements of a compiled condition.
    init(_ condition: SigmaCondition, _ selections: [SigmaSelection], provider: Provider) {
        for field in Field.allCases {
            guard let path = field.path(provider),
                let values = SigmaIndexer.literals(condition, selections, path: path), !values.isEmpty
            else { continue }
            requirements.append((field, values.map { Self.folded(Array($0.utf8)) }.sorted { $0.count < $1.count }))
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
    static func textOnly(_ t: SigmaFieldTest) -> Bool {
        !t.values.isEmpty
            && t.values.allSatisfy {
                switch $0 {
                case .pattern, .regex, .cidr: return true
                default: return false
                }
            }
    }

    /// The test on one text value, with the rule's matchers.
    static func holds(_ t: SigmaFieldTest, _ text: String) -> Bool {
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
            return t.all ? t.values.allSatisfy(one) : t.values.contains(where: one)
        }
    }

    /// False when the event's normalized fields rule the match out.
    func admits(_ e: Event) -> Bool {
        for (field, values) in requirements {
            guard let v = field.value(e) else { continue }
            var text = v
            let hit = text.withUTF8 { u in values.contains { Self.equalFolded(u, $0) } }
            if !hit { return false }
        }
        for (field, t) in tests {
            guard let v = field.value(e) else { continue }
            if !Self.holds(t, v) { return false }
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
