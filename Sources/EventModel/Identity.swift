/// What kind of principal made a call. Covers CloudTrail's `userIdentity.type`
/// values and the principal kinds of the other providers.
public enum IdentityType: String, Sendable, Hashable, Codable, CaseIterable {
    /// Long-lived IAM user (`IAMUser`).
    case iamUser = "IAMUser"
    /// Session of an assumed role (`AssumedRole`), including instance profiles and Lambda roles.
    case assumedRole = "AssumedRole"
    /// The account root user.
    case root = "Root"
    /// An AWS service acting on its own (`AWSService`).
    case awsService = "AWSService"
    /// Another account (`AWSAccount`).
    case awsAccount = "AWSAccount"
    /// `AssumeRoleWithWebIdentity` session (`WebIdentityUser`), e.g. EKS IRSA / GitHub OIDC.
    case webIdentityUser = "WebIdentityUser"
    /// SAML-federated session (`SAMLUser`).
    case samlUser = "SAMLUser"
    /// IAM Identity Center user (`IdentityCenterUser`).
    case identityCenterUser = "IdentityCenterUser"
    /// `GetFederationToken` session (`FederatedUser`).
    case federatedUser = "FederatedUser"
    /// A Kubernetes / cloud service account.
    case serviceAccount = "ServiceAccount"
    /// A human user of a non-AWS provider.
    case user = "User"
    /// Unauthenticated caller (workflow servers, anonymous Kubernetes).
    case anonymous = "Anonymous"
    /// `userIdentity` missing or of an unknown shape.
    case unknown = "Unknown"
}

/// Whether the credential used was long-lived or a temporary session.
public enum KeyKind: String, Sendable, Hashable, Codable {
    /// `AKIA…` long-lived access key.
    case longLived = "long_lived"
    /// `ASIA…` temporary session key.
    case session = "session"
    /// No key (console with no key id, service calls) or an unknown prefix.
    case none = "none"

    /// Classifies an access key id by its prefix.
    public init(accessKeyId: String) {
        if accessKeyId.hasPrefix("AKIA") {
            self = .longLived
        } else if accessKeyId.hasPrefix("ASIA") {
            self = .session
        } else {
            self = .none
        }
    }
}

/// `userIdentity.sessionContext.sessionIssuer.type` as the record logged it, kept only where the
/// decoder can vouch that a rule reading the record would find exactly this (one plain string, no
/// duplicate, escaped or dotted keys on the way), so Sigma rules on the field are answered from
/// the decoded identity instead of parsing the record a second time. A small enum, not a string:
/// identities are copied per event, and an enum costs no reference counting.
public enum SessionIssuerType: UInt8, Sendable, Hashable, Codable {
    /// Not known: not a CloudTrail identity, an unusual value, or a shape the decoder does not vouch for.
    case unknown
    /// The record has no `sessionContext.sessionIssuer.type` (IAM users, root, services).
    case absent
    /// `Role` (every assumed-role session).
    case role
    /// `IAMUser` (`GetFederationToken` sessions).
    case iamUser
    /// `Root`.
    case root

    /// The type for a logged value; `unknown` for any other text.
    public init(logged: String) {
        switch logged {
        case "Role": self = .role
        case "IAMUser": self = .iamUser
        case "Root": self = .root
        default: self = .unknown
        }
    }

    /// The logged text; nil when absent or unknown.
    public var text: String? {
        switch self {
        case .role: return "Role"
        case .iamUser: return "IAMUser"
        case .root: return "Root"
        case .unknown, .absent: return nil
        }
    }
}

/// The principal behind an event, with a canonical `key` that baselines and
/// findings group by (an assumed-role session rolls up to its role ARN).
public struct Identity: Sendable, Hashable, Codable {
    /// Canonical principal key: IAM user ARN, role ARN (not the session ARN),
    /// `arn:aws:iam::ACCT:root`, `service:NAME`, `web-identity:PROVIDER:SUB`,
    /// `saml:PROVIDER:NAME`, `identity-center:USERID`, `k8s:system:serviceaccount:ns:name`, …
    /// Empty when the record carries no identity at all.
    public var key: String { didSet { keyHash = Identity.hash(key) } }
    /// `Identity.hash(key)`, kept beside the key: per-identity state (dedup groups, the risk
    /// correlator's windows, a rule's repeats) is reached by it, so the detection thread does not
    /// hash the text again for every event and detector. A decoder's identity cache computes it
    /// once per distinct caller. Not encoded: it is derived.
    public private(set) var keyHash: UInt64
    /// Kind of principal.
    public var type: IdentityType
    /// Account that owns the principal (`userIdentity.accountId`).
    public var accountId: String
    /// Full ARN as logged (for assumed roles, the session ARN).
    public var arn: String
    /// Session name of an assumed role (often an instance id, pod, or user e-mail).
    public var sessionName: String
    /// Access key id used for the call; empty when none.
    public var accessKeyId: String
    /// Long-lived or session credential.
    public var keyKind: KeyKind
    /// EC2 instance id for instance-profile sessions (from the session name
    /// `i-…` or `sessionContext.ec2RoleDelivery` being present).
    public var instanceId: String
    /// True when the session came from the instance metadata service (`ec2RoleDelivery`).
    public var isInstanceProfile: Bool
    /// Service that made the call on the principal's behalf (`invokedBy`), e.g. `cloudformation.amazonaws.com`.
    public var invokedBy: String
    /// Short, readable name: user name, role name, service name.
    public var displayName: String
    /// True when the session was created with MFA (`sessionContext.attributes.mfaAuthenticated`).
    public var mfa: Bool
    /// True when `type` is the record's `userIdentity.type` exactly, as a rule reading the record
    /// would find it (not inferred from the ARN, one plain string); see `SessionIssuerType`.
    public var loggedType: Bool
    /// `sessionContext.sessionIssuer.type` as logged, where the decoder vouches for it.
    public var issuerType: SessionIssuerType

    /// Creates an identity; every field but `key` and `type` defaults to empty.
    public init(
        key: String, type: IdentityType, accountId: String = "", arn: String = "",
        sessionName: String = "", accessKeyId: String = "", keyKind: KeyKind = .none,
        instanceId: String = "", isInstanceProfile: Bool = false, invokedBy: String = "",
        displayName: String = "", mfa: Bool = false, loggedType: Bool = false,
        issuerType: SessionIssuerType = .unknown
    ) {
        self.key = key
        self.keyHash = Identity.hash(key)
        self.type = type
        self.accountId = accountId
        self.arn = arn
        self.sessionName = sessionName
        self.accessKeyId = accessKeyId
        self.keyKind = keyKind
        self.instanceId = instanceId
        self.isInstanceProfile = isInstanceProfile
        self.invokedBy = invokedBy
        self.displayName = displayName
        self.mfa = mfa
        self.loggedType = loggedType
        self.issuerType = issuerType
    }

    /// An identity that could not be determined.
    public static let unknown = Identity(key: "", type: .unknown)

    /// 64-bit FNV-1a over the UTF-8 bytes of `key`; never 0. Stable across runs and machines
    /// (unlike `Hasher`): the correlator's windows are saved under it in state files.
    public static func hash(_ key: String) -> UInt64 { FNV1a.hash(key) }
}

extension Identity {
    /// The encoded fields: every stored one but `keyHash`, which is derived from `key`.
    enum CodingKeys: String, CodingKey {
        case key, type, accountId, arn, sessionName, accessKeyId, keyKind, instanceId, isInstanceProfile
        case invokedBy, displayName, mfa, loggedType, issuerType
    }

    /// Decodes the encoded fields and derives `keyHash`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            key: try c.decode(String.self, forKey: .key), type: try c.decode(IdentityType.self, forKey: .type),
            accountId: try c.decode(String.self, forKey: .accountId), arn: try c.decode(String.self, forKey: .arn),
            sessionName: try c.decode(String.self, forKey: .sessionName),
            accessKeyId: try c.decode(String.self, forKey: .accessKeyId),
            keyKind: try c.decode(KeyKind.self, forKey: .keyKind),
            instanceId: try c.decode(String.self, forKey: .instanceId),
            isInstanceProfile: try c.decode(Bool.self, forKey: .isInstanceProfile),
            invokedBy: try c.decode(String.self, forKey: .invokedBy),
            displayName: try c.decode(String.self, forKey: .displayName), mfa: try c.decode(Bool.self, forKey: .mfa),
            loggedType: try c.decode(Bool.self, forKey: .loggedType),
            issuerType: try c.decode(SessionIssuerType.self, forKey: .issuerType))
    }
}
