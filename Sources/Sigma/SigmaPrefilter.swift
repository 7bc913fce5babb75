import EventModel

/// Checks a rule can match an event from the event's normalized fields, before its raw record is
/// read: a condition that requires `eventSource: kms.amazonaws.com` or `userIdentity.type: Root`
/// cannot hold for an event whose decoded source or identity type is another, so most events a
/// broad rule is routed (it names no operation) are turned away without parsing JSON.
///
/// Only fields whose normalized value is the record's own text (bounded, so a value at its
/// bound, or an identity type the decoder did not know, admits the event) are used, and only
/// exact values (compared ASCII-case-insensitively, as Sigma compares): the filter may admit an
/// event the rule then rejects, never the reverse.
struct SigmaPrefilter: Sendable {
    /// A normalized field the filter reads.
    enum Field: Sendable, CaseIterable {
        case eventSource, identityType, region

        /// The rule's field path for the provider.
        func path(_ provider: Provider) -> String? {
            guard provider == .aws else { return nil }
            switch self {
            case .eventSource: return "eventSource"
            case .identityType: return "userIdentity.type"
            case .region: return "awsRegion"
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
            }
            return v.utf8.count < 60 ? v : nil
        }
    }

    /// Each required field with the values (ASCII-lowercased) one of which it must have.
    private(set) var requirements: [(Field, [[UInt8]])] = []

    /// The requirements of a compiled condition.
    init(_ condition: SigmaCondition, _ selections: [SigmaSelection], provider: Provider) {
        for field in Field.allCases {
            guard let path = field.path(provider),
                let values = SigmaIndexer.literals(condition, selections, path: path), !values.isEmpty
            else { continue }
            requirements.append((field, values.map { Self.folded(Array($0.utf8)) }.sorted { $0.count < $1.count }))
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
