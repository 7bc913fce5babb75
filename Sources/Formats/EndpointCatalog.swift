import EventModel

/// The AI-workflow endpoints that matter at the front door: per server kind (langflow, n8n,
/// comfyui, …) the request paths that run code, load components, run flows, log in or
/// reveal the version, with the action name the workflow detectors read and the CVEs that
/// make the endpoint dangerous. Loaded from `formats/workflow-endpoints.yaml` (data, reviewed
/// like the detectors) by the Runtime; front-door formats name a request's action from it.
public struct EndpointCatalog: Sendable {
    /// One endpoint of one server kind.
    public struct Endpoint: Sendable {
        /// Server kind (`langflow`), also the guess for an unmapped server.
        public var kind: String
        /// Request path glob, query excluded (`*` matches any run, `/` included).
        public var path: Glob
        /// Methods it applies to (upper case); empty for any.
        public var methods: [String]
        /// Action name given to matching requests (`validate_code`).
        public var action: String
        /// CVE identifiers that make this endpoint dangerous (documentation and the `cve` parameter).
        public var cves: [String]
        /// The glob's bytes before its first wildcard: a cheap test before the full match.
        let prefix: [UInt8]

        /// Creates an endpoint.
        public init(kind: String, path: String, methods: [String] = [], action: String, cves: [String] = []) {
            self.kind = kind
            self.path = Glob(path)
            self.methods = methods.map { $0.uppercased() }
            self.action = action
            self.cves = cves
            prefix = Array(path.utf8.prefix { $0 != UInt8(ascii: "*") && $0 != UInt8(ascii: "?") })
        }
    }

    /// Endpoints in file order; the first match wins.
    public var endpoints: [Endpoint]

    /// Creates a catalogue.
    public init(endpoints: [Endpoint] = []) { self.endpoints = endpoints }

    /// Server kinds named, in first-appearance order.
    public var kinds: [String] {
        var seen: [String] = []
        for e in endpoints where !seen.contains(e.kind) { seen.append(e.kind) }
        return seen
    }

    /// Kind whose endpoints apply to every server (generic probes such as `/health`).
    public static let anyKind = "any"

    /// The first endpoint matching `path` (no query) and `method`, limited to `kind` (and
    /// `any`) when the server's kind is known.
    public func match(path: String, method: String, kind: String?) -> Endpoint? {
        index(path: path, method: method, kind: kind).map { endpoints[$0] }
    }

    /// Position of the first matching endpoint (no copy of it).
    func index(path: String, method: String, kind: String?) -> Int? {
        var p = path
        return p.withUTF8 { u in
            for (i, e) in endpoints.enumerated() {
                if let kind, e.kind != kind && e.kind != EndpointCatalog.anyKind { continue }
                guard u.count >= e.prefix.count,
                    e.prefix.withUnsafeBufferPointer({ pre in
                        memcmpPrefix(u, pre)
                    })
                else { continue }
                if !e.methods.isEmpty, !e.methods.contains(method) { continue }
                if e.path.matches(path) { return i }
            }
            return nil
        }
    }

    private func memcmpPrefix(_ u: UnsafeBufferPointer<UInt8>, _ pre: UnsafeBufferPointer<UInt8>) -> Bool {
        for i in 0..<pre.count where u[i] != pre[i] { return false }
        return true
    }
}

/// Which server a front-door request reached, by what the log names: the `Host` header,
/// the ALB target group, the nginx / ingress upstream, the Envoy cluster or the Application
/// Gateway backend pool. From `deployments:` files next to the mappings (docs/sources.md,
/// "Front-door deployments"). Unmapped requests are named by their host (else backend)
/// and their kind is guessed from the catalogue.
public struct FrontDoorDeployment: Sendable {
    /// Server name used as the event's account and in identities (`langflow-prod`).
    public var name: String
    /// Server kind in the catalogue (`langflow`); nil when unknown.
    public var kind: String?
    /// Glob over the request's host (port dropped, lower case); nil when not matched on.
    public var host: Glob?
    /// Glob over the backend the front door names (target group ARN, upstream, cluster, pool).
    public var backend: Glob?
    /// Front-door format (`nginx`, `alb`, …): for logs that name neither host nor backend
    /// (nginx `combined`), every request of that format in the scan.
    public var frontDoor: String?

    /// Creates an entry; at least one of `host`, `backend`, `frontDoor` should be set.
    public init(
        name: String, kind: String? = nil, host: String? = nil, backend: String? = nil, frontDoor: String? = nil
    ) {
        self.name = name
        self.kind = kind
        self.host = host.map(Glob.init)
        self.backend = backend.map(Glob.init)
        self.frontDoor = frontDoor
    }

    /// True when every matcher that is set matches.
    func matches(host h: String, backend b: String, format: String) -> Bool {
        if host == nil && backend == nil && frontDoor == nil { return false }
        if let host, !host.matches(h) { return false }
        if let backend, !backend.matches(b) { return false }
        if let frontDoor, frontDoor != format { return false }
        return true
    }
}

/// What the front-door formats need besides the log line: the endpoint catalogue, the
/// deployment mapping, and whether a private peer's `X-Forwarded-For` is believed.
public struct FrontDoorConfig: Sendable {
    /// Endpoints of known AI-workflow servers.
    public var catalogue: EndpointCatalog
    /// Host / backend → server, first match wins.
    public var deployments: [FrontDoorDeployment]

    /// Creates a configuration.
    public init(catalogue: EndpointCatalog = EndpointCatalog(), deployments: [FrontDoorDeployment] = []) {
        self.catalogue = catalogue
        self.deployments = deployments
    }

    /// The deployment that `host`, `backend` or the format names, if any.
    func deployment(host: String, backend: String, format: String) -> FrontDoorDeployment? {
        deployments.first { $0.matches(host: host, backend: backend, format: format) }
    }
}
