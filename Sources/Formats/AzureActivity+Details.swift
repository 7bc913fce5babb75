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
            let by = try SourceSupport.member(r.properties, "initiatedBy")
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
        let person = !c.upn.isEmpty || c.caller.contains("@")
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
        let props = r.properties
        let op = event.action.operation
        if let secret = keyVaultSecret(resourceId) {
            list.add(.secret, secret)
        } else if let uri = try dataPlaneURI(props, &ctx), let secret = keyVaultSecret(url: uri) {
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
        try SourceSupport.putRaw(&p, "properties.requestbody", try SourceSupport.member(props, "requestbody"), &ctx)
        try SourceSupport.putRaw(&p, "properties.statusCode", try SourceSupport.member(props, "statusCode"), &ctx)
        try SourceSupport.putRaw(&p, "properties.requestUri", try SourceSupport.member(props, "requestUri"), &ctx)
        try SourceSupport.putRaw(&p, "properties.targetResources", try SourceSupport.member(props, "targetResources"), &ctx)
        let evidence = try SourceSupport.member(r.identity, "authorization", "evidence")
        SourceSupport.put(&p, "identity.authorization.evidence.role", try ctx.text(try SourceSupport.member(evidence, "role")))
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

    /// `v/n` of `https://V.vault.azure.net/secrets/N[/version][?…]`.
    static func keyVaultSecret(url: String) -> String? {
        let l = SourceSupport.lower(url)
        guard let scheme = l.firstRange(of: "://") else { return nil }
        let rest = l[scheme.upperBound...]
        let parts = rest.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count >= 3, parts[1] == "secrets" else { return nil }
        let vault = parts[0].split(separator: ".").first.map(String.init) ?? ""
        let name = parts[2].split(separator: "?").first.map(String.init) ?? ""
        return vault.isEmpty || name.isEmpty ? nil : vault + "/" + name
    }

    /// Key Vault data plane: `properties.id` (the secret's URL), else `properties.requestUri`.
    static func dataPlaneURI(_ props: JSONValue?, _ ctx: inout DecodeContext) throws(JSONError) -> String? {
        for key in [0, 1] {
            let v = key == 0 ? try SourceSupport.member(props, "id") : try SourceSupport.member(props, "requestUri")
            let t = try ctx.text(v, max: 1024, intern: false)
            if t.hasPrefix("https://") { return t }
        }
        return nil
    }
}
