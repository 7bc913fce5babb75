import EventModel

/// What to rotate and assess after reads of secrets, parameters and objects: first-time
/// reads first, routine reads (seen before the window) last and marked low priority.
extension Remediation {
    /// How a read compares with the identity's baseline, most urgent first.
    enum ReadTier: Int, CaseIterable {
        /// Never read before the window.
        case firstTime
        /// No baseline to compare with.
        case unknown
        /// Read routinely before the window: not a sign of theft by itself.
        case routine

        init(_ firstTime: Bool?) { self = firstTime == true ? .firstTime : firstTime == false ? .routine : .unknown }

        var risk: Severity { [.high, .medium, .low][rawValue] }
        var suffix: String { ["read for the first time", "", "read before the incident: low priority"][rawValue] }
        var why: String {
            [
                "Read by the investigated identities in the window; they had never read them before.",
                "Read in the window with credentials that may be in other hands; no baseline tells whether they were read before.",
                "The identity read them before the window too (its baseline), so this read is no sign of theft by itself; rotate them after the first-time reads if the credentials were stolen.",
            ][rawValue]
        }
    }

    /// Each resource of a kind in its most urgent tier (a resource read by two identities counts once).
    static func tiers(_ reads: [ReadReport]) -> [ReadTier: [String]] {
        var best: [String: ReadTier] = [:]
        for x in reads {
            let t = ReadTier(x.firstTime)
            if let b = best[x.resource], b.rawValue <= t.rawValue { continue }
            best[x.resource] = t
        }
        return Dictionary(grouping: best.keys.sorted()) { best[$0]! }
    }

    static func secrets(_ r: InvestigationReport) -> [RemediationAction] {
        var out: [RemediationAction] = []
        let read = r.reads.filter { $0.count > 0 && !$0.viaService }
        let secrets = tiers(read.filter { $0.kind == .secret })
        let params = read.filter { $0.kind == .parameter }
        let paramTiers = tiers(params)
        for tier in ReadTier.allCases {
            if let ids = secrets[tier] {
                out.append(
                    action(
                        tier.risk, "Rotate \(ids.count) secret(s)\(tier.suffix.isEmpty ? "" : " " + tier.suffix)",
                        ids.count == 1 ? ids[0] : "\(ids.count) secrets", tier.why,
                        capped(ids.map { "aws secretsmanager rotate-secret \(o("--secret-id", $0))" })))
            }
            if let ids = paramTiers[tier] {
                out.append(
                    action(
                        tier.risk,
                        "Change the value of \(ids.count) SSM parameter(s)\(tier.suffix.isEmpty ? "" : " " + tier.suffix)",
                        ids.count == 1 ? ids[0] : "\(ids.count) parameters",
                        tier.why
                            + " A path read with GetParametersByPath exposes every parameter under it. Each parameter keeps the type the logs show it was written with; where they do not show it, --type is left out (Parameter Store needs it only to create a parameter).",
                        capped(ids.flatMap { id in parameterCommands(id, params.filter { $0.resource == id }) })))
            }
        }
        let buckets = Dictionary(grouping: read.filter { $0.kind == .object }) {
            String($0.resource.split(separator: "/", maxSplits: 1).first ?? "")
        }
        for (bucket, objects) in buckets.sorted(by: { $0.key < $1.key }) {
            let routine = objects.allSatisfy { $0.firstTime == false }
            let count = Set(objects.map(\.resource)).count
            out.append(
                action(
                    routine ? .low : .medium,
                    "Assess the exposure of \(count) object(s) read from bucket \(bucket)\(routine ? ", " + ReadTier.routine.suffix : "")",
                    bucket,
                    routine
                        ? "The identity read this bucket before the window too (its baseline); objects are judged by their bucket, so check whether these keys are the usual ones."
                        : "Object reads in the window; data may have left the account (notify data owners if it holds personal data).",
                    [
                        "aws s3api get-bucket-policy \(o("--bucket", bucket))   # and block public access / narrow the policy"
                    ]))
        }
        return out
    }

    /// Commands that change a parameter's value without changing its type or key.
    static func parameterCommands(_ id: String, _ reads: [ReadReport]) -> [String] {
        let newValue = ShellWord.required("NEW_VALUE", "set NEW_VALUE to the new value first")
        if id.hasPrefix("/"), reads.contains(where: { $0.apis.contains("ssm:GetParametersByPath") }) {
            return [
                "aws ssm get-parameters-by-path \(o("--path", id)) --recursive --query 'Parameters[].[Name,Type]'   # rotate each, keeping its type"
            ]
        }
        let type = reads.map(\.parameterType).first { !$0.isEmpty } ?? ""
        let key = reads.map(\.parameterKeyId).first { !$0.isEmpty } ?? ""
        if type.isEmpty {
            return [
                "aws ssm get-parameter \(o("--name", id)) --query Parameter.Type --output text   # its type is not in the logs",
                "aws ssm put-parameter \(o("--name", id)) --overwrite --value=\(newValue)   # no --type: an update keeps the type",
            ]
        }
        var cmd = "aws ssm put-parameter \(o("--name", id)) \(o("--type", type))"
        if !key.isEmpty { cmd += " " + o("--key-id", key) }
        cmd += " --overwrite --value=\(newValue)"
        if type == "SecureString" && key.isEmpty {
            cmd +=
                "   # add --key-id=… if it is encrypted with a customer-managed KMS key (aws ssm describe-parameters)"
        }
        return [cmd]
    }
}
