import EventModel

/// One identity being followed, with what counts as its calls.
final class PrincipalState {
    let key: String
    var type: IdentityType = .unknown
    var depth: Int
    var via: ChainEdge?
    /// Every call of the identity counts (from `since`); otherwise only `credentials` / `sessions`.
    var whole: Bool
    var credentials: Set<String> = []
    var sessions: Set<String> = []
    var since: Int64
    var events = 0
    var errors = 0
    var denied = 0
    var first: Int64 = .max
    var last: Int64 = .min
    var apis: [String: APIState] = [:]
    var apisOmitted = 0
    var regions: [String: Int] = [:]
    /// Hashes of the event ids attributed (only for partial scopes: findings are matched by evidence).
    var eventIds: Set<UInt64> = []
    var eventIdsFull = false

    init(key: String, depth: Int, via: ChainEdge?, whole: Bool, since: Int64) {
        self.key = key
        self.depth = depth
        self.via = via
        self.whole = whole
        self.since = since
    }

    func matches(_ e: Event) -> Bool {
        guard e.time >= since else { return false }
        return whole || credentials.contains(e.identity.accessKeyId) || sessions.contains(e.identity.sessionName)
    }
}

struct APIState {
    var count = 0
    var errors = 0
    var first: Int64
    var service: String
    var operation: String
}

final class CredentialState {
    let accessKeyId: String
    let identity: String
    var keyKind: KeyKind
    var sessionNames: [String] = []
    var instanceId = ""
    var first: Int64
    var last: Int64
    var events = 0
    var sources: [String: SourceState] = [:]
    var sourcesOmitted = 0
    var agents: [String: AgentState] = [:]
    var agentsOmitted = 0

    init(accessKeyId: String, identity: String, keyKind: KeyKind, time: Int64) {
        self.accessKeyId = accessKeyId
        self.identity = identity
        self.keyKind = keyKind
        self.first = time
        self.last = time
    }
}

struct SourceState {
    var network: UInt64?
    var service: Bool
    var count = 0
    var first: Int64
    var last: Int64
}

struct AgentState {
    var family: UserAgentFamily
    var count = 0
}

struct ReadState {
    var kind: ResourceKind
    var resource: String
    var identity: String
    var count = 0
    var denied = 0
    var first: Int64
    var last: Int64
    var apis: Set<String> = []
    var viaService = false
    /// Ids as logged (the baselines keep those).
    var aliases: [String] = []
}

struct AdjacentState {
    var report: AdjacentReport
}

/// Small helpers shared by the investigator's parts.
enum Clip {
    /// `s` cut to `n` characters with an ellipsis.
    static func text(_ s: String, _ n: Int) -> String {
        s.count <= n ? s : String(s.prefix(n - 1)) + "…"
    }

    /// FNV-1a of an event id.
    static func hash(_ s: String) -> UInt64 {
        var h = FNV1a()
        h.add(s)
        return h.value
    }
}
