/// Cloud provider / log family an event came from.
public enum Provider: String, Sendable, Hashable, Codable, CaseIterable {
    case aws
    case kubernetes
    case gcp
    case azure
    case workflow

    /// The case's position in `allCases`: hashing, and tables indexed by provider (routes looked
    /// up for every event).
    @inlinable public var ordinal: UInt8 {
        switch self {
        case .aws: return 0
        case .kubernetes: return 1
        case .gcp: return 2
        case .azure: return 3
        case .workflow: return 4
        }
    }

    /// Hashes the case, not its name: the engine, the rule index and the decoders' raw interest
    /// look a provider up for every event, and `RawRepresentable`'s default hashes the raw string.
    @inlinable public func hash(into h: inout Hasher) { h.combine(ordinal) }

    /// Compares cases (the default compares the raw strings).
    @inlinable public static func == (a: Provider, b: Provider) -> Bool { a.ordinal == b.ordinal }
}

/// Event category, CloudTrail's `eventCategory` / `managementEvent`.
public enum EventCategory: String, Sendable, Hashable, Codable {
    case management
    case data
    case insight
    case networkActivity = "network_activity"
}

/// The operation performed.
public struct Action: Sendable, Hashable, Codable {
    /// Short service name (`iam`, `sts`, `secretsmanager`, `s3`), from `eventSource` without `.amazonaws.com`.
    public var service: String
    /// Operation name (`CreateUser`, `GetSecretValue`).
    public var operation: String
    /// `readOnly` as logged; nil when absent (then derived from the operation prefix by `isReadOnlyGuess`).
    public var readOnly: Bool?
    /// Management, data, insight or network-activity event.
    public var category: EventCategory

    /// Creates an action.
    public init(service: String, operation: String, readOnly: Bool? = nil, category: EventCategory = .management) {
        self.service = service
        self.operation = operation
        self.readOnly = readOnly
        self.category = category
    }

    /// `service:Operation`, the key baselines use for "APIs used".
    public var key: String { service + ":" + operation }

    /// `readOnly` when logged, otherwise a guess from the verb prefix (Get/List/Describe/Head).
    public var isReadOnly: Bool {
        if let r = readOnly { return r }
        for p in ["Get", "List", "Describe", "Head", "Lookup", "Search", "Batch Get", "get", "list", "watch"]
        where operation.hasPrefix(p) {
            return true
        }
        return false
    }
}

/// Where a call came from.
public struct Source: Sendable, Hashable, Codable {
    /// What `raw` holds.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// One or more IP addresses in `ips`.
        case ip
        /// An AWS service name (`ec2.amazonaws.com`, `AWS Internal`): the call was made on the principal's behalf.
        case awsService = "aws_service"
        /// Missing or unparseable.
        case unknown
    }

    /// Kind of source.
    public var kind: Kind
    /// Value as logged (bounded to 256 bytes).
    public var raw: String
    /// IP addresses found in `raw` (comma-separated lists are split); at most 4.
    public var ips: [String]

    /// Creates a source.
    public init(kind: Kind, raw: String, ips: [String] = []) {
        self.kind = kind
        self.raw = raw
        self.ips = ips
    }

    /// Unknown source.
    public static let unknown = Source(kind: .unknown, raw: "")
}

/// Outcome of the call.
public struct Outcome: Sendable, Hashable, Codable {
    /// Error code (`AccessDenied`, `Client.UnauthorizedOperation`); empty on success.
    public var errorCode: String
    /// Error message, truncated to 256 bytes.
    public var errorMessage: String

    /// Creates an outcome.
    public init(errorCode: String = "", errorMessage: String = "") {
        self.errorCode = errorCode
        self.errorMessage = errorMessage
    }

    /// True when no error was logged.
    public var isSuccess: Bool { errorCode.isEmpty }
    /// True for authorization failures (AccessDenied, UnauthorizedOperation, Forbidden, 403).
    public var isAccessDenied: Bool {
        if errorCode.isEmpty { return false }
        return Outcome.containsBytes(errorCode, "AccessDenied") || Outcome.containsBytes(errorCode, "Unauthorized")
            || Outcome.containsBytes(errorCode, "Forbidden") || errorCode == "403"
    }

    /// Substring test over UTF-8 bytes without allocating (`String.contains` allocates on Linux).
    static func containsBytes(_ text: String, _ needle: StaticString) -> Bool {
        let n = needle.utf8CodeUnitCount
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: n)
        return text.utf8.withContiguousStorageIfAvailable { hay -> Bool in
            guard hay.count >= n else { return false }
            for i in 0...(hay.count - n) where hay[i] == pattern[0] {
                var j = 1
                while j < n && hay[i + j] == pattern[j] { j += 1 }
                if j == n { return true }
            }
            return false
        }
            ?? {
                var copy = text
                copy.makeContiguousUTF8()
                return containsBytes(copy, needle)
            }()
    }
    /// Success.
    public static let success = Outcome()
}

/// Kinds of resources that detectors and investigations care about.
public enum ResourceKind: String, Sendable, Hashable, Codable, CaseIterable {
    case secret
    case parameter
    case kmsKey = "kms_key"
    case bucket
    case object
    case role
    case user
    case accessKey = "access_key"
    case policy
    case function
    case layer
    case trail
    case instance
    case logGroup = "log_group"
    case detector
    case k8sSecret = "k8s_secret"
    case serviceAccount = "service_account"
    case other
}

/// A resource touched by an event.
public struct Resource: Sendable, Hashable, Codable {
    /// Kind of resource.
    public var kind: ResourceKind
    /// Identifier as logged: ARN, name, or `bucket/key` (bounded to 512 bytes).
    public var id: String

    /// Creates a resource.
    public init(kind: ResourceKind, id: String) {
        self.kind = kind
        self.id = id
    }
}

/// A normalized audit event. Formats decode into it; everything downstream
/// (baselines, detectors, investigations) reads only this.
public struct Event: Sendable, Codable {
    /// Event time in milliseconds since the Unix epoch (UTC).
    public var time: Int64
    /// Provider / log family.
    public var provider: Provider
    /// Raw event source (`iam.amazonaws.com`, `k8s`, …).
    public var eventSource: String
    /// Account, project or subscription the event belongs to (`recipientAccountId` for CloudTrail).
    public var account: String
    /// Region or location; empty when global or unknown.
    public var region: String
    /// Who made the call.
    public var identity: Identity
    /// What was done.
    public var action: Action
    /// From where.
    public var source: Source
    /// With which client.
    public var userAgent: UserAgent
    /// Success or error.
    public var outcome: Outcome
    /// Resources touched (at most 32).
    public var resources: [Resource]
    /// Selected request/response fields flattened to `requestParameters.userName`
    /// style paths → scalar text (nested objects/arrays as raw JSON text).
    /// Bounded: at most 48 entries, values at most 16 KiB.
    public var parameters: [String: String]
    /// Unique event id (`eventID`); used for dedup and as evidence.
    public var eventId: String
    /// Where the record was read.
    public var origin: Origin
    /// The provider's own record, kept only when a loaded rule may read it (`RawInterest`);
    /// not encoded (`--events-out` writes the normalized event).
    public var raw: RawRecord?
    /// The loaded rules that matched the record, decided by the decoder while the record's bytes
    /// were at hand (`RawInterest.prematcher`); then `raw` is not kept. Not encoded.
    public var ruleHits: RuleHits?

    private enum CodingKeys: String, CodingKey {
        case time, provider, eventSource, account, region, identity, action, source, userAgent, outcome
        case resources, parameters, eventId, origin
    }

    /// Creates an event; optional parts default to empty.
    public init(
        time: Int64, provider: Provider = .aws, eventSource: String = "", account: String = "",
        region: String = "", identity: Identity, action: Action, source: Source = .unknown,
        userAgent: UserAgent = .empty, outcome: Outcome = .success, resources: [Resource] = [],
        parameters: [String: String] = [:], eventId: String = "", origin: Origin = Origin(path: "", record: 0)
    ) {
        self.time = time
        self.provider = provider
        self.eventSource = eventSource
        self.account = account
        self.region = region
        self.identity = identity
        self.action = action
        self.source = source
        self.userAgent = userAgent
        self.outcome = outcome
        self.resources = resources
        self.parameters = parameters
        self.eventId = eventId
        self.origin = origin
    }

    /// The value of a flattened parameter (`"requestParameters.userName"`), nil when absent or JSON null.
    public func parameter(_ path: String) -> String? { parameters[path] }

    /// Resources of one kind.
    public func resources(of kind: ResourceKind) -> [Resource] { resources.filter { $0.kind == kind } }
}

/// Limits that keep attacker-controlled text bounded everywhere.
public enum Limits {
    /// Max resources kept per event.
    public static let maxResources = 32
    /// Max flattened parameters kept per event.
    public static let maxParameters = 48
    /// Max bytes of a parameter value kept.
    public static let maxParameterValue = 16 * 1024
    /// Max bytes of an identifier (ARN, name, id) kept.
    public static let maxIdentifier = 512
}
