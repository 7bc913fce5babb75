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

/// The principal behind an event, with a canonical `key` that baselines and
/// findings group by (an assumed-role session rolls up to its role ARN).
public struct Identity: Sendable, Hashable, Codable {
    /// Canonical principal key: IAM user ARN, role ARN (not the session ARN),
    /// `arn:aws:iam::ACCT:root`, `service:NAME`, `web-identity:PROVIDER:SUB`,
    /// `saml:PROVIDER:NAME`, `identity-center:USERID`, `k8s:system:serviceaccount:ns:name`, …
    /// Empty when the record carries no identity at all.
    public var key: String
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

    /// Creates an identity; every field but `key` and `type` defaults to empty.
    public init(
        key: String, type: IdentityType, accountId: String = "", arn: String = "",
        sessionName: String = "", accessKeyId: String = "", keyKind: KeyKind = .none,
        instanceId: String = "", isInstanceProfile: Bool = false, invokedBy: String = "",
        displayName: String = "", mfa: Bool = false
    ) {
        self.key = key
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
    }

    /// An identity that could not be determined.
    public static let unknown = Identity(key: "", type: .unknown)
}
