import Detection
import EventModel
import Yams

/// Builds a `SigmaRule` from a rule document: metadata, logsource, detection, index entries.
enum SigmaRuleBuilder {
    static func build(_ root: Node, _ ctx: inout SigmaParseContext) -> SigmaRule? {
        guard let map = root.mapping else {
            ctx.problem(root.mark, .error, SigmaCode.type, "a rule must be a YAML mapping")
            return nil
        }
        var keys: [String: Node] = [:]
        for (k, v) in map {
            let key = k.string ?? ""
            if key == "correlation" || key == "filter" || key == "action" {
                ctx.problem(
                    k.mark, .warning, SigmaCode.correlation,
                    "'\(key)' marks a Sigma \(key == "filter" ? "filter" : "correlation or collection") document, "
                        + "which this engine does not run; rule skipped")
                return nil
            }
            if !SigmaParser.knownKeys.contains(key) {
                ctx.problem(
                    k.mark, .warning, SigmaCode.unknownKey,
                    "unknown top-level key '\(key.prefix(60))' (kept as a custom field)", skips: false)
            }
            keys[key] = v
        }
        guard let titleNode = keys["title"], let title = titleNode.string, !title.isEmpty else {
            ctx.problem(root.mark, .error, SigmaCode.missingKey, "'title' is required")
            return nil
        }
        guard let provider = logsource(keys["logsource"], root, &ctx) else { return nil }
        guard let detection = keys["detection"] else {
            ctx.problem(root.mark, .error, SigmaCode.missingKey, "'detection' is required")
            return nil
        }
        guard let compiled = SigmaDetectionBuilder.build(detection, provider: provider, &ctx) else { return nil }
        if provider == .gcp, namesKubernetesMethods(compiled.selections) {
            ctx.problem(
                detection.mark, .warning, SigmaCode.partial,
                "GKE audit entries (serviceName k8s.io) are decoded as Kubernetes events, so this GCP rule on "
                    + "io.k8s.* methods sees only such entries logged under another service name; "
                    + "use a kubernetes/audit rule for GKE", skips: false)
        }
        let level = keys["level"]?.string?.lowercased() ?? "medium"
        let severity = severity(level, keys["level"], &ctx)
        let tags = strings(keys["tags"])
        return SigmaRule(
            file: ctx.file, line: titleNode.mark?.line ?? 1, column: titleNode.mark?.column ?? 1,
            title: RuleText.bounded(title), ruleId: RuleText.bounded(keys["id"]?.string ?? "", 80),
            name: keys["name"]?.string.map { RuleText.bounded($0, 120) },
            description: RuleText.bounded(keys["description"]?.string ?? "", 2000),
            falsePositives: strings(keys["falsepositives"]).map { RuleText.bounded($0, 300) },
            references: strings(keys["references"]).map { RuleText.bounded($0, 300) }, level: level,
            severity: severity, mitre: mitre(tags), provider: provider, operations: compiled.operations,
            matcher: SigmaMatcher(provider: provider, selections: compiled.selections, condition: compiled.condition))
    }

    /// True when a GCP rule's method values name Kubernetes API methods (GKE's audit log).
    private static func namesKubernetesMethods(_ selections: [SigmaSelection]) -> Bool {
        selections.contains { s in
            s.alternatives.joined().contains { t in
                t.field?.path == "protoPayload.methodName"
                    && t.values.contains {
                        if case .pattern(let p) = $0 { return p.source.lowercased().contains("k8s") }
                        return false
                    }
            }
        }
    }

    private static func logsource(_ node: Node?, _ root: Node, _ ctx: inout SigmaParseContext) -> Provider? {
        guard let node, let map = node.mapping else {
            ctx.problem(node?.mark ?? root.mark, .error, SigmaCode.missingKey, "'logsource' mapping is required")
            return nil
        }
        // By the keys' text: `map[Node(k)]` compares nodes by resolved tag, which made a node with
        // Yams's default resolver (seven regular expressions) for every lookup. Last one wins, as
        // in Yams (duplicate keys are refused before this anyway).
        let get = { (k: String) in map.reversed().first { $0.key.string == k }?.value.string }
        switch SigmaLogsource.provider(product: get("product"), service: get("service"), category: get("category")) {
        case .success(let p): return p
        case .failure(let reason):
            ctx.problem(node.mark, .warning, SigmaCode.logsource, reason.text + "; rule skipped")
            return nil
        }
    }

    private static func severity(_ level: String, _ node: Node?, _ ctx: inout SigmaParseContext) -> Severity {
        switch level {
        case "informational": return .info
        case "low": return .low
        case "medium": return .medium
        case "high": return .high
        case "critical": return .critical
        default:
            ctx.problem(
                node?.mark, .warning, SigmaCode.value, "unknown level '\(level.prefix(30))', using medium",
                skips: false)
            return .medium
        }
    }

    /// Scalars of a list (or one scalar), bounded to 64 items.
    static func strings(_ node: Node?) -> [String] {
        guard let node else { return [] }
        if let s = node.string { return [s] }
        return (node.sequence.map(Array.init) ?? []).prefix(64).compactMap { $0.string }
    }

    /// `attack.t1078.004` → `T1078.004`.
    static func mitre(_ tags: [String]) -> [String] {
        var out = Set<String>()
        for t in tags {
            let l = t.lowercased()
            guard l.hasPrefix("attack.t") else { continue }
            let id = l.dropFirst("attack.".count)
            let parts = id.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), parts[0].count == 4, parts.allSatisfy({ $0.allSatisfy(\.isNumber) }),
                parts.count == 1 || parts[1].count == 3
            else { continue }
            out.insert(id.uppercased())
        }
        return out.sorted()
    }
}
