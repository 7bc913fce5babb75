import ByteJSON
import EventModel

/// Resources: every `resources[].ARN` (kind from the ARN's service and resource type),
/// plus identifiers from `requestParameters` for the services detectors care about:
/// - secretsmanager: `secretId`, `name`, `secretIdList[]` → secret
/// - ssm (operations on parameters): `name`, `names[]`, `path` → parameter
/// - kms: `keyId` → kms_key
/// - s3: `bucketName` → bucket, `key` → object `bucket/key`
/// - sts `AssumeRole*`: `roleArn` → role
/// - iam: `userName` → user, `roleName` → role, `policyArn` → policy, `accessKeyId` → access_key
/// - lambda: `functionName` → function, `layers[]` / `layerName` → layer
/// - cloudtrail: `name`, `trailName` → trail
/// - guardduty: `detectorId` → detector
/// - ec2: `instanceId` → instance (e.g. GetPasswordData); RunInstances response
///   `instancesSet.items[].instanceId` → instance
/// - logs: `logGroupName` → log_group
/// At most `Limits.maxResources`, duplicates dropped, ids bounded to `Limits.maxIdentifier`.
struct ResourceList {
    private(set) var items: [Resource] = []
    /// S3 object key seen before (or without) its bucket.
    var pendingObjectKey = ""
    var bucket = ""

    /// Adds a resource under its canonical id (`Resource.canonicalID`: one name whether named by ARN or by name).
    mutating func add(_ kind: ResourceKind, _ raw: String) {
        guard !raw.isEmpty, items.count < Limits.maxResources else { return }
        let id = Resource.canonicalID(kind, raw)
        for r in items where r.kind == kind && r.id == id { return }
        items.append(Resource(kind: kind, id: id))
    }

    /// Resolves the S3 object once both bucket and key are known.
    mutating func finish() {
        if !pendingObjectKey.isEmpty, !bucket.isEmpty { add(.object, bucket + "/" + pendingObjectKey) }
    }
}

extension CloudTrail {
    /// Kind of resource named by an ARN, read from its bytes (slicing the string cost about 3,900
    /// instructions per resource). The parts are split at ASCII colons and compared with ASCII
    /// names and prefixes, which bytes decide as characters would; only `arn:` followed by a
    /// combining mark differs (no prefix as characters), so non-ASCII text is checked for that.
    static func resourceKind(arn: String) -> ResourceKind {
        var text = arn
        return text.withUTF8 { u in
            if u.contains(where: { $0 >= 0x80 }), !arn.hasPrefix("arn:") { return .other }
            return resourceKind(arnBytes: u)
        }
    }

    /// `resourceKind` over the ARN's bytes (`arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`).
    private static func resourceKind(arnBytes u: UnsafeBufferPointer<UInt8>) -> ResourceKind {
        guard u.starts(with: "arn:".utf8) else { return .other }
        // Colons after the partition, service, region and account; the resource may hold more.
        func colon(after i: Int) -> Int? { u[i...].firstIndex(of: 0x3A) }
        guard let c0 = colon(after: 4), let c1 = colon(after: c0 + 1), let c2 = colon(after: c1 + 1),
            let c3 = colon(after: c2 + 1)
        else { return .other }
        let service = UnsafeBufferPointer(rebasing: u[(c0 + 1)..<c1])
        let res = UnsafeBufferPointer(rebasing: u[(c3 + 1)...])
        func named(_ s: StaticString) -> Bool {
            service.elementsEqual(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
        }
        func starts(_ s: StaticString) -> Bool {
            res.starts(with: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
        }
        if named("secretsmanager") { return starts("secret:") ? .secret : .other }
        if named("ssm") { return starts("parameter/") ? .parameter : .other }
        if named("kms") { return starts("key/") || starts("alias/") ? .kmsKey : .other }
        if named("s3") { return res.contains(0x2F) ? .object : res.contains(0x3A) ? .other : .bucket }
        if named("iam") {
            return starts("role/") ? .role : starts("user/") ? .user : starts("policy/") ? .policy : .other
        }
        if named("lambda") { return starts("function:") ? .function : starts("layer:") ? .layer : .other }
        if named("cloudtrail") { return starts("trail/") ? .trail : .other }
        if named("ec2") { return starts("instance/") ? .instance : .other }
        if named("logs") { return starts("log-group:") ? .logGroup : .other }
        if named("guardduty") { return starts("detector/") ? .detector : .other }
        return .other
    }

    /// `resources[]` entries (`{"ARN": …, "type": …}`).
    static func listedResources(_ v: JSONValue?, into list: inout ResourceList, _ ctx: inout DecodeContext)
        throws(JSONError)
    {
        guard let v, v.kind == .array else { return }
        var it = v.elements()
        while let e = try it.next(), list.items.count < Limits.maxResources {
            guard e.kind == .object else { continue }
            var m = e.members()
            while let f = try m.next() {
                if f.key == "ARN" || f.key == "arn" {
                    let arn = try ctx.text(f.value)
                    list.add(resourceKind(arn: arn), arn)
                }
            }
        }
    }

    /// Resource named by one `requestParameters` member, by service and key.
    static func requestResource(
        service: String, operation: String, _ m: JSONMember, into list: inout ResourceList,
        _ ctx: inout DecodeContext
    ) throws(JSONError) {
        let k = m.key
        let v = m.value
        switch service {
        case "secretsmanager":
            if k == "secretId" || k == "name" { list.add(.secret, try ctx.text(v)) }
            if k == "secretIdList" { try addEach(v, .secret, &list, &ctx) }
        case "ssm" where operation.contains("Parameter"):
            if k == "name" || k == "path" { list.add(.parameter, try ctx.text(v)) }
            if k == "names" { try addEach(v, .parameter, &list, &ctx) }
        case "kms":
            if k == "keyId" { list.add(.kmsKey, try ctx.text(v)) }
        case "s3":
            if k == "bucketName" {
                list.bucket = try ctx.text(v)
                list.add(.bucket, list.bucket)
            } else if k == "key" {
                list.pendingObjectKey = try ctx.text(v)
            }
        case "sts" where operation.hasPrefix("AssumeRole"):
            if k == "roleArn" { list.add(.role, try ctx.text(v)) }
        case "iam":
            if k == "userName" { list.add(.user, try ctx.text(v)) }
            if k == "roleName" { list.add(.role, try ctx.text(v)) }
            if k == "policyArn" { list.add(.policy, try ctx.text(v)) }
            if k == "accessKeyId" { list.add(.accessKey, try ctx.text(v)) }
        case "lambda":
            if k == "functionName" { list.add(.function, try ctx.text(v)) }
            if k == "layerName" { list.add(.layer, try ctx.text(v)) }
            if k == "layers" { try addEach(v, .layer, &list, &ctx) }
        case "cloudtrail":
            if k == "name" || k == "trailName" { list.add(.trail, try ctx.text(v)) }
        case "guardduty":
            if k == "detectorId" { list.add(.detector, try ctx.text(v)) }
        case "ec2":
            if k == "instanceId" { list.add(.instance, try ctx.text(v)) }
        case "logs":
            if k == "logGroupName" { list.add(.logGroup, try ctx.text(v)) }
        default:
            break
        }
    }

    /// Each string element of an array.
    static func addEach(
        _ v: JSONValue, _ kind: ResourceKind, _ list: inout ResourceList, _ ctx: inout DecodeContext
    ) throws(JSONError) {
        var it = v.elements()
        while let e = try it.next(), list.items.count < Limits.maxResources {
            if e.kind == .string { list.add(kind, try ctx.text(e)) }
        }
    }

    /// RunInstances: `responseElements.instancesSet.items[].instanceId`.
    static func launchedInstances(_ v: JSONValue, into list: inout ResourceList, _ ctx: inout DecodeContext)
        throws(JSONError)
    {
        guard let items = try v.member("items") else { return }
        var it = items.elements()
        while let e = try it.next(), list.items.count < Limits.maxResources {
            if let id = try e.member("instanceId") { list.add(.instance, try ctx.text(id)) }
        }
    }
}
