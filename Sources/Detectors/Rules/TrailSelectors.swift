import Detection

/// What a `PutEventSelectors` request leaves a trail logging of management
/// events, from its basic (`eventSelectors`) or advanced
/// (`advancedEventSelectors`) selectors as raw JSON text.
enum TrailSelectors {
    /// How much of the management-event stream the new selectors keep.
    struct Coverage {
        /// Coarse class used for severity.
        enum Class {
            /// Read and write management events from every source.
            case full
            /// Writes kept, but reads or some sources dropped.
            case narrowed
            /// Management write events no longer logged (none, or only reads).
            case writesDropped
        }

        /// Coarse class.
        var severityClass: Class
        /// What is lost, as phrases (`only read-only management events are logged`).
        var reasons: [String]
    }

    /// Basic selectors: `[{"includeManagementEvents": true, "readWriteType": "All",
    /// "excludeManagementEventSources": [...]}]`. A selector without
    /// `includeManagementEvents` includes them (the API default), without
    /// `readWriteType` logs both (default `All`). Sources excluded by every
    /// management selector are lost. Nil when the text is not a list.
    static func basic(_ text: String) -> Coverage? {
        guard let list = RuleJSON.parse(text) as? [Any] else { return nil }
        var reads = false
        var writes = false
        var excluded: Set<String>?
        for case let s as [String: Any] in list {
            guard RuleJSON.bool(s["includeManagementEvents"]) ?? true else { continue }
            switch s["readWriteType"] as? String ?? "All" {
            case "ReadOnly": reads = true
            case "WriteOnly": writes = true
            default:
                reads = true
                writes = true
            }
            let these = Set(RuleJSON.strings(s["excludeManagementEventSources"]))
            excluded = excluded.map { $0.intersection(these) } ?? these
        }
        return coverage(
            reads: reads, writes: writes,
            lost: (excluded ?? []).sorted().map {
                "management events from \($0) are excluded (excludeManagementEventSources)"
            })
    }

    /// Advanced selectors: `[{"name": …, "fieldSelectors": [{"field": "eventCategory",
    /// "equals": ["Management"]}, {"field": "readOnly", "equals": ["false"]}, …]}]`.
    /// A selector logs management events when its `eventCategory` field equals
    /// `Management`; a `readOnly` field limits it to reads or writes; any other
    /// field (`eventSource`, …) filters it, which counts as narrowing.
    static func advanced(_ text: String) -> Coverage? {
        guard let list = RuleJSON.parse(text) as? [Any] else { return nil }
        var reads = false
        var writes = false
        var lost: [String] = []
        for case let s as [String: Any] in list {
            let fields = (s["fieldSelectors"] as? [Any] ?? []).compactMap { $0 as? [String: Any] }
            let category = fields.first { ($0["field"] as? String) == "eventCategory" }
            guard let category, RuleJSON.strings(category["equals"]).contains("Management") else { continue }
            let readOnly =
                fields.first { ($0["field"] as? String) == "readOnly" }
                .map { RuleJSON.strings($0["equals"]) } ?? []
            if readOnly.isEmpty || readOnly.contains("true") { reads = true }
            if readOnly.isEmpty || readOnly.contains("false") { writes = true }
            let others = fields.compactMap { $0["field"] as? String }.filter {
                $0 != "eventCategory" && $0 != "readOnly"
            }
            if !others.isEmpty {
                let name = RuleText.bounded(s["name"] as? String ?? "unnamed", 80)
                lost.append("selector \(name) filters management events on \(RuleText.list(others))")
            }
        }
        return coverage(reads: reads, writes: writes, lost: lost)
    }

    private static func coverage(reads: Bool, writes: Bool, lost: [String]) -> Coverage {
        if !writes {
            let why =
                reads
                ? "only read-only management events are logged"
                : "no management events are logged"
            return Coverage(severityClass: .writesDropped, reasons: [why] + lost)
        }
        var reasons = lost
        if !reads { reasons.insert("only management write events are logged (reads are dropped)", at: 0) }
        return Coverage(severityClass: reasons.isEmpty ? .full : .narrowed, reasons: reasons)
    }
}
