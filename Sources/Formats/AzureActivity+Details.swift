import ByteJSON
import EventModel

/// The caller of an Azure record, from `identity.claims` (Activity Log export),
/// `identity.claim` (Key Vault), top-level `claims` and `caller` (REST shape), or
/// `properties.initiatedBy` (Entra audit logs).
///
/// Key: `azure:<object id>` (claim `…/identity/claims/objectidentifier` or `oid`), else
/// `azure:app:<appid>`, else `azure:<upn or caller>` (lower-cased), else "" (no identity).
/// Type: `ServiceAccount` for applications — managed identities and service principals
/// (`idtyp: app`, or an `appid` without a user name); `User` when a UPN or an e-mail-like
/// caller is present; else `Unknown`. Display name: UPN, else the managed identity's name
/// (last segment of `xms_mirid`), else `name`, caller, app id or object id. `arn` holds the
/// managed identity's resource id (`xms_mirid`).
struct AzureIdentity {
    var identity = Identity.unknown
    var appId = ""
    var miResource = ""

    private static let claimKeys = JSONKeyTable([
        "http://schemas.microsoft.com/identity/claims/objectidentifier", "oid", "appid", "azp",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn", "upn", "unique_name", "name",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress", "idtyp", "xms_mirid",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
    ])

    struct Claims {
        var oid = "", appId = "", upn = "", name = "", idtyp = "", miResource = "", caller = ""
    }

    static func read(_ r: AzureActivity.Fields, account: String, _ ctx: inout DecodeContext) throws(JSONError)
        -> AzureIdentity
    {
        var c = Claims()
        var claims = try SourceSupport.member(r.identity, "claims")
        if claims == nil { claims = try SourceSupport.member(r.identity, "claim") }
        if claims == nil { claims = r.claims }
        if let claims, claims.kind == .object { try readClaims(claims, &c, &ctx) }
        c.caller = try ctx.text(r.caller)
        if c.oid.isEmpty && c.appId.isEmpty && c.upn.isEmpty,
            let by = r.prop(.initiatedBy)
        {
            try initiatedBy(by, &c, &ctx)
        }
        return AzureIdentity(identity: make(c, account: account), appId: c.appId, miResource: c.miResource)
    }

    static func readClaims(_ v: JSONValue, _ c: inout Claims, _ ctx: inout DecodeContext) throws(JSONError) {
        var it = v.members()
        while let m = try it.next() {
            guard let i = claimKeys.index(of: m.key) else { continue }
            let t = try ctx.text(m.value)
            switch i {
            case 0, 1: if c.oid.isEmpty { c.oid = t }
            case 2, 3: if c.appId.isEmpty { c.appId = t }
            case 4, 5, 6, 8: if c.upn.isEmpty { c.upn = t }
            case 9: c.idtyp = t
            case 10: c.miResource = t
            default: if c.name.isEmpty { c.name = t }
            }
        }
    }

    /// Entra audit logs: `{"user":{"userPrincipalName","id"}}` or `{"app":{"appId","servicePrincipalId","displayName"}}`.
    static func initiatedBy(_ v: JSONValue, _ c: inout Claims, _ ctx: inout DecodeContext) throws(JSONError) {
        if let user = try SourceSupport.member(v, "user") {
            c.upn = try ctx.text(try SourceSupport.member(user, "userPrincipalName"))
            c.oid = try ctx.text(try SourceSupport.member(user, "id"))
        } else if let app = try SourceSupport.member(v, "app") {
            c.appId = try ctx.text(try SourceSupport.member(app, "appId"))
            c.oid = try ctx.text(try SourceSupport.member(app, "servicePrincipalId"))
            c.name = try ctx.text(try SourceSupport.member(app, "displayName"))
            c.idtyp = "app"
        }
    }

    static func make(_ c: Claims, account: String) -> Identity {
        let key: String
        if !c.oid.isEmpty {
            key = "azure:" + SourceSupport.lower(c.oid)
        } else if !c.appId.isEmpty {
            key = "azure:app:" + SourceSupport.lower(c.appId)
        } else if !c.upn.isEmpty || !c.caller.isEmpty {
            key = "azure:" + SourceSupport.lower(c.upn.isEmpty ? c.caller : c.upn)
        } else {
            return .unknown
        }
        let person = !c.upn.isEmpty || c.caller.utf8.contains(0x40)
        let type: IdentityType =
            c.idtyp == "app" || (!c.appId.isEmpty && !person) ? .serviceAccount : person ? .user : .unknown
        let mi = c.miResource.isEmpty ? "" : CloudTrail.lastComponent(c.miResource)
        let display = [c.upn, mi, c.name, c.caller, c.appId, c.oid].first { !$0.isEmpty } ?? ""
        return Identity(key: key, type: type, accountId: account, arn: c.miResource, displayName: display)
    }
}

extension AzureActivity {
    /// Resources and parameters (see the type's documentation).
    static func details(
        _ r: Fields, opRaw: String, resourceId: String, category: String, who: AzureIdentity,
        into event: inout Event, _ ctx: inout DecodeContext
    ) throws(JSONError) {
        var p: [String: String] = Dictionary(minimumCapacity: 12)
        var list = ResourceList()
        let op = event.action.operation
        if let secret = keyVaultSecret(resourceId) {
            list.add(.secret, secret)
        } else if let uri = try dataPlaneURI(r, &ctx), let secret = keyVaultSecret(url: uri) {
            list.add(.secret, secret)
        }
        if op.hasSuffix("/listkeys/action"), !resourceId.isEmpty {
            let account = segment(after: "storageaccounts", in: resourceId)
            list.add(.secret, "storageaccounts/" + (account.isEmpty ? resourceId : account) + "/keys")
        }
        if !resourceId.isEmpty { list.add(.other, SourceSupport.bounded(resourceId)) }
        SourceSupport.put(&p, "operationName", opRaw)
        SourceSupport.put(&p, "category", category)
        SourceSupport.put(&p, "resultType", try SourceSupport.valueText(r.resultType, &ctx, max: 32))
        SourceSupport.put(&p, "resultSignature", try SourceSupport.valueText(r.resultSignature, &ctx, max: 64))
        SourceSupport.put(&p, "resourceId", SourceSupport.bounded(resourceId, 1024))
        SourceSupport.put(&p, "correlationId", try ctx.text(r.correlationId, max: 128, intern: false))
        try SourceSupport.putRaw(&p, "properties.requestbody", r.prop(.requestbody), &ctx)
        try SourceSupport.putRaw(&p, "properties.statusCode", r.prop(.statusCode), &ctx)
        try SourceSupport.putRaw(&p, "properties.requestUri", r.prop(.requestUri), &ctx)
        try SourceSupport.putRaw(&p, "properties.targetResources", r.prop(.targetResources), &ctx)
        let evidence = try SourceSupport.member(r.identity, "authorization", "evidence")
        SourceSupport.put(
            &p, "identity.authorization.evidence.role", try ctx.text(try SourceSupport.member(evidence, "role")))
        SourceSupport.put(
            &p, "identity.authorization.evidence.principalType",
            try ctx.text(try SourceSupport.member(evidence, "principalType"), max: 64))
        SourceSupport.put(&p, "claims.appid", who.appId)
        SourceSupport.put(&p, "claims.xms_mirid", who.miResource)
        event.resources = list.items
        event.parameters = p
    }

    /// `v/n` of `…/providers/microsoft.keyvault/vaults/V/secrets/N[/…]`.
    static func keyVaultSecret(_ id: String) -> String? {
        guard SourceSupport.contains(id, "/microsoft.keyvault/vaults/") else { return nil }
        let vault = segment(after: "vaults", in: id)
        let secret = segment(after: "secrets", in: id)
        return vault.isEmpty || secret.isEmpty ? nil : vault + "/" + secret
    }

    /// `v/n` of `https://V.vault.azure.net/secrets/N[/version][?…]` (byte-wise; lower-cased).
    static func keyVaultSecret(url: String) -> String? {
        var u = Array(url.utf8)
        for i in u.indices where u[i] >= 0x41 && u[i] <= 0x5A { u[i] |= 0x20 }
        let scheme: [UInt8] = Array("https://".utf8)
        guard u.count > scheme.count, u[..<scheme.count].elementsEqual(scheme) else { return nil }
        var parts: [ArraySlice<UInt8>] = []
        var i = scheme.count
        while i < u.count, parts.count < 3 {
            var j = i
            while j < u.count, u[j] != 0x2F, u[j] != 0x3F { j += 1 }
            if j > i { parts.append(u[i..<j]) }
            if j < u.count, u[j] == 0x3F { break }
            i = j + 1
        }
        guard parts.count == 3, parts[1].elementsEqual("secrets".utf8) else { return nil }
        let vault = parts[0].prefix { $0 != 0x2E }
        guard !vault.isEmpty, !parts[2].isEmpty else { return nil }
        return String(decoding: vault, as: UTF8.self) + "/" + String(decoding: parts[2], as: UTF8.self)
    }

    /// Key Vault data plane: `properties.id` (the secret's URL), else `properties.requestUri`.
    static func dataPlaneURI(_ r: Fields, _ ctx: inout DecodeContext) throws(JSONError) -> String? {
        for v in [r.prop(.id), r.prop(.requestUri)] {
            guard let v, v.kind == .string, v.stringBytes.starts(with: "https://".utf8) else { continue }
            return try ctx.text(v, max: 1024, intern: false)
        }
        return nil
    }
}
