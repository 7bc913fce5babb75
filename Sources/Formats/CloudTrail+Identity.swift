import ByteJSON
import EventModel

/// `userIdentity` → `Identity`. The canonical key per type:
/// - IAMUser: the user ARN (built from account + userName when the ARN is missing; with
///   neither, the unknown-type rule on principalId).
/// - AssumedRole: the role ARN from `sessionContext.sessionIssuer.arn`, else derived from
///   `arn:aws:sts::ACCT:assumed-role/ROLE/SESSION` → `arn:aws:iam::ACCT:role/ROLE` (a role
///   with a path only keeps it when `sessionIssuer` is logged), else built from
///   `sessionIssuer.userName` and the account, else the logged ARN, else the unknown-type
///   rule below. Session name kept apart (from the ARN, else from `principalId` after `:`);
///   instance-profile sessions (`ec2RoleDelivery`, or a session name `i-<hex>`) fill `instanceId`.
/// - Root: `arn:<partition>:iam::ACCT:root`.
/// - AWSService: `service:<invokedBy>`. AWSAccount: `account:<accountId>` (principalId as display name).
/// - WebIdentityUser: `web-identity:<identityProvider>:<userName or principalId>`.
/// - SAMLUser: `saml:<identityProvider>:<userName or principalId>`.
/// - IdentityCenterUser: `identity-center:<userId or onBehalfOf.userId>`.
/// - FederatedUser: the federated-user ARN.
/// - Unknown types: the ARN, else `unknown:<accountId>:<userName or principalId>`, else "".
/// A missing, null or empty `userIdentity` gives `Identity.unknown` (key "").
extension CloudTrail {
    /// Fields read from `userIdentity` (and its `sessionContext` / `onBehalfOf`).
    struct RawIdentity {
        var type = "", principalId = "", arn = "", accountId = "", accessKeyId = "", userName = ""
        var invokedBy = "", identityProvider = "", userId = "", issuerArn = "", issuerName = ""
        var mfa = false
        var ec2RoleDelivery = false
        /// `type` was a JSON string (not a number or object that happens to print the same).
        var typeIsString = false
        var issuerType = SessionIssuerType.absent
        /// No duplicate, escaped or dotted key and no odd value shape on the way to `type` and
        /// `sessionIssuer.type`, so a rule reading the record finds what the decoder read.
        var plain = true
    }

    static let identityKeys = JSONKeyTable([
        "type", "principalId", "arn", "accountId", "accessKeyId", "userName", "invokedBy", "identityProvider",
        "userId", "sessionContext", "onBehalfOf",
    ])

    /// Identity of the record, cached by the exact bytes of `userIdentity` (sessions repeat them).
    static func identity(_ v: JSONValue?, _ ctx: inout DecodeContext) throws(JSONError) -> Identity {
        guard let v, v.kind == .object else { return .unknown }
        let (hit, h) = ctx.identities.lookup(v.bytes)
        if let hit { return hit }
        let flagged = ctx.invalidUTF8
        ctx.invalidUTF8 = false
        var raw = RawIdentity()
        try read(v, into: &raw, &ctx)
        var id = make(raw)
        // One String per distinct key, whatever the session or access key: the detection thread
        // compares keys often (dedup groups, a rule's repeats), and equal storage compares at once.
        var key = id.key
        id.key = key.withUTF8 { ctx.strings.intern(UnsafeRawBufferPointer($0)) }
        if !ctx.invalidUTF8 { ctx.identities.insert(v.bytes, hash: h, id) }
        ctx.invalidUTF8 = ctx.invalidUTF8 || flagged
        return id
    }

    static func read(_ v: JSONValue, into r: inout RawIdentity, _ ctx: inout DecodeContext) throws(JSONError) {
        var it = v.members()
        var seen: UInt32 = 0
        while let m = try it.next() {
            guard let i = identityKeys.index(of: m.key) else {
                if unplain(m.key) { r.plain = false }
                continue
            }
            // A repeated key: the decoder keeps the last, a rule may match any.
            if seen & (1 << UInt32(i)) != 0 { r.plain = false }
            seen |= 1 << UInt32(i)
            switch i {
            case 0:
                r.type = try ctx.text(m.value, max: 64)
                r.typeIsString = m.value.kind == .string
            case 1: r.principalId = try ctx.text(m.value)
            case 2: r.arn = try ctx.text(m.value)
            case 3: r.accountId = try ctx.text(m.value, max: 64)
            case 4: r.accessKeyId = try ctx.text(m.value, max: 128)
            case 5: r.userName = try ctx.text(m.value)
            case 6: r.invokedBy = try ctx.text(m.value)
            case 7: r.identityProvider = try ctx.text(m.value)
            case 8: r.userId = try ctx.text(m.value)
            case 9: try readSession(m.value, into: &r, &ctx)
            default:
                if let u = try m.value.member("userId"), r.userId.isEmpty { r.userId = try ctx.text(u) }
            }
        }
    }

    /// A key a rule's dotted path could match although the decoder does not read it.
    static func unplain(_ key: JSONKey) -> Bool { key.hasEscapes || key.bytes.contains(0x2E) }

    static func readSession(_ v: JSONValue, into r: inout RawIdentity, _ ctx: inout DecodeContext) throws(JSONError) {
        guard v.kind == .object else {
            r.plain = r.plain && v.kind == .null
            return
        }
        var it = v.members()
        var issuers = 0
        while let m = try it.next() {
            if unplain(m.key) { r.plain = false }
            if m.key == "sessionIssuer" {
                issuers += 1
                try readIssuer(m.value, into: &r, &ctx)
                if issuers > 1 || m.value.kind != .object { r.plain = false }
            } else if m.key == "attributes" {
                if let mfa = try m.value.member("mfaAuthenticated") { r.mfa = mfa.lenientBool ?? false }
            } else if m.key == "ec2RoleDelivery" {
                r.ec2RoleDelivery = m.value.kind != .null
            }
        }
    }

    static func readIssuer(_ v: JSONValue, into r: inout RawIdentity, _ ctx: inout DecodeContext) throws(JSONError) {
        guard v.kind == .object else { return }
        var s = v.members()
        var types = 0
        while let f = try s.next() {
            if unplain(f.key) { r.plain = false }
            if f.key == "arn" {
                r.issuerArn = try ctx.text(f.value)
            } else if f.key == "userName" {
                r.issuerName = try ctx.text(f.value)
            } else if f.key == "type" {
                types += 1
                r.issuerType =
                    f.value.kind == .string ? SessionIssuerType(logged: try ctx.text(f.value, max: 64)) : .unknown
            }
        }
        if types > 1 { r.plain = false }
    }

    /// Builds the identity and its canonical key from the raw fields.
    static func make(_ r: RawIdentity) -> Identity {
        let type = IdentityType(rawValue: r.type) ?? (r.type.isEmpty ? inferType(r.arn) : .unknown)
        var id = Identity(
            key: "", type: type, accountId: r.accountId, arn: r.arn, accessKeyId: r.accessKeyId,
            keyKind: KeyKind(accessKeyId: r.accessKeyId), invokedBy: r.invokedBy, mfa: r.mfa,
            loggedType: r.plain && r.typeIsString && IdentityType(rawValue: r.type) != nil,
            issuerType: r.plain && !r.type.isEmpty ? r.issuerType : .unknown)
        let arn = ARN(r.arn)
        if id.accountId.isEmpty, let a = arn { id.accountId = a.account }
        let partition = arn?.partition ?? "aws"
        let name = r.userName.isEmpty ? r.principalId : r.userName
        switch type {
        case .iamUser where !r.arn.isEmpty || !r.userName.isEmpty:
            id.key = !r.arn.isEmpty ? r.arn : "arn:aws:iam::\(id.accountId):user/\(r.userName)"
            id.displayName = r.userName.isEmpty ? lastComponent(r.arn) : r.userName
        case .assumedRole:
            assumedRole(r, arn, into: &id)
        case .root:
            id.key = "arn:\(partition):iam::\(id.accountId):root"
            id.displayName = "root"
        case .awsService:
            let who = !r.invokedBy.isEmpty ? r.invokedBy : !r.principalId.isEmpty ? r.principalId : "unknown"
            id.key = "service:" + who
            id.displayName = who
        case .awsAccount:
            id.key = "account:" + (id.accountId.isEmpty ? "unknown" : id.accountId)
            id.displayName = r.principalId.isEmpty ? id.accountId : r.principalId
        case .webIdentityUser:
            id.key = "web-identity:\(r.identityProvider):\(name)"
            id.displayName = name
        case .samlUser:
            id.key = "saml:\(r.identityProvider):\(name)"
            id.displayName = name
        case .identityCenterUser:
            let user = !r.userId.isEmpty ? r.userId : name
            id.key = "identity-center:" + user
            id.displayName = r.userName.isEmpty ? user : r.userName
        case .federatedUser:
            federated(r, into: &id)
        default:
            id.key = !r.arn.isEmpty ? r.arn : name.isEmpty ? "" : "unknown:\(id.accountId):\(name)"
            id.displayName = name.isEmpty ? lastComponent(r.arn) : name
        }
        return id
    }

    private static func assumedRole(_ r: RawIdentity, _ arn: ARN?, into id: inout Identity) {
        // `assumed-role/ROLE/SESSION`
        var role: Substring = ""
        if let res = arn?.resource, res.starts("assumed-role/") {
            let rest = res.utf8.dropFirst(13)
            if let slash = rest.firstIndex(of: 0x2F) {
                role = Substring(rest[..<slash])
                id.sessionName = String(Substring(rest[rest.index(after: slash)...]))
            }
        }
        if role.isEmpty, let colon = r.principalId.utf8.firstIndex(of: 0x3A) {
            id.sessionName = String(r.principalId[r.principalId.utf8.index(after: colon)...])
        }
        if !r.issuerArn.isEmpty {
            id.key = r.issuerArn
        } else if !role.isEmpty, let a = arn {
            id.key = "arn:\(a.partition):iam::\(a.account):role/\(role)"
        } else if !r.issuerName.isEmpty, !id.accountId.isEmpty {
            id.key = "arn:aws:iam::\(id.accountId):role/\(r.issuerName)"
        } else if !r.arn.isEmpty {
            id.key = r.arn
        } else {
            let name = r.userName.isEmpty ? r.principalId : r.userName
            id.key = name.isEmpty ? "" : "unknown:\(id.accountId):\(name)"
        }
        id.displayName =
            !r.issuerName.isEmpty
            ? r.issuerName
            : !role.isEmpty ? String(role) : !r.userName.isEmpty ? r.userName : lastComponent(id.key)
        id.isInstanceProfile = r.ec2RoleDelivery
        if r.ec2RoleDelivery || isInstanceId(id.sessionName) { id.instanceId = id.sessionName }
    }

    private static func federated(_ r: RawIdentity, into id: inout Identity) {
        if !r.arn.isEmpty {
            id.key = r.arn
        } else if let colon = r.principalId.utf8.firstIndex(of: 0x3A) {
            // principalId is `ACCOUNT:NAME`.
            let acct = r.principalId[..<colon]
            id.key = "arn:aws:sts::\(acct):federated-user/\(r.principalId[r.principalId.utf8.index(after: colon)...])"
        }
        id.displayName = lastComponent(id.key)
    }

    /// Identity type from an ARN when `type` is missing (trimmed exports).
    static func inferType(_ arn: String) -> IdentityType {
        guard let a = ARN(arn) else { return .unknown }
        if a.resource == "root" { return .root }
        if a.resource.starts("user/") { return .iamUser }
        if a.resource.starts("assumed-role/") { return .assumedRole }
        if a.resource.starts("federated-user/") { return .federatedUser }
        return .unknown
    }

    /// `i-` followed by 8 or 17 hex digits.
    static func isInstanceId(_ s: String) -> Bool {
        let u = s.utf8
        guard u.count == 10 || u.count == 19, s.hasPrefix("i-") else { return false }
        return u.dropFirst(2).allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }

    static func lastComponent(_ s: String) -> String {
        guard let i = s.utf8.lastIndex(where: { $0 == 0x2F || $0 == 0x3A }) else { return s }
        return String(s[s.utf8.index(after: i)...])
    }
}

extension Substring {
    /// Byte-wise prefix test; `hasPrefix` compares characters, which is far slower.
    @inline(__always)
    func starts(_ prefix: StaticString) -> Bool {
        utf8.starts(with: UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount))
    }
}

/// The parts of `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`.
struct ARN {
    var partition: Substring
    var service: Substring
    var region: Substring
    var account: String
    var resource: Substring

    init?(_ s: String) {
        guard s.hasPrefix("arn:") else { return nil }
        // Five colons split six parts; the resource may contain more colons.
        let u = s.utf8
        var bounds = (u.startIndex, u.startIndex, u.startIndex, u.startIndex)
        var i = u.index(u.startIndex, offsetBy: 4)
        for k in 0..<4 {
            guard let c = u[i...].firstIndex(of: 0x3A) else { return nil }
            switch k {
            case 0: bounds.0 = c
            case 1: bounds.1 = c
            case 2: bounds.2 = c
            default: bounds.3 = c
            }
            i = u.index(after: c)
        }
        let start = u.index(u.startIndex, offsetBy: 4)
        partition = s[start..<bounds.0]
        service = s[u.index(after: bounds.0)..<bounds.1]
        region = s[u.index(after: bounds.1)..<bounds.2]
        account = String(s[u.index(after: bounds.2)..<bounds.3])
        resource = s[u.index(after: bounds.3)...]
    }
}
