import EventModel

/// Derives the operations a condition requires: the literal values of the provider's operation
/// field (`eventName`, `operationName`, `protoPayload.methodName`) in selections that the
/// condition needs whatever else holds. The engine then routes only those events to the rule.
enum SigmaIndexer {
    /// The required operations, or nil when the condition can hold for any operation.
    static func operations(_ c: SigmaCondition, _ selections: [SigmaSelection], provider: Provider) -> Set<String>? {
        guard let path = SigmaLogsource.operationPath(provider) else { return nil }
        return literals(c, selections, path: path)
    }

    /// The exact values (as written) of field `path` one of which every match has; nil when a
    /// match may have any value there.
    static func literals(_ c: SigmaCondition, _ selections: [SigmaSelection], path: String) -> Set<String>? {
        required(c, selections.map { ops($0, path) })
    }

    private static func required(_ c: SigmaCondition, _ sel: [Set<String>?]) -> Set<String>? {
        switch c {
        case .ref(let i): return sel[i]
        case .not: return nil
        case .and(let list): return smallest(list.map { required($0, sel) })
        case .all(let list): return smallest(list.map { sel[$0] })
        case .or(let list): return union(list.map { required($0, sel) })
        case .atLeast(_, let list): return union(list.map { sel[$0] })
        }
    }

    private static func smallest(_ sets: [Set<String>?]) -> Set<String>? {
        sets.compactMap { $0 }.min { $0.count < $1.count }
    }

    private static func union(_ sets: [Set<String>?]) -> Set<String>? {
        var out = Set<String>()
        for s in sets {
            guard let s else { return nil }
            out.formUnion(s)
        }
        return out
    }

    /// Operations a selection requires: every alternative names the operation field with exact values.
    private static func ops(_ s: SigmaSelection, _ path: String) -> Set<String>? {
        var out = Set<String>()
        for alt in s.alternatives {
            guard let t = alt.first(where: { $0.field?.path == path && !$0.all && exactOnly($0) }) else { return nil }
            for v in t.values {
                if case .pattern(let p) = v { out.insert(String(decoding: p.literal, as: UTF8.self)) }
            }
        }
        return out.isEmpty ? nil : out
    }

    private static func exactOnly(_ t: SigmaFieldTest) -> Bool {
        t.values.allSatisfy {
            if case .pattern(let p) = $0 { return p.shape == .exact }
            return false
        }
    }
}
