import EventModel

/// Classifications of API calls and resources shared by the baselines and the
/// detectors, so that both count the same things. Byte-level checks, no allocation.
public enum APIClass {
    /// True for calls that return secret material: `secretsmanager:GetSecretValue`,
    /// `BatchGetSecretValue`, `ssm:GetParameter(s)`, `GetParametersByPath`,
    /// `kms:Decrypt`, `ec2:GetPasswordData`.
    public static func isSecretRead(service: String, operation: String) -> Bool {
        switch service {
        case "secretsmanager": return operation == "GetSecretValue" || operation == "BatchGetSecretValue"
        case "ssm":
            return operation == "GetParameter" || operation == "GetParameters" || operation == "GetParametersByPath"
        case "kms": return operation == "Decrypt"
        case "ec2": return operation == "GetPasswordData"
        default: return false
        }
    }

    /// True for calls that list what secrets exist: `secretsmanager:ListSecrets`,
    /// `ssm:DescribeParameters`, `ssm:GetParametersByPath`, `kms:ListKeys`, `kms:ListAliases`.
    public static func isSecretListing(service: String, operation: String) -> Bool {
        switch service {
        case "secretsmanager": return operation == "ListSecrets"
        case "ssm": return operation == "DescribeParameters" || operation == "GetParametersByPath"
        case "kms": return operation == "ListKeys" || operation == "ListAliases"
        default: return false
        }
    }

    /// True for `List*`, `Describe*` and `Get*` operations (discovery-style reads).
    public static func isDiscovery(operation: String) -> Bool {
        var op = operation
        return op.withUTF8 { b in
            func has(_ p: StaticString) -> Bool {
                let n = p.utf8CodeUnitCount
                guard b.count > n else { return false }
                let ps = p.utf8Start
                for i in 0..<n where b[i] != ps[i] { return false }
                return true
            }
            guard let c = b.first else { return false }
            switch c {
            case UInt8(ascii: "L"): return has("List")
            case UInt8(ascii: "D"): return has("Describe")
            case UInt8(ascii: "G"): return has("Get")
            default: return false
            }
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
            case .secret, .parameter, .kmsKey:
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
        case "secretsmanager": if let v = p["requestParameters.secretId"] { body(.secret, v) }
        case "ssm": if let v = p["requestParameters.name"] { body(.parameter, v) }
        case "kms": if let v = p["requestParameters.keyId"] { body(.kmsKey, v) }
        case "ec2": if let v = p["requestParameters.instanceId"] { body(.instance, v) }
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
