import EventModel

/// How one identity reached or planted another.
public enum ChainKind: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// `sts:AssumeRole*`: caller → role ARN (credential = the session key issued).
    case assumedRole = "assumed_role"
    /// `sts:GetFederationToken`: caller → federated user (credential = the session key issued).
    case federationToken = "federation_token"
    /// `iam:CreateUser`: caller → the new user's ARN.
    case createdUser = "created_user"
    /// `iam:CreateAccessKey`: caller → the key's user ARN (credential = the new key id).
    case createdAccessKey = "created_access_key"
    /// `iam:CreateLoginProfile` / `UpdateLoginProfile`: caller → user ARN (console password set).
    case createdLoginProfile = "created_login_profile"
    /// `iam:UpdateAssumeRolePolicy`: caller → role ARN whose trust policy it rewrote.
    case changedTrust = "changed_trust"
    /// Service-account impersonation / key creation (Kubernetes, GCP): caller → service account.
    case impersonated = "impersonated"
    /// A suspicious request to an AI-workflow server (code endpoint) → the server's workload
    /// identity (`Workload`): code run there acts as that identity. `detail` names the client
    /// address and the endpoint.
    case workload = "workload"

    public static func < (a: ChainKind, b: ChainKind) -> Bool { a.rawValue < b.rawValue }

    /// True when the target can act afterwards with what the caller did (a session or a key
    /// it holds); false for `changedTrust`, which opens a door rather than walking through it.
    public var grantsAccess: Bool { self != .changedTrust }

    /// Verb phrase for reports: "assumed", "created user", ….
    public var phrase: String {
        switch self {
        case .assumedRole: "assumed role"
        case .federationToken: "got federation token for"
        case .createdUser: "created user"
        case .createdAccessKey: "created access key for"
        case .createdLoginProfile: "set console password for"
        case .changedTrust: "changed trust policy of"
        case .impersonated: "impersonated"
        case .workload: "ran code as workload identity"
        }
    }
}

/// One chain edge: `from` (an identity key) did something at `time` that gives `to`
/// (an identity key) credentials, or changes who may become `to`.
public struct ChainEdge: Sendable, Hashable, Codable {
    /// What happened.
    public var kind: ChainKind
    /// Canonical key of the caller.
    public var from: String
    /// Access key the caller used (empty when none logged).
    public var fromCredential: String
    /// Canonical key of the target (role ARN, user ARN, federated-user ARN, service account).
    public var to: String
    /// Credential handed out: the session key of an AssumeRole, the new access key id; empty when not logged.
    public var credential: String
    /// `roleSessionName` of an AssumeRole (empty otherwise).
    public var sessionName: String
    /// Event time (ms).
    public var time: Int64
    /// Evidence event id.
    public var eventId: String
    /// Account of the event.
    public var account: String
    /// Extra words: the principals a rewritten trust policy names, the policy attached, ….
    public var detail: String

    /// Creates an edge.
    public init(
        kind: ChainKind, from: String, fromCredential: String = "", to: String, credential: String = "",
        sessionName: String = "", time: Int64, eventId: String = "", account: String = "", detail: String = ""
    ) {
        self.kind = kind
        self.from = from
        self.fromCredential = fromCredential
        self.to = to
        self.credential = credential
        self.sessionName = sessionName
        self.time = time
        self.eventId = eventId
        self.account = account
        self.detail = detail
    }
}

/// Extracts chain edges from events. Only successful calls chain: a denied
/// AssumeRole gives nothing to follow. No allocation for the vast majority of
/// events (the operation is checked first).
public enum ChainEdges {
    /// Operations that can produce an edge (for `Interest.operations`).
    public static let operations: Set<String> = [
        "AssumeRole", "AssumeRoleWithSAML", "AssumeRoleWithWebIdentity", "GetFederationToken", "CreateUser",
        "CreateAccessKey", "CreateLoginProfile", "UpdateLoginProfile", "UpdateAssumeRolePolicy",
        "GenerateAccessToken", "CreateServiceAccountKey", "SignJwt", "SignBlob",
    ]

    /// The edges an event creates (usually none, at most one).
    public static func of(_ e: Event) -> [ChainEdge] {
        guard e.outcome.isSuccess, operations.contains(e.action.operation) else { return [] }
        guard let edge = edge(e) else { return [] }
        return [edge]
    }

    private static func edge(_ e: Event) -> ChainEdge? {
        let op = e.action.operation
        let p = e.parameters
        func make(_ kind: ChainKind, _ to: String, credential: String = "", session: String = "", detail: String = "")
            -> ChainEdge?
        {
            guard !to.isEmpty,
                to != e.identity.key || kind == .createdAccessKey || kind == .createdLoginProfile
                    || kind == .changedTrust
            else { return nil }
            return ChainEdge(
                kind: kind, from: e.identity.key, fromCredential: e.identity.accessKeyId, to: to,
                credential: credential, sessionName: session, time: e.time, eventId: e.eventId, account: e.account,
                detail: detail)
        }
        switch (e.action.service, op) {
        case ("sts", "GetFederationToken"):
            guard let name = p["requestParameters.name"] else { return nil }
            let to = "arn:\(partition(e)):sts::\(account(e)):federated-user/\(name)"
            return make(.federationToken, to, credential: p["responseElements.credentials.accessKeyId"] ?? "")
        case ("sts", _):
            guard op.hasPrefix("AssumeRole"), let role = assumedRole(e) else { return nil }
            return make(
                .assumedRole, role, credential: p["responseElements.credentials.accessKeyId"] ?? "",
                session: p["requestParameters.roleSessionName"] ?? "")
        case ("iam", "CreateUser"):
            return make(.createdUser, userArn(e, p["requestParameters.userName"]))
        case ("iam", "CreateAccessKey"):
            let key = p["responseElements.accessKey.accessKeyId"] ?? ""
            let user = p["requestParameters.userName"] ?? p["responseElements.accessKey.userName"]
            let to = user.map { userArn(e, $0) } ?? (e.identity.type == .iamUser ? e.identity.key : "")
            return make(.createdAccessKey, to, credential: key)
        case ("iam", "CreateLoginProfile"), ("iam", "UpdateLoginProfile"):
            let user = p["requestParameters.userName"]
            let to = user.map { userArn(e, $0) } ?? (e.identity.type == .iamUser ? e.identity.key : "")
            return make(.createdLoginProfile, to)
        case ("iam", "UpdateAssumeRolePolicy"):
            guard let name = p["requestParameters.roleName"], !name.isEmpty else { return nil }
            let principals = TrustPolicy.principals(p["requestParameters.policyDocument"] ?? "")
            return make(.changedTrust, roleArn(e, name), detail: principals.joined(separator: ", "))
        default:
            return serviceAccount(e).flatMap { make(.impersonated, $0) }
        }
    }

    /// Role ARN of an AssumeRole: `requestParameters.roleArn`, else a role resource.
    static func assumedRole(_ e: Event) -> String? {
        if let arn = e.parameters["requestParameters.roleArn"], !arn.isEmpty { return arn }
        return e.resources.first { $0.kind == .role }?.id
    }

    /// Service account named by an impersonation call (GCP `GenerateAccessToken`, key creation, Kubernetes).
    static func serviceAccount(_ e: Event) -> String? {
        if let r = e.resources.first(where: { $0.kind == .serviceAccount }) { return r.id }
        for k in ["requestParameters.name", "requestParameters.serviceAccount"] {
            if let v = e.parameters[k], v.contains("serviceAccount") { return v }
        }
        return nil
    }

    /// `arn:<partition>:iam::<account>:user/<path><name>`; empty when `name` is nil or empty.
    public static func userArn(_ e: Event, _ name: String?) -> String {
        guard let name, !name.isEmpty else { return "" }
        if name.hasPrefix("arn:") { return name }
        var path = e.parameters["requestParameters.path"] ?? "/"
        if !path.hasPrefix("/") { path = "/" + path }
        if !path.hasSuffix("/") { path += "/" }
        return "arn:\(partition(e)):iam::\(account(e)):user\(path)\(name)"
    }

    /// `arn:<partition>:iam::<account>:role/<name>` (a name that already is an ARN is kept).
    public static func roleArn(_ e: Event, _ name: String) -> String {
        name.hasPrefix("arn:") ? name : "arn:\(partition(e)):iam::\(account(e)):role/\(name)"
    }

    static func account(_ e: Event) -> String { e.account.isEmpty ? e.identity.accountId : e.account }

    static func partition(_ e: Event) -> String {
        let k = e.identity.key
        guard k.hasPrefix("arn:") else { return "aws" }
        let parts = k.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        return parts.count > 1 && !parts[1].isEmpty ? String(parts[1]) : "aws"
    }
}

/// Reads the principals named by a trust policy document without a JSON
/// library: every quoted `arn:…` / account id / service after `"Principal"`.
/// Good enough to name who a rewritten trust policy lets in; bounded to 16.
public enum TrustPolicy {
    /// Principals (ARNs, account ids, services, federated providers) in order of appearance, deduplicated.
    public static func principals(_ document: String) -> [String] {
        var out: [String] = []
        var inPrincipal = false
        var token = ""
        var inString = false
        for c in document.prefix(Limits.maxParameterValue) {
            if c == "\"" {
                if inString {
                    if token == "Principal" || token == "NotPrincipal" {
                        inPrincipal = true
                    } else if ["Action", "NotAction", "Condition", "Effect", "Sid", "Resource"].contains(token) {
                        inPrincipal = false
                    } else if inPrincipal, isPrincipal(token), !out.contains(token), out.count < 16 {
                        out.append(token)
                    }
                    token = ""
                }
                inString.toggle()
            } else if inString, token.utf8.count < 600 {
                token.append(c)
            }
        }
        return out
    }

    /// Accounts (12 digits) outside `home` that the principals name.
    public static func externalAccounts(_ principals: [String], home: String) -> [String] {
        var out: [String] = []
        for p in principals {
            var acct = ""
            if p.count == 12, p.allSatisfy(\.isNumber) {
                acct = p
            } else if p.hasPrefix("arn:") {
                let parts = p.split(separator: ":", omittingEmptySubsequences: false)
                if parts.count > 4 { acct = String(parts[4]) }
            }
            if !acct.isEmpty, acct != home, !out.contains(acct) { out.append(acct) }
        }
        return out
    }

    private static func isPrincipal(_ t: String) -> Bool {
        if t.hasPrefix("arn:") || t == "*" { return true }
        if t.count == 12, t.allSatisfy(\.isNumber) { return true }
        return t.hasSuffix(".amazonaws.com") || t.hasSuffix(".com") && t.contains(".")
    }
}

/// The chain edge from a finding about a request to an AI-workflow server to the server's
/// workload identity: shared by incidents and investigations.
public enum WorkloadEdge {
    /// The edge, with the client address and endpoint of the finding in `detail`; nil when the
    /// finding is not about `w`'s server.
    public static func make(_ f: Finding, _ w: Workload) -> ChainEdge? {
        guard f.account == w.server, !w.identity.isEmpty else { return nil }
        let client = fact(f, "client") ?? fact(f, "source_ip") ?? ""
        let path = fact(f, "path") ?? fact(f, "target") ?? f.key
        var detail = client.isEmpty ? "" : "client \(client) → "
        detail += "\(path) on \(w.server)"
        return ChainEdge(
            kind: .workload, from: f.identity, fromCredential: client, to: w.identity, time: f.firstSeen,
            eventId: f.eventIds.first ?? "", account: w.server, detail: String(detail.prefix(300)))
    }

    private static func fact(_ f: Finding, _ name: String) -> String? {
        guard let v = f.facts.first(where: { $0.name == name })?.value, !v.isEmpty else { return nil }
        return v
    }
}
