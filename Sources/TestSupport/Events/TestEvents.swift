import Baselines
import EventModel
import Foundation

/// AWS (CloudTrail) events built directly as `Event` values, without JSON: the builder detector,
/// detection, baseline and state tests share. `EventBuilder` is its twin that writes the JSON
/// record and decodes it, for tests that need the decoder's view; this one sets exactly the
/// fields a test names. Every AWS event here is made by `event(…)`, the other functions only
/// choose defaults.
public enum TestEvents {
    /// The account every test event belongs to.
    public static let account = "111122223333"
    /// 2026-01-01T00:00:00Z.
    public static let t0: Int64 = 1_767_225_600_000
    /// One day in milliseconds.
    public static let day: Int64 = 86_400_000

    /// An assumed-role session of `name` (key = role ARN).
    public static func role(_ name: String = "ci-deployer", session: String = "i-0abc123") -> Identity {
        Identity(
            key: "arn:aws:iam::\(account):role/\(name)", type: .assumedRole, accountId: account,
            arn: "arn:aws:sts::\(account):assumed-role/\(name)/\(session)", sessionName: session,
            accessKeyId: "ASIAEXAMPLE0000001", keyKind: .session, displayName: name)
    }

    /// An IAM user.
    public static func user(_ name: String) -> Identity {
        Identity(
            key: "arn:aws:iam::\(account):user/\(name)", type: .iamUser, accountId: account,
            arn: "arn:aws:iam::\(account):user/\(name)", accessKeyId: "AKIAEXAMPLE0000001", keyKind: .longLived,
            displayName: name)
    }

    /// The account's root user.
    public static func root() -> Identity {
        Identity(
            key: "arn:aws:iam::\(account):root", type: .root, accountId: account,
            arn: "arn:aws:iam::\(account):root", displayName: "root")
    }

    /// The one constructor of AWS test events: every field a test may name, nothing filled in
    /// behind its back (`eventSource` is `<service>.amazonaws.com`).
    public static func event(
        time: Int64, identity: Identity, service: String, operation: String, readOnly: Bool? = nil,
        source: Source, userAgent: UserAgent, region: String = "us-east-1", account: String = account,
        outcome: Outcome = .success, resources: [Resource] = [], parameters: [String: String] = [:],
        eventId: String = UUID().uuidString, origin: Origin = Origin(path: "", record: 0)
    ) -> Event {
        Event(
            time: time, eventSource: "\(service).amazonaws.com", account: account, region: region,
            identity: identity, action: Action(service: service, operation: operation, readOnly: readOnly),
            source: source, userAgent: userAgent, outcome: outcome, resources: resources, parameters: parameters,
            eventId: eventId, origin: origin)
    }

    /// One CloudTrail-like event at `t0 + minute`. `request` / `response` keys are given without
    /// their `requestParameters.` / `responseElements.` prefix.
    public static func make(
        _ service: String, _ operation: String, by identity: Identity = role(),
        request: [String: String] = [:], response: [String: String] = [:], error: String = "",
        minute: Int = 0, ip: String = "203.0.113.7", userAgent: UserAgentFamily = .awsCLI,
        region: String = "us-east-1", account: String = account, resources: [Resource] = []
    ) -> Event {
        var params: [String: String] = [:]
        for (k, v) in request { params["requestParameters." + k] = v }
        for (k, v) in response { params["responseElements." + k] = v }
        return event(
            time: t0 + Int64(minute) * 60_000, identity: identity, service: service, operation: operation,
            source: Source(kind: .ip, raw: ip, ips: [ip]),
            userAgent: UserAgent(raw: "\(userAgent.rawValue)/2.15.3 Python/3.11", family: userAgent, version: "2.15.3"),
            region: region, account: account,
            outcome: error.isEmpty ? .success : Outcome(errorCode: error, errorMessage: "User is not authorized"),
            resources: resources, parameters: params,
            origin: Origin(path: "test.json", record: minute + 1, isLine: false))
    }

    /// An event of the identity whose key (ARN) is `identity`, at an absolute `time`: the form
    /// baseline tests use to write days of routine. `ip: nil` without `viaService` is a call of
    /// unknown source; `viaService` makes it a call an AWS service made for the identity.
    public static func ev(
        _ time: Int64, identity: String = "arn:aws:iam::\(account):role/web-app", type: IdentityType = .assumedRole,
        service: String = "s3", op: String = "GetObject", readOnly: Bool? = nil, ip: String? = "10.0.1.5",
        viaService: String? = nil, ua: UserAgentFamily = .boto3, uaVersion: String = "1.34.0",
        region: String = "us-east-1", account: String = account, error: String = "", resources: [Resource] = [],
        params: [String: String] = [:], accessKey: String = "", instance: String = "", session: String = "",
        invokedBy: String = ""
    ) -> Event {
        let source: Source
        if let viaService {
            source = Source(kind: .awsService, raw: viaService)
        } else if let ip {
            source = Source(kind: .ip, raw: ip, ips: [ip])
        } else {
            source = .unknown
        }
        let uaRaw = ua == .empty ? "" : "\(ua.rawValue)/\(uaVersion)"
        return event(
            time: time,
            identity: Identity(
                key: identity, type: type, accountId: account, arn: identity, sessionName: session,
                accessKeyId: accessKey, keyKind: KeyKind(accessKeyId: accessKey), instanceId: instance,
                isInstanceProfile: !instance.isEmpty, invokedBy: invokedBy,
                displayName: BaselineText.shortIdentity(identity)),
            service: service, operation: op, readOnly: readOnly, source: source,
            userAgent: UserAgent(raw: uaRaw, family: ua, version: ua == .empty ? "" : uaVersion), region: region,
            account: account, outcome: Outcome(errorCode: error), resources: resources, parameters: params,
            eventId: EventIDs.shared.next())
    }

    /// Events every `every` ms from `start` for `days` days, built by `make` from the time and
    /// the event's index.
    public static func series(from start: Int64, days: Double, every: Int64, _ make: (Int64, Int) -> Event)
        -> [Event]
    {
        var out: [Event] = []
        var t = start
        var i = 0
        let end = start + Int64(days * Double(day))
        while t < end {
            out.append(make(t, i))
            t += every
            i += 1
        }
        return out
    }
}

/// Sequential event ids (`evt-1`, `evt-2`, …) across the process, so ids stay unique and short
/// when tests run in parallel.
final class EventIDs: @unchecked Sendable {
    /// The process-wide counter.
    static let shared = EventIDs()
    private var n = 0
    private let lock = NSLock()

    /// The next id.
    func next() -> String {
        lock.lock()
        defer { lock.unlock() }
        n += 1
        return "evt-\(n)"
    }
}
