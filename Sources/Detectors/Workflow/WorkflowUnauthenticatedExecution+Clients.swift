import Baselines
import Detection
import EventModel

extension WorkflowUnauthenticatedExecution {
    /// What the detector concluded about a request's authentication.
    enum Judgement {
        /// The log says no credentials were presented.
        case unauthenticated
        /// The log does not say.
        case unknown
        /// The log does not say, but the address logged in successfully at this time.
        case loggedIn(Int64)
        /// The log does not say, and the client network is new to the server.
        case newNetwork
    }

    /// Learns the client's network for the server; true when it is new after the learning period.
    func learnNetwork(_ r: WorkflowRequest, _ e: Event, _ context: DetectionContext) -> Bool {
        guard let net = NetworkKey.of(ip: r.client) else { return false }
        let learning = clock.isLearning(e, period: configuration.learningPeriod, context)
        var created = false
        _ = networks.get(Hash64.combine(Hash64.of(r.server), net), now: e.time) {
            created = true
            let k = SeenKey()
            k.since = e.time
            return k
        }
        return created && !learning
    }

    /// The signal of one request.
    func signal(
        _ event: Event, _ req: WorkflowRequest, severity: Severity, byPath: Glob?, code: Bool, judgement: Judgement
    ) -> Signal {
        let target = req.path.isEmpty ? req.action : req.path
        let failed = req.refused
        let server = WorkflowText.server(event.account)
        let what = req.action.isEmpty ? "\(event.action.operation)" : "action \(RuleText.bounded(req.action, 60))"
        let title = "\(failed ? "Refused" : "Unauthenticated") \(RuleText.bounded(target, 80)) on \(server)"
        var text =
            "\(SourceText.who(event.identity).capitalizedFirst) \(failed ? "tried to reach" : "reached") "
            + "\(RuleText.bounded(target, 160)) (\(what)) on \(server) \(Self.authText(judgement)), "
            + "\(RuleText.origin(event))."
        if let status = event.parameters["status"] { text += " HTTP status \(RuleText.bounded(status, 8))." }
        if let m = byPath {
            text +=
                " The path matches `\(RuleText.bounded(m.pattern, 80))`, an endpoint that executes what the request carries."
        }
        if code { text += " This action runs caller-supplied code (Langflow's code validation was CVE-2025-3248)." }
        if failed {
            text +=
                " The server refused the request (\(RuleText.bounded(event.outcome.errorCode, 40))); the attempt still shows someone probing it."
        }
        text +=
            " Code that runs there acts with the server's cloud identity: look for that identity's calls right after."
        var facts = RuleText.facts(event, target: target)
        facts.append(Fact("authenticated", req.auth.map { $0 ? "true" : "false" } ?? "unknown"))
        facts.append(Fact("action", RuleText.bounded(req.action, 60)))
        if !req.client.isEmpty { facts.append(Fact("client", RuleText.bounded(req.client, 64))) }
        if let m = byPath { facts.append(Fact("matched_path", m.pattern)) }
        switch judgement {
        case .loggedIn(let t): facts.append(Fact("client_logged_in", Timestamp.format(t)))
        case .newNetwork: facts.append(Fact("client_network_new", "true"))
        default: break
        }
        return Signal(
            severity: severity, title: title, explanation: text, facts: facts, mitre: Self.mitre, key: target,
            failedAttempt: failed, resource: target)
    }

    static func authText(_ j: Judgement) -> String {
        switch j {
        case .unauthenticated: "without authentication"
        case .unknown: "without proof of authentication (the log does not say)"
        case .loggedIn(let t):
            "without proof of authentication (the log does not say; the same address logged in successfully at "
                + "\(Timestamp.format(t)), so this is most likely that user's session)"
        case .newNetwork:
            "without proof of authentication (the log does not say) from a client network this server never served"
        }
    }
}
