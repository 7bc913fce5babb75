import Detection
import Detectors
import EventModel
import TestSupport
import Testing

@Suite struct WorkflowNewToolKindTests {
    let id = "workflow.new_tool_kind"
    let day = SourceEvents.day

    func tool(_ kind: String, flow: String = "support-bot", name: String = "", at ms: Int64, host: String = "") -> Event
    {
        var f = [
            "action": "tool_call", "tool_kind": kind, "flow_id": flow, "authenticated": "true", "principal": "svc-bot",
        ]
        f["tool_name"] = name.isEmpty ? "\(kind)-tool" : name
        if !host.isEmpty { f["target_host"] = host }
        return SourceEvents.workflow(f, at: ms)
    }

    /// A flow that calls a model and a vector store every day for `days` days.
    func history(days: Int, flow: String = "support-bot") -> [Event] {
        (0..<days).flatMap { d in
            [tool("model", flow: flow, at: Int64(d) * day), tool("retrieval", flow: flow, at: Int64(d) * day + 60_000)]
        }
    }

    @Test func establishedFlowUsingAShellToolForTheFirstTime() throws {
        let h = try Harness(id)
        #expect(h.run(history(days: 5)).isEmpty)
        let f = try #require(h.run(tool("shell", name: "run_command", at: 5 * day)).first)
        #expect(f.severity == .medium)
        #expect(f.key == "support-bot:shell")
        #expect(f.title == "Flow support-bot on lf-prod used a shell tool for the first time")
        #expect(f.explanation.contains("run_command"))
        #expect(f.explanation.contains("model and retrieval"))
        #expect(f.fact("known_tool_kinds") == "model,retrieval")
        #expect(f.mitre == ["T1059"])
        // Known now: no second finding for the same kind.
        #expect(h.run(tool("shell", at: 5 * day + 3_600_000 * 2)).isEmpty)
        #expect(
            h.run(tool("network", at: 5 * day + 3_600_000 * 3, host: "169.254.169.254")).first?.mitre == ["T1071.001"])
    }

    @Test func learningPeriodOnlyTeaches() throws {
        let h = try Harness(id)
        #expect(h.run(history(days: 1) + [tool("shell", at: day + 1)]).isEmpty)
        #expect(h.run(history(days: 5)).isEmpty)
        #expect(h.run(tool("shell", at: 6 * day)).isEmpty, "shell was learnt during the learning period")
    }

    @Test func newFlowWhoseFirstToolIsAShellIsLow() throws {
        let h = try Harness(id)
        #expect(h.run(history(days: 4)).isEmpty)
        let f = try #require(h.run(tool("shell", flow: "fresh-flow", at: 4 * day)).first)
        #expect(f.severity == .low)
        // A young flow adding a kind later is still learning.
        #expect(
            h.run(tool("model", flow: "young", at: 4 * day), tool("file", flow: "young", at: 4 * day + 60_000)).isEmpty)
    }

    @Test func unwatchedKindsAndEventsWithoutFlowAreIgnored() throws {
        let h = try Harness(id)
        #expect(h.run(history(days: 4)).isEmpty)
        #expect(h.run(tool("database", at: 4 * day)).isEmpty)
        var noFlow = tool("shell", at: 4 * day)
        noFlow.parameters["flow_id"] = nil
        #expect(h.run(noFlow).isEmpty)
    }

    @Test func boundedMemoryForgetsTheLeastRecentFlows() throws {
        let h = try Harness(id, edit: withSetting("max_flows", "16"))
        #expect(h.issues.isEmpty)
        var events = history(days: 4, flow: "old")
        for i in 0..<64 { events.append(tool("model", flow: "f\(i)", at: 4 * day + Int64(i))) }
        #expect(h.run(events).isEmpty)
        // `old` was evicted: it comes back as a new flow (low), not as an established one (medium).
        #expect(h.run(tool("shell", flow: "old", at: 5 * day)).first?.severity == .low)
    }
}
