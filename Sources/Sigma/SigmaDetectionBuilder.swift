import Detection
import EventModel
import Foundation
import Yams

/// Compiles a rule's `detection:` mapping: search identifiers, value modifiers, the condition,
/// and the operations the condition requires (for the engine's index).
enum SigmaDetectionBuilder {
    struct Compiled {
        var selections: [SigmaSelection]
        var condition: SigmaCondition
        var operations: Set<String>?
    }

    /// Values in one list at most.
    static let maxValues = 1024

    static func build(_ node: Node, provider: Provider, _ ctx: inout SigmaParseContext) -> Compiled? {
        guard let map = node.mapping else {
            ctx.problem(node.mark, .error, SigmaCode.type, "'detection' must be a mapping")
            return nil
        }
        var names: [String] = []
        var selections: [SigmaSelection] = []
        var conditionNode: Node?
        for (k, v) in map {
            let key = k.string ?? ""
            switch key {
            case "condition": conditionNode = v
            case "timeframe":
                ctx.problem(
                    k.mark, .warning, SigmaCode.timeframe,
                    "'timeframe' needs a window over several events; this engine matches one event at a time; rule skipped"
                )
            default:
                guard let sel = selection(key, v, provider: provider, &ctx) else { continue }
                names.append(key)
                selections.append(sel)
            }
        }
        if ctx.skipped { return nil }
        guard let conditionNode else {
            ctx.problem(node.mark, .error, SigmaCode.missingKey, "'detection.condition' is required")
            return nil
        }
        let texts = conditionNode.string.map { [$0] } ?? SigmaRuleBuilder.strings(conditionNode)
        guard !texts.isEmpty else {
            ctx.problem(conditionNode.mark, .error, SigmaCode.type, "'condition' must be a string or a list of strings")
            return nil
        }
        var parsed: [SigmaCondition] = []
        for t in texts {
            do {
                parsed.append(try SigmaConditionParser.parse(t, names: names))
            } catch {
                let level: Diagnostic.Level = error.code == SigmaCode.aggregation ? .warning : .error
                ctx.problem(conditionNode.mark, level, error.code, error.message + "; rule skipped")
                return nil
            }
        }
        let condition = parsed.count == 1 ? parsed[0] : .or(parsed)
        let ops = SigmaIndexer.operations(condition, selections, provider: provider)
        return Compiled(selections: selections, condition: condition, operations: ops)
    }

    /// One search identifier.
    private static func selection(_ name: String, _ v: Node, provider: Provider, _ ctx: inout SigmaParseContext)
        -> SigmaSelection?
    {
        if let map = v.mapping {
            guard let tests = fieldTests(map, provider: provider, &ctx) else { return nil }
            return SigmaSelection(name: name, alternatives: [tests])
        }
        if let seq = v.sequence {
            var alternatives: [[SigmaFieldTest]] = []
            var keywords: [Node] = []
            for item in seq.prefix(maxValues) {
                if let m = item.mapping {
                    guard let tests = fieldTests(m, provider: provider, &ctx) else { return nil }
                    alternatives.append(tests)
                } else if item.scalar != nil {
                    keywords.append(item)
                } else {
                    ctx.problem(item.mark, .error, SigmaCode.type, "'\(name)': list items must be maps or values")
                    return nil
                }
            }
            if !keywords.isEmpty {
                guard let k = test(key: "", keywords, mark: v.mark, provider: provider, &ctx) else { return nil }
                alternatives.append([k])
            }
            return SigmaSelection(name: name, alternatives: alternatives)
        }
        if v.scalar != nil, let k = test(key: "", [v], mark: v.mark, provider: provider, &ctx) {
            return SigmaSelection(name: name, alternatives: [[k]])
        }
        ctx.problem(v.mark, .error, SigmaCode.type, "'\(name)' must be a map, a list or a value")
        return nil
    }

    private static func fieldTests(_ map: Node.Mapping, provider: Provider, _ ctx: inout SigmaParseContext)
        -> [SigmaFieldTest]?
    {
        var out: [SigmaFieldTest] = []
        for (k, v) in map {
            let values: [Node]
            if let seq = v.sequence {
                values = Array(seq.prefix(maxValues))
            } else if v.mapping != nil {
                ctx.problem(v.mark, .error, SigmaCode.type, "value of '\(k.string ?? "")' must be a value or a list")
                return nil
            } else {
                values = [v]
            }
            guard let t = test(key: k.string ?? "", values, mark: k.mark, provider: provider, &ctx) else { return nil }
            out.append(t)
        }
        return out
    }

    /// `field|mod|mod` with its values.
    private static func test(
        key: String, _ values: [Node], mark: Mark?, provider: Provider, _ ctx: inout SigmaParseContext
    ) -> SigmaFieldTest? {
        let parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        let fieldName = parts[0]
        var mods = SigmaModifiers()
        for m in parts.dropFirst() {
            guard mods.add(m) else {
                ctx.problem(
                    mark, .warning, SigmaCode.modifier,
                    "value modifier '\(m.prefix(40))' is not supported by this engine; rule skipped")
                return nil
            }
        }
        var field: SigmaField? = nil
        if !fieldName.isEmpty {
            let f = SigmaLogsource.field(fieldName, provider: provider)
            guard SigmaLogsource.canExist(f, provider: provider) else {
                ctx.problem(
                    mark, .warning, SigmaCode.unknownField,
                    "field '\(fieldName.prefix(80))' never occurs in \(provider.rawValue) records "
                        + "(top-level '\(f.path.split(separator: ".").first ?? "")' is not a member of them), "
                        + "so the rule could never match; rule skipped")
                return nil
            }
            field = f
        }
        var compiled: [SigmaValue] = []
        for v in values {
            guard let c = mods.compile(v, keyword: field == nil, provider: provider, &ctx) else { return nil }
            compiled += c
        }
        if compiled.isEmpty {
            ctx.problem(mark, .error, SigmaCode.value, "'\(key.prefix(80))' has no values")
            return nil
        }
        return SigmaFieldTest(field: field, values: compiled, all: mods.all)
    }
}
