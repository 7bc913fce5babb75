import EventModel

/// Classifications of API calls and resources shared by the baselines and the
/// detectors, so that both count the same things. Byte-level checks, no allocation.
public enum APIClass {
    /// True for calls that return secret material: `secretsmanager:GetSecretValue`,
    /// `BatchGetSecretValue`, `ssm:GetParameter(s)`, `GetParametersByPath`,
    /// `kms:Decrypt`, `ec2:GetPasswordData`; Kubernetes `get`/`list`/`watch secrets`;
    /// GCP Secret Manager `…AccessSecretVersion`; Azure Key Vault secret reads
    /// (`microsoft.keyvault/vaults/secrets/read`, data-plane `SecretGet`) and storage
    /// account key listing (`…/storageaccounts/listkeys/action`).
    public static func isSecretRead(service: String, operation: String) -> Bool {
        switch service {
        case "secretsmanager": return operation == "GetSecretValue" || operation == "BatchGetSecretValue"
        case "ssm":
            return operation == "GetParameter" || operation == "GetParameters" || operation == "GetParametersByPath"
        case "kms": return operation == "Decrypt"
        case "ec2": return operation == "GetPasswordData"
        case "k8s": return operation == "get secrets" || operation == "list secrets" || operation == "watch secrets"
        case "secretmanager": return operation.hasSuffix(".AccessSecretVersion")
        case "keyvault": return operation == "microsoft.keyvault/vaults/secrets/read" || operation == "SecretGet"
        case "storage": return operation == "microsoft.storage/storageaccounts/listkeys/action"
        default: return false
        }
    }

    /// True for calls that list what secrets exist: `secretsmanager:ListSecrets`,
    /// `ssm:DescribeParameters`, `ssm:GetParametersByPath`, `kms:ListKeys`, `kms:ListAliases`;
    /// Kubernetes `list secrets`; GCP `…ListSecrets`; Azure Key Vault `SecretList`.
    public static func isSecretListing(service: String, operation: String) -> Bool {
        switch service {
        case "secretsmanager": return operation == "ListSecrets"
        case "ssm": return operation == "DescribeParameters" || operation == "GetParametersByPath"
        case "kms": return operation == "ListKeys" || operation == "ListAliases"
        case "k8s": return operation == "list secrets"
        case "secretmanager": return operation.hasSuffix(".ListSecrets")
        case "keyvault": return operation == "SecretList"
        default: return false
        }
    }

    /// Operations of the secret reads and listings above that `secrets.enumeration` routes
    /// (KMS key listings excepted; GCP versions v1 and v1beta1 of Secret Manager).
    public static let secretOperations: Set<String> = [
        "GetSecretValue", "BatchGetSecretValue", "GetParameter", "GetParameters", "GetParametersByPath", "Decrypt",
        "GetPasswordData", "ListSecrets", "DescribeParameters",
        "get secrets", "list secrets", "watch secrets",
        "google.cloud.secretmanager.v1.SecretManagerService.AccessSecretVersion",
        "google.cloud.secretmanager.v1beta1.SecretManagerService.AccessSecretVersion",
        "google.cloud.secretmanager.v1.SecretManagerService.ListSecrets",
        "google.cloud.secretmanager.v1beta1.SecretManagerService.ListSecrets",
        "microsoft.keyvault/vaults/secrets/read", "SecretGet", "SecretList",
        "microsoft.storage/storageaccounts/listkeys/action",
    ]

    /// True for `List*`, `Describe*` and `Get*` operations (discovery-style reads), and the
    /// same in the other providers' vocabularies: Kubernetes `list …` / `get …` (`watch` is a
    /// controller's habit, not discovery), GCP methods whose last component starts with
    /// List/Get/list/get/aggregatedList, Azure ARM operations ending in `/read`.
    public static func isDiscovery(operation: String) -> Bool {
        var op = operation
        return op.withUTF8 { b in
            func has(_ p: StaticString, at i: Int = 0, whole: Bool = false) -> Bool {
                let n = p.utf8CodeUnitCount
                guard b.count > i + n || whole && b.count == i + n else { return false }
                let ps = p.utf8Start
                for k in 0..<n where b[i + k] != ps[k] { return false }
                return true
            }
            guard let c = b.first else { return false }
            switch c {
            case UInt8(ascii: "L"): return has("List")
            case UInt8(ascii: "D"): return has("Describe")
            case UInt8(ascii: "G"): return has("Get")
            case UInt8(ascii: "l"): if has("list ") { return true }
            case UInt8(ascii: "g"): if has("get ") { return true }
            default: break
            }
            // Azure ARM `…/read`, GCP `….ListFoo` / `v1.compute.instances.list`.
            var slash = -1
            var dot = -1
            for (i, x) in b.enumerated() {
                if x == UInt8(ascii: "/") { slash = i } else if x == UInt8(ascii: ".") { dot = i }
            }
            if slash >= 0 {
                let n = b.count
                return n - slash == 5 && b[n - 4] == UInt8(ascii: "r") && b[n - 3] == UInt8(ascii: "e")
                    && b[n - 2] == UInt8(ascii: "a") && b[n - 1] == UInt8(ascii: "d")
            }
            guard dot >= 0 else { return false }
            let i = dot + 1
            return has("List", at: i) || has("Get", at: i) || has("list", at: i, whole: true)
                || has("get", at: i, whole: true) || has("aggregatedList", at: i, whole: true)
        }
    }

    /// True for `sts:AssumeRole`, `AssumeRoleWithSAML`, `AssumeRoleWithWebIdentity`.
    public static func isAssumeRole(service: String, operation: String) -> Bool {
        service == "sts" && operation.hasPrefix("AssumeRole")
    }

    /// The role an `AssumeRole*` event targets: a `.role` resource, else `requestParameters.roleArn`.
    public static func assumedRole(_ e: Event) -> String? {
        for r in e.resources where r.kind == .role { return r.id }
        if let arn = e.parameters["requestParameters.roleArn"], !arn.isEmpty { return arn }
        return nil
    }

    /// Calls `body` with each secret-like item a secret-read event returns: the
    /// secret, parameter or KMS key resources (or the instance of
    /// `GetPasswordData`), falling back to the request parameters when the
    /// event lists no resources.
    public static func secretItems(_ e: Event, _ body: (ResourceKind, String) -> Void) {
        var found = false
        for r in e.resources {
            switch r.kind {
            case .secret, .parameter, .kmsKey, .k8sSecret:
                body(r.kind, r.id)
                found = true
            case .instance where e.action.operation == "GetPasswordData":
                body(.instance, r.id)
                found = true
            default: break
            }
        }
        if found { return }
        let p = e.parameters
        switch e.action.service {
        case "secretsmanager":
            if let v = p["requestParameters.secretId"] { body(.secret, Resource.canonicalID(.secret, v)) }
        case "ssm": if let v = p["requestParameters.name"] { body(.parameter, Resource.canonicalID(.parameter, v)) }
        case "kms": if let v = p["requestParameters.keyId"] { body(.kmsKey, v) }
        case "ec2": if let v = p["requestParameters.instanceId"] { body(.instance, v) }
        case "k8s":
            // A list (or watch) of a namespace's secrets returns all of them: one item per namespace.
            if let ns = p["objectRef.namespace"] { body(.k8sSecret, ns + "/*") } else { body(.k8sSecret, "*") }
        default: break
        }
    }
}

/// Stable numeric codes of the resource kinds the baselines keep (persisted in
/// the state file, so they never change with the enum's order).
public enum ResourceCode {
    /// Code of a kind, 0 when baselines do not keep that kind.
    public static func of(_ k: ResourceKind) -> UInt32 {
        switch k {
        case .secret: 1
        case .parameter: 2
        case .kmsKey: 3
        case .bucket: 4
        case .role: 5
        case .instance: 6
        case .k8sSecret: 7
        default: 0
        }
    }

    /// Kind of a code.
    public static func kind(_ code: UInt32) -> ResourceKind {
        switch code {
        case 1: .secret
        case 2: .parameter
        case 3: .kmsKey
        case 4: .bucket
        case 5: .role
        case 6: .instance
        case 7: .k8sSecret
        default: .other
        }
    }

    /// The baseline key of a resource: hash of (kind code, id).
    public static func key(_ kind: ResourceKind, _ id: String) -> UInt64 {
        Hash64.combine(UInt64(of(kind)), Hash64.of(id))
    }
}

extension UserAgentFamily {
    /// Stable baseline key of the family (hash of its raw value).
    public var baselineKey: UInt64 { Hash64.of(rawValue) }

    /// The family with a given baseline key.
    public init?(baselineKey: UInt64) {
        guard let f = UserAgentFamily.allCases.first(where: { $0.baselineKey == baselineKey }) else { return nil }
        self = f
    }

    /// True for families that say nothing about the client (`aws-internal`, `empty`).
    public var isNonClient: Bool { self == .awsInternal || self == .empty }
}
