import Baselines
import Detection
import EventModel

extension WorkflowWorkloadActivity {

    /// Records a suspicious request; unusual calls already seen within the window after it are
    /// reported (at the end of the input: they are about the workload identity, not this event).
    func request(_ e: Event, _ req: WorkflowRequest, _ s: Server, _ context: DetectionContext) {
        var r = Request(
            time: e.time, client: req.client, path: req.path.isEmpty ? req.action : req.path, eventId: e.eventId)
        let hits = s.calls.indices.filter {
            !s.calls[$0].matched && s.calls[$0].time >= e.time && s.calls[$0].time - e.time <= configuration.window
        }
        if !hits.isEmpty, pending.count < 256 {
            for i in hits { s.calls[i].matched = true }
            r.matched = true
            let calls = hits.map { s.calls[$0] }
            pending.append((calls[0].identity, signal(r, calls, server: req.server, context)))
        }
        Self.append(&s.requests, r, cap: configuration.maxPending)
    }

    /// Records an unusual call; reported now when a request came shortly before it.
    func call(
        _ e: Event, _ why: String, _ w: Workload, _ s: Server, _ context: DetectionContext,
        into signals: inout [Signal]
    ) {
        var c = Call(
            time: e.time, api: e.action.key, why: why, source: e.source.ips.first ?? e.source.raw,
            eventId: e.eventId, identity: e.identity)
        if let r = s.requests.last(where: { e.time >= $0.time && e.time - $0.time <= configuration.window }) {
            c.matched = true
            signals.append(signal(r, [c], server: w.server, context))
        }
        Self.append(&s.calls, c, cap: configuration.maxPending)
    }

    static func append<T>(_ list: inout [T], _ item: T, cap: Int) {
        if list.count >= cap { list.removeFirst(list.count - cap + 1) }
        list.append(item)
    }

    /// The finding about the workload identity.
    func signal(_ r: Request, _ calls: [Call], server: String, _ context: DetectionContext) -> Signal {
        let first = calls[0]
        let minutes = max(0, first.time - r.time) / 60_000
        let client = r.client.isEmpty ? "an unknown address" : RuleText.bounded(r.client, 64)
        let apis = Array(Set(calls.map(\.api))).sorted()
        let title =
            "Workload identity of \(RuleText.bounded(server, 60)) made unusual calls after a code request from \(client)"
        var text =
            "\(RuleText.describe(first.identity).capitalizedFirst), the workload identity of "
            + "\(WorkflowText.server(server)), called \(RuleText.list(apis)) — \(first.why) — "
            + "\(minutes) minute(s) after \(client) sent \(RuleText.bounded(r.path, 120)) without credentials "
            + "at \(Timestamp.format(r.time)). "
        if !first.source.isEmpty { text += "The first call came from \(RuleText.bounded(first.source, 64)). " }
        text +=
            "Code run through that endpoint acts with this identity: treat its credentials as stolen, "
            + "and the server as compromised."
        let facts = [
            Fact("server", RuleText.bounded(server, 80)), Fact("client", client),
            Fact("path", RuleText.bounded(r.path, 160)), Fact("request_time", Timestamp.format(r.time)),
            Fact("apis", RuleText.bounded(apis.joined(separator: ","), 300)),
            Fact("reason", RuleText.bounded(first.why, 120)), Fact("source_ip", RuleText.bounded(first.source, 64)),
        ]
        var ids = Evidence()
        ids.add(r.eventId)
        for c in calls { ids.add(c.eventId) }
        return Signal(
            severity: context.spec.severity, title: title, explanation: text, facts: facts, mitre: Self.mitre,
            key: server + " " + first.api, eventIds: ids.ids, firstSeen: first.time, count: calls.count,
            resource: server)
    }
}
