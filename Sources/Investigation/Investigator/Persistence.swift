import EventModel

/// Kinds of things an intruder leaves behind to come back.
public enum ArtifactKind: String, Sendable, Hashable, CaseIterable, Comparable {
    case user
    case accessKey = "access_key"
    case loginProfile = "login_profile"
    case userPolicy = "user_policy"
    case groupMembership = "group_membership"
    case role
    case roleTrust = "role_trust"
    case rolePolicy = "role_policy"
    case policyVersion = "policy_version"
    case function
    case functionCode = "function_code"
    case functionPermission = "function_permission"
    case functionURL = "function_url"
    case layer
    case instance
    case keyPair = "key_pair"
    case securityGroupRule = "security_group_rule"
    case sshKey = "ssh_key"
    case serviceAccountKey = "service_account_key"
    case roleAssignment = "role_assignment"

    public static func < (a: ArtifactKind, b: ArtifactKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// Readable name.
    public var label: String {
        switch self {
        case .user: "IAM user"
        case .accessKey: "access key"
        case .loginProfile: "console password"
        case .userPolicy: "user policy"
        case .groupMembership: "group membership"
        case .role: "IAM role"
        case .roleTrust: "role trust policy"
        case .rolePolicy: "role policy"
        case .policyVersion: "policy version"
        case .function: "Lambda function"
        case .functionCode: "Lambda code"
        case .functionPermission: "Lambda permission"
        case .functionURL: "Lambda function URL"
        case .layer: "Lambda layer"
        case .instance: "EC2 instance"
        case .keyPair: "EC2 key pair"
        case .securityGroupRule: "security group rule"
        case .sshKey: "SSH public key"
        case .serviceAccountKey: "service-account key"
        case .roleAssignment: "role assignment"
        }
    }
}

/// An artifact named by an event: kind, identifier (matched by later
/// removals), owner (the user, role or function it hangs on) and detail.
public struct ArtifactRef: Sendable, Hashable {
    /// Kind.
    public var kind: ArtifactKind
    /// Identifier: key id, user ARN, `userArn|policy`, function name, ….
    public var id: String
    /// User ARN, role ARN or function name it belongs to (removing the owner removes it); empty when none.
    public var owner: String
    /// Words for the report (policy attached, principals trusted, ports opened).
    public var detail: String

    /// Creates a reference.
    public init(kind: ArtifactKind, id: String, owner: String = "", detail: String = "") {
        self.kind = kind
        self.id = id
        self.owner = owner
        self.detail = detail
    }

    /// Lookup key.
    public var key: String { kind.rawValue + "|" + id }
}

/// What a removal event does to an artifact.
public enum RemovalEffect: String, Sendable, Hashable {
    /// Deleted or detached.
    case removed
    /// Access key set Inactive.
    case deactivated
    /// Access key set Active again.
    case reactivated
    /// Overwritten by a later change (trust policy rewritten, default version changed).
    case replaced
}

/// Which API calls create persistence and which remove it. Lambda operation
/// names carry an API date suffix in CloudTrail (`CreateFunction20150331`),
/// stripped before matching.
public enum PersistenceRules {
    /// Artifacts a successful event creates.
    public static func created(by e: Event) -> [ArtifactRef] {
        let op = baseOperation(e.action.operation)
        let p = e.parameters
        let user = { ChainEdges.userArn(e, p["requestParameters.userName"] ?? "") }
        let callerUser = e.identity.type == .iamUser ? e.identity.key : ""
        switch (e.action.service, op) {
        case ("iam", "CreateUser"): return [ArtifactRef(kind: .user, id: user())]
        case ("iam", "CreateAccessKey"):
            let owner = p["requestParameters.userName"] != nil ? user() : callerUser
            let id = p["responseElements.accessKey.accessKeyId"] ?? "new key of \(IdentityName.short(owner))"
            return [ArtifactRef(kind: .accessKey, id: id, owner: owner)]
        case ("iam", "CreateLoginProfile"), ("iam", "UpdateLoginProfile"):
            let owner = p["requestParameters.userName"] != nil ? user() : callerUser
            return [ArtifactRef(kind: .loginProfile, id: owner, owner: owner)]
        case ("iam", "AttachUserPolicy"), ("iam", "PutUserPolicy"):
            let policy = p["requestParameters.policyArn"] ?? "inline:" + (p["requestParameters.policyName"] ?? "?")
            return [ArtifactRef(kind: .userPolicy, id: user() + "|" + policy, owner: user(), detail: policy)]
        case ("iam", "AddUserToGroup"):
            let g = p["requestParameters.groupName"] ?? "?"
            return [ArtifactRef(kind: .groupMembership, id: user() + "|" + g, owner: user(), detail: "group " + g)]
        case ("iam", "CreateRole"):
            let role = ChainEdges.roleArn(e, p["requestParameters.roleName"] ?? "")
            let trust = TrustPolicy.principals(p["requestParameters.assumeRolePolicyDocument"] ?? "")
            return [ArtifactRef(kind: .role, id: role, owner: role, detail: trusts(trust))]
        case ("iam", "UpdateAssumeRolePolicy"):
            let role = ChainEdges.roleArn(e, p["requestParameters.roleName"] ?? "")
            let trust = TrustPolicy.principals(p["requestParameters.policyDocument"] ?? "")
            return [ArtifactRef(kind: .roleTrust, id: role, owner: role, detail: trusts(trust))]
        case ("iam", "AttachRolePolicy"), ("iam", "PutRolePolicy"):
            let role = ChainEdges.roleArn(e, p["requestParameters.roleName"] ?? "")
            let policy = p["requestParameters.policyArn"] ?? "inline:" + (p["requestParameters.policyName"] ?? "?")
            return [ArtifactRef(kind: .rolePolicy, id: role + "|" + policy, owner: role, detail: policy)]
        case ("iam", "CreatePolicyVersion"):
            let arn = p["requestParameters.policyArn"] ?? "?"
            return [ArtifactRef(kind: .policyVersion, id: arn, owner: arn, detail: "new default version")]
        case ("iam", "UploadSSHPublicKey"):
            return [ArtifactRef(kind: .sshKey, id: user() + "|ssh", owner: user())]
        default: return compute(e, op) + cloud(e, op)
        }
    }

    private static func trusts(_ principals: [String]) -> String {
        principals.isEmpty ? "" : "trusts " + principals.joined(separator: ", ")
    }

    private static func compute(_ e: Event, _ op: String) -> [ArtifactRef] {
        let p = e.parameters
        let fn = functionName(p["requestParameters.functionName"] ?? "")
        switch (e.action.service, op) {
        case ("lambda", "CreateFunction"): return [ArtifactRef(kind: .function, id: fn, owner: fn)]
        case ("lambda", "UpdateFunctionCode"): return [ArtifactRef(kind: .functionCode, id: fn, owner: fn)]
        case ("lambda", "AddPermission"):
            let sid = p["requestParameters.statementId"] ?? "?"
            let who = p["requestParameters.principal"] ?? ""
            return [
                ArtifactRef(
                    kind: .functionPermission, id: fn + "|" + sid, owner: fn,
                    detail: who.isEmpty ? "" : "invokable by " + who)
            ]
        case ("lambda", "CreateFunctionUrlConfig"):
            return [
                ArtifactRef(
                    kind: .functionURL, id: fn, owner: fn,
                    detail: "auth " + (p["responseElements.authType"] ?? p["requestParameters.authType"] ?? "?"))
            ]
        case ("lambda", "PublishLayerVersion"):
            let l = p["requestParameters.layerName"] ?? "?"
            return [ArtifactRef(kind: .layer, id: l, owner: l)]
        case ("lambda", "UpdateFunctionConfiguration") where p["requestParameters.layers"] != nil:
            return [ArtifactRef(kind: .functionCode, id: fn, owner: fn, detail: "layers changed")]
        case ("ec2", "RunInstances"):
            let type = p["requestParameters.instanceType"] ?? ""
            return e.resources(of: .instance).map {
                ArtifactRef(kind: .instance, id: $0.id, owner: $0.id, detail: type)
            }
        case ("ec2", "ImportKeyPair"), ("ec2", "CreateKeyPair"):
            let k = p["requestParameters.keyName"] ?? "?"
            return [ArtifactRef(kind: .keyPair, id: e.region + "|" + k, owner: k, detail: e.region)]
        case ("ec2", "AuthorizeSecurityGroupIngress"):
            let g = p["requestParameters.groupId"] ?? p["requestParameters.groupName"] ?? "?"
            return [
                ArtifactRef(
                    kind: .securityGroupRule, id: g, owner: g,
                    detail: ingress(p["requestParameters.ipPermissions"] ?? ""))
            ]
        default: return []
        }
    }

    private static func cloud(_ e: Event, _ op: String) -> [ArtifactRef] {
        let lower = op.lowercased()
        if lower.contains("createserviceaccountkey") {
            let sa =
                e.resources.first { $0.kind == .serviceAccount }?.id ?? e.parameters["requestParameters.name"] ?? "?"
            return [ArtifactRef(kind: .serviceAccountKey, id: sa, owner: sa)]
        }
        if lower.contains("roleassignments/write") || lower == "setiampolicy" || lower.hasSuffix("createrolebinding")
            || lower.hasSuffix("createclusterrolebinding")
        {
            let r = e.resources.first?.id ?? e.parameters["requestParameters.resource"] ?? "?"
            return [ArtifactRef(kind: .roleAssignment, id: r, owner: r)]
        }
        return []
    }

    /// Effects of a successful event on artifacts (by lookup key); owners removed cascade in the investigator.
    public static func removals(by e: Event) -> [(key: String, effect: RemovalEffect, cascadeOwner: String)] {
        let op = baseOperation(e.action.operation)
        let p = e.parameters
        let user = { ChainEdges.userArn(e, p["requestParameters.userName"] ?? "") }
        func k(_ kind: ArtifactKind, _ id: String) -> String { kind.rawValue + "|" + id }
        switch (e.action.service, op) {
        case ("iam", "DeleteUser"): return [(k(.user, user()), .removed, user())]
        case ("iam", "DeleteAccessKey"):
            return [(k(.accessKey, p["requestParameters.accessKeyId"] ?? ""), .removed, "")]
        case ("iam", "UpdateAccessKey"):
            let status = p["requestParameters.status"] ?? ""
            return [
                (
                    k(.accessKey, p["requestParameters.accessKeyId"] ?? ""),
                    status == "Inactive" ? .deactivated : .reactivated, ""
                )
            ]
        case ("iam", "DeleteLoginProfile"): return [(k(.loginProfile, user()), .removed, "")]
        case ("iam", "DetachUserPolicy"):
            return [(k(.userPolicy, user() + "|" + (p["requestParameters.policyArn"] ?? "")), .removed, "")]
        case ("iam", "DeleteUserPolicy"):
            return [(k(.userPolicy, user() + "|inline:" + (p["requestParameters.policyName"] ?? "")), .removed, "")]
        case ("iam", "RemoveUserFromGroup"):
            return [(k(.groupMembership, user() + "|" + (p["requestParameters.groupName"] ?? "")), .removed, "")]
        case ("iam", "DeleteSSHPublicKey"): return [(k(.sshKey, user() + "|ssh"), .removed, "")]
        default: return roleRemovals(e, op) + computeRemovals(e, op)
        }
    }

    private static func roleRemovals(_ e: Event, _ op: String) -> [(
        key: String, effect: RemovalEffect, cascadeOwner: String
    )] {
        let p = e.parameters
        let role = ChainEdges.roleArn(e, p["requestParameters.roleName"] ?? "")
        func k(_ kind: ArtifactKind, _ id: String) -> String { kind.rawValue + "|" + id }
        switch (e.action.service, op) {
        case ("iam", "DeleteRole"): return [(k(.role, role), .removed, role)]
        case ("iam", "UpdateAssumeRolePolicy"): return [(k(.roleTrust, role), .replaced, "")]
        case ("iam", "DetachRolePolicy"):
            return [(k(.rolePolicy, role + "|" + (p["requestParameters.policyArn"] ?? "")), .removed, "")]
        case ("iam", "DeleteRolePolicy"):
            return [(k(.rolePolicy, role + "|inline:" + (p["requestParameters.policyName"] ?? "")), .removed, "")]
        case ("iam", "SetDefaultPolicyVersion"), ("iam", "DeletePolicy"):
            return [
                (
                    k(.policyVersion, p["requestParameters.policyArn"] ?? ""),
                    op == "DeletePolicy" ? .removed : .replaced, ""
                )
            ]
        default: return []
        }
    }

    private static func computeRemovals(_ e: Event, _ op: String) -> [(
        key: String, effect: RemovalEffect, cascadeOwner: String
    )] {
        let p = e.parameters
        let fn = functionName(p["requestParameters.functionName"] ?? "")
        func k(_ kind: ArtifactKind, _ id: String) -> String { kind.rawValue + "|" + id }
        switch (e.action.service, op) {
        case ("lambda", "DeleteFunction"): return [(k(.function, fn), .removed, fn)]
        case ("lambda", "RemovePermission"):
            return [(k(.functionPermission, fn + "|" + (p["requestParameters.statementId"] ?? "")), .removed, "")]
        case ("lambda", "DeleteFunctionUrlConfig"): return [(k(.functionURL, fn), .removed, "")]
        case ("lambda", "DeleteLayerVersion"):
            return [(k(.layer, p["requestParameters.layerName"] ?? ""), .removed, "")]
        case ("ec2", "TerminateInstances"):
            let text = p["requestParameters.instancesSet"] ?? ""
            var ids = e.resources(of: .instance).map(\.id)
            ids += instanceIds(in: text)
            return ids.map { (k(.instance, $0), .removed, "") }
        case ("ec2", "DeleteKeyPair"):
            return [(k(.keyPair, e.region + "|" + (p["requestParameters.keyName"] ?? "")), .removed, "")]
        case ("ec2", "RevokeSecurityGroupIngress"), ("ec2", "DeleteSecurityGroup"):
            return [
                (
                    k(.securityGroupRule, p["requestParameters.groupId"] ?? p["requestParameters.groupName"] ?? ""),
                    .removed, ""
                )
            ]
        default:
            let lower = op.lowercased()
            if lower.contains("deleteserviceaccountkey") {
                let sa = e.resources.first { $0.kind == .serviceAccount }?.id ?? p["requestParameters.name"] ?? ""
                return [(k(.serviceAccountKey, sa), .removed, "")]
            }
            if lower.contains("roleassignments/delete") || lower.hasSuffix("deleterolebinding") {
                return [(k(.roleAssignment, e.resources.first?.id ?? ""), .removed, "")]
            }
            return []
        }
    }

    /// Operations that may remove artifacts (a cheap pre-check per event).
    public static func mayRemove(_ operation: String) -> Bool {
        operation.hasPrefix("Delete") || operation.hasPrefix("Detach") || operation.hasPrefix("Remove")
            || operation.hasPrefix("Revoke") || operation == "UpdateAccessKey" || operation == "UpdateAssumeRolePolicy"
            || operation == "TerminateInstances" || operation == "SetDefaultPolicyVersion"
            || operation.contains("delete") || operation.contains("Delete")
    }

    /// `CreateFunction20150331` → `CreateFunction`, `AddPermission20150331v2` → `AddPermission`.
    public static func baseOperation(_ op: String) -> String {
        var u = Array(op.utf8)
        if let v = u.lastIndex(of: UInt8(ascii: "v")), v > 0, v + 1 < u.count,
            u[(v + 1)...].allSatisfy({ $0 >= 48 && $0 <= 57 }), u[v - 1] >= 48 && u[v - 1] <= 57
        {
            u.removeSubrange(v...)
        }
        var digits = 0
        while let last = u.last, last >= 48 && last <= 57 {
            u.removeLast()
            digits += 1
        }
        if digits != 8 { return op }
        return String(decoding: u, as: UTF8.self)
    }

    /// `my-fn` for `arn:aws:lambda:r:a:function:my-fn[:alias]` or `my-fn`.
    static func functionName(_ s: String) -> String {
        guard s.hasPrefix("arn:") else { return s }
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count >= 7 ? String(parts[6]) : s
    }

    static func instanceIds(in text: String) -> [String] {
        var out: [String] = []
        var rest = Substring(text)
        while let r = rest.firstRange(of: "\"i-") {
            let start = rest.index(after: r.lowerBound)
            let end = rest[start...].firstIndex(of: "\"") ?? rest.endIndex
            out.append(String(rest[start..<end]))
            rest = rest[end...]
            if out.count >= 64 { break }
        }
        return out
    }

    private static func ingress(_ permissions: String) -> String {
        var ports: [String] = []
        for key in ["\"fromPort\":", "\"toPort\":"] {
            if let r = permissions.firstRange(of: key) {
                let digits = permissions[r.upperBound...].prefix { $0.isNumber || $0 == "-" }
                ports.append(String(digits))
            }
        }
        let world = permissions.contains("0.0.0.0/0") || permissions.contains("::/0")
        var s = ports.isEmpty ? "" : "port " + (ports.first == ports.last ? ports[0] : ports.joined(separator: "-"))
        if world { s += s.isEmpty ? "open to 0.0.0.0/0" : " open to 0.0.0.0/0" }
        return s
    }
}
