import Detection
import EventModel
import Investigation

/// Renders incidents as JSON lines (`{"type":"incident",…}`, stable key order,
/// documented in docs/usage.md) or as the text section printed before the findings.
public enum IncidentFormatter {
    /// One incident as a single-line JSON object.
    public static func json(_ i: Incident) -> String {
        var p: [String] = []
        p.append("\"type\":\"incident\"")
        p.append("\"id\":" + JSONText.quote(i.id))
        p.append("\"status\":" + JSONText.quote(i.status.rawValue))
        p.append("\"severity\":" + JSONText.quote(i.severity.description))
        p.append("\"title\":" + JSONText.quote(i.title))
        p.append("\"identity\":" + JSONText.quote(i.root))
        p.append("\"identities\":" + JSONText.array(i.identities))
        p.append("\"account\":" + JSONText.quote(i.account))
        p.append("\"first_seen\":" + JSONText.quote(Timestamp.format(i.firstSeen)))
        p.append("\"last_seen\":" + JSONText.quote(Timestamp.format(i.lastSeen)))
        p.append("\"finding_count\":\(i.findingCount)")
        p.append("\"finding_ids\":" + JSONText.array(i.findingIds))
        p.append("\"detectors\":" + JSONText.array(i.detectors))
        p.append("\"mitre\":" + JSONText.array(i.mitre))
        p.append("\"chain\":[" + i.chain.map(edge).joined(separator: ",") + "]")
        p.append("\"timeline\":[" + i.timeline.map(entry).joined(separator: ",") + "]")
        p.append("\"timeline_omitted\":\(i.timelineOmitted)")
        p.append("\"event_ids\":" + JSONText.array(i.eventIds))
        return "{" + p.joined(separator: ",") + "}"
    }

    private static func edge(_ e: ChainEdge) -> String {
        "{\"kind\":\(JSONText.quote(e.kind.rawValue)),\"from\":\(JSONText.quote(e.from)),\"to\":\(JSONText.quote(e.to)),"
            + "\"credential\":\(JSONText.quote(e.credential)),\"time\":\(JSONText.quote(Timestamp.format(e.time))),"
            + "\"event_id\":\(JSONText.quote(e.eventId))}"
    }

    private static func entry(_ t: IncidentEntry) -> String {
        "{\"time\":\(JSONText.quote(Timestamp.format(t.time))),\"kind\":\(JSONText.quote(t.kind.rawValue)),"
            + "\"severity\":\(t.severity.map { JSONText.quote($0.description) } ?? "null"),"
            + "\"identity\":\(JSONText.quote(t.identity)),\"what\":\(JSONText.quote(t.what)),"
            + "\"title\":\(JSONText.quote(t.title)),\"event_ids\":\(JSONText.array(t.eventIds))}"
    }
}

/// Feeds chain edges to an `IncidentBuilder` from inside the detection engine:
/// registered like a detector interested only in `ChainEdges.operations`, so it
/// sees each event once (after duplicate removal, in engine order) and costs
/// nothing on other events. It never raises a signal.
public final class IncidentChainObserver: Detector {
    /// Pseudo-detector id (never appears in findings).
    public let id = "incident.chain_observer"
    /// Only the operations that can chain identities.
    public let interest = Interest.operations(ChainEdges.operations)
    /// The builder fed.
    public let builder: IncidentBuilder
    /// Whether the builder's open incidents are saved with the detector states
    /// (a live service; a scan reports every incident at its end, so it keeps none).
    public let persistent: Bool

    /// Creates an observer.
    public init(builder: IncidentBuilder, persistent: Bool = false) {
        self.builder = builder
        self.persistent = persistent
    }

    /// The open incidents, when `persistent`.
    public func snapshot() -> [UInt8]? { persistent ? builder.snapshot() : nil }

    /// Restores open incidents saved by a previous run (bad bytes: nothing restored).
    public func restore(_ bytes: [UInt8]) {
        if persistent { builder.restore(bytes) }
    }

    /// Records the event's chain edges.
    public func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
        builder.observe(event)
    }

    /// The observer as a loaded detector (info severity, no allow-list).
    public var loaded: LoadedDetector { LoadedDetector(spec: DetectorSpec(id: id, severity: .info), detector: self) }
}
