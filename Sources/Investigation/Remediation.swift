import EventModel

/// Turns a report into an ordered revocation list: plain-text instructions
/// and AWS CLI commands (trailhound never runs them). Arguments taken from the
/// logs are shell-quoted: they are attacker-controlled.
enum Remediation {
    /// Actions, most urgent first; empty when the verdict is quiet.
    static func plan(_ r: InvestigationReport) -> [RemediationAction] {
        guard r.verdict != .quiet else { return [] }
        var out: [RemediationAction] = []
        out += keys(r)
        out += trust(r)
        out += users(r)
        out += sessions(r)
        out += otherPersistence(r)
        out += secrets(r)
        let ordered = out.enumerated().sorted { ($1.element.risk, $0.offset) < ($0.element.risk, $1.offset) }.map(
            \.element)
        return ordered.enumerated().map { i, a in
            var a = a
            a.order = i + 1
            return a
        }
    }

    private static func action(
        _ risk: Severity, _ text: String, _ target: String, _ reason: String, _ commands: [String]
    )
        -> RemediationAction
    {
        RemediationAction(order: 0, risk: risk, action: text, target: target, reason: reason, commands: commands)
    }

    private static func keys(_ r: InvestigationReport) -> [RemediationAction] {
        var out: [RemediationAction] = []
        var done: Set<String> = []
        for a in r.persistence where a.kind == .accessKey && a.status != "removed" && a.id.hasPrefix("AK") {
            done.insert(a.id)
            let user = Names.user(a.owner)
            out.append(
                action(
                    .critical, "Deactivate, then delete, access key \(a.id) of user \(user)", a.id,
                    "Created by \(IdentityName.short(a.createdBy)) at \(Timestamp.format(a.time)); still \(a.status).",
                    [
                        "aws iam update-access-key --user-name \(sh(user)) --access-key-id \(sh(a.id)) --status Inactive",
                        "aws iam delete-access-key --user-name \(sh(user)) --access-key-id \(sh(a.id))",
                    ]))
        }
        for c in r.credentials where c.keyKind == .longLived && c.verdict == "stolen" && !done.contains(c.accessKeyId) {
            let user = Names.user(c.identity)
            out.append(
                action(
                    .critical, "Deactivate access key \(c.accessKeyId) of user \(user) and issue its owner a new one",
                    c.accessKeyId, "It looks stolen: \(c.reasons.first ?? "").",
                    [
                        "aws iam update-access-key --user-name \(sh(user)) --access-key-id \(sh(c.accessKeyId)) --status Inactive",
                        "aws iam create-access-key --user-name \(sh(user))   # only once the owner's machine is clean",
                    ]))
        }
        return out
    }

    private static func trust(_ r: InvestigationReport) -> [RemediationAction] {
        r.persistence.filter { $0.kind == .roleTrust && $0.status == "active" }.map { a in
            let role = Names.role(a.id)
            return action(
                .critical, "Restore the trust policy of role \(role)", a.id,
                "Rewritten by \(IdentityName.short(a.createdBy)) at \(Timestamp.format(a.time))\(a.detail.isEmpty ? "" : "; it now " + a.detail).",
                [
                    "aws iam get-role --role-name \(sh(role)) --query Role.AssumeRolePolicyDocument   # review what it trusts now",
                    "aws iam update-assume-role-policy --role-name \(sh(role)) --policy-document file://\(sh(role))-trust-before.json",
                ])
        }
    }

    private static func users(_ r: InvestigationReport) -> [RemediationAction] {
        var out: [RemediationAction] = []
        let created = r.persistence.filter { $0.kind == .user && $0.status == "active" }
        let createdIds = Set(created.map(\.id))
        for u in created {
            let name = Names.user(u.id)
            var cmds = ["aws iam delete-login-profile --user-name \(sh(name))   # if it has one"]
            for a in r.persistence where a.owner == u.id && a.status == "active" {
                switch a.kind {
                case .userPolicy where a.detail.hasPrefix("inline:"):
                    cmds.append(
                        "aws iam delete-user-policy --user-name \(sh(name)) --policy-name \(sh(String(a.detail.dropFirst(7))))"
                    )
                case .userPolicy:
                    cmds.append("aws iam detach-user-policy --user-name \(sh(name)) --policy-arn \(sh(a.detail))")
                case .accessKey where a.id.hasPrefix("AK"):
                    cmds.append("aws iam delete-access-key --user-name \(sh(name)) --access-key-id \(sh(a.id))")
                case .groupMembership:
                    cmds.append(
                        "aws iam remove-user-from-group --user-name \(sh(name)) --group-name \(sh(String(a.detail.dropFirst(6))))"
                    )
                default: break
                }
            }
            cmds.append("aws iam list-access-keys --user-name \(sh(name))   # delete any other key listed")
            cmds.append("aws iam delete-user --user-name \(sh(name))")
            out.append(
                action(
                    .critical, "Delete user \(name)", u.id,
                    "Created by \(IdentityName.short(u.createdBy)) at \(Timestamp.format(u.time)).", cmds))
        }
        for a in r.persistence where a.status == "active" && !createdIds.contains(a.owner) {
            let name = Names.user(a.owner)
            switch a.kind {
            case .loginProfile:
                out.append(
                    action(
                        .high, "Remove the console password set on user \(name)", a.id,
                        "Set by \(IdentityName.short(a.createdBy)) at \(Timestamp.format(a.time)).",
                        ["aws iam delete-login-profile --user-name \(sh(name))"]))
            case .userPolicy:
                let cmd =
                    a.detail.hasPrefix("inline:")
                    ? "aws iam delete-user-policy --user-name \(sh(name)) --policy-name \(sh(String(a.detail.dropFirst(7))))"
                    : "aws iam detach-user-policy --user-name \(sh(name)) --policy-arn \(sh(a.detail))"
                out.append(
                    action(
                        .high, "Remove policy \(a.detail) from user \(name)", a.id,
                        "Added by \(IdentityName.short(a.createdBy)) at \(Timestamp.format(a.time)).", [cmd]))
            default: break
            }
        }
        return out
    }

    private static func sessions(_ r: InvestigationReport) -> [RemediationAction] {
        var out: [RemediationAction] = []
        var roles: [(String, String)] = []
        for p in r.principals where p.type == .assumedRole || p.identity.contains(":role/") {
            let stolen = r.credentials.filter { $0.identity == p.identity && $0.verdict == "stolen" }
            if p.depth > 0, let via = p.via, via.kind == .assumedRole {
                roles.append(
                    (
                        p.identity,
                        "Session \(via.credential.isEmpty ? via.sessionName : via.credential) was opened by \(IdentityName.short(via.from)) at \(Timestamp.format(via.time))"
                    ))
            } else if let c = stolen.first {
                roles.append((p.identity, "Session key \(c.accessKeyId) looks stolen: \(c.reasons.first ?? "")"))
            } else if p.depth == 0 && r.verdict == .compromised {
                let used = attackCredentials(r).filter { k in
                    r.credentials.contains { $0.accessKeyId == k && $0.identity == p.identity }
                }
                roles.append(
                    (
                        p.identity,
                        used.isEmpty
                            ? "The investigated role looks compromised"
                            : "Session \(Lists.join(used.sorted(), max: 3)) was used in the attack"
                    ))
            }
        }
        for (arn, why) in roles {
            let role = Names.role(arn)
            let policy =
                #"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\"}}}]}"#
            out.append(
                action(
                    .high, "Revoke every session of role \(role) issued before now", arn,
                    "\(why). Sessions stay valid until they expire (up to 12 hours) unless revoked.",
                    [
                        "aws iam put-role-policy --role-name \(sh(role)) --policy-name AWSRevokeOlderSessions --policy-document \"\(policy)\""
                    ]))
        }
        let attack = attackCredentials(r)
        let instances = Set(
            r.credentials.filter { !$0.instanceId.isEmpty && attack.contains($0.accessKeyId) }.map(\.instanceId))
        for i in instances.sorted() {
            out.append(
                action(
                    .high, "Isolate and rebuild instance \(i)", i,
                    "Its instance-profile credentials were misused; whatever ran there (an app vulnerability, a web shell) can fetch new ones from the metadata service.",
                    [
                        "aws ec2 modify-instance-metadata-options --instance-id \(sh(i)) --http-tokens required --http-put-response-hop-limit 1",
                        "aws ec2 create-snapshot --volume-id <root volume of \(i)> --description forensic   # before replacing it",
                    ]))
        }
        return out
    }

    /// Credentials flagged (stolen, new client) or used for a chain step.
    static func attackCredentials(_ r: InvestigationReport) -> Set<String> {
        var out = Set(r.credentials.filter { $0.verdict == "stolen" || $0.verdict == "suspicious" }.map(\.accessKeyId))
        for e in r.chain where !e.fromCredential.isEmpty { out.insert(e.fromCredential) }
        out.remove("")
        return out
    }

    private static func otherPersistence(_ r: InvestigationReport) -> [RemediationAction] {
        var out: [RemediationAction] = []
        for a in r.persistence where a.status == "active" {
            let by = "Created by \(IdentityName.short(a.createdBy)) at \(Timestamp.format(a.time))."
            switch a.kind {
            case .rolePolicy:
                let role = Names.role(a.owner)
                let cmd =
                    a.detail.hasPrefix("inline:")
                    ? "aws iam delete-role-policy --role-name \(sh(role)) --policy-name \(sh(String(a.detail.dropFirst(7))))"
                    : "aws iam detach-role-policy --role-name \(sh(role)) --policy-arn \(sh(a.detail))"
                out.append(action(.high, "Remove policy \(a.detail) from role \(role)", a.id, by, [cmd]))
            case .role:
                out.append(
                    action(
                        .high, "Delete role \(Names.role(a.id))", a.id,
                        by + (a.detail.isEmpty ? "" : " It " + a.detail + "."),
                        [
                            "aws iam list-attached-role-policies --role-name \(sh(Names.role(a.id)))   # detach each first",
                            "aws iam delete-role --role-name \(sh(Names.role(a.id)))",
                        ]))
            case .policyVersion:
                out.append(
                    action(
                        .high, "Restore the previous default version of policy \(a.id)", a.id, by,
                        [
                            "aws iam list-policy-versions --policy-arn \(sh(a.id))",
                            "aws iam set-default-policy-version --policy-arn \(sh(a.id)) --version-id <previous version>",
                        ]))
            case .function, .functionCode:
                out.append(
                    action(
                        .high, "Delete or restore Lambda function \(a.id)", a.id, by,
                        [
                            "aws lambda get-function --function-name \(sh(a.id))   # keep the code as evidence",
                            a.kind == .function
                                ? "aws lambda delete-function --function-name \(sh(a.id))"
                                : "aws lambda update-function-code --function-name \(sh(a.id)) --zip-file fileb://known-good.zip",
                        ]))
            case .functionURL:
                out.append(
                    action(
                        .high, "Remove the public URL of function \(a.id)", a.id, by,
                        ["aws lambda delete-function-url-config --function-name \(sh(a.id))"]))
            case .functionPermission:
                let parts = a.id.split(separator: "|", maxSplits: 1).map(String.init)
                out.append(
                    action(
                        .high, "Remove permission \(parts.last ?? "") from function \(parts.first ?? "")", a.id, by,
                        [
                            "aws lambda remove-permission --function-name \(sh(parts.first ?? "")) --statement-id \(sh(parts.last ?? ""))"
                        ]))
            case .layer:
                out.append(
                    action(
                        .high, "Delete Lambda layer \(a.id) and check which functions use it", a.id, by,
                        [
                            "aws lambda list-layer-versions --layer-name \(sh(a.id))",
                            "aws lambda delete-layer-version --layer-name \(sh(a.id)) --version-number <each version>",
                        ]))
            case .instance:
                out.append(
                    action(
                        .medium, "Terminate instance \(a.id)\(a.detail.isEmpty ? "" : " (" + a.detail + ")")", a.id, by,
                        ["aws ec2 terminate-instances --instance-ids \(sh(a.id))"]))
            case .keyPair:
                let parts = a.id.split(separator: "|", maxSplits: 1).map(String.init)
                out.append(
                    action(
                        .medium, "Delete key pair \(parts.last ?? "")", a.id, by,
                        ["aws ec2 delete-key-pair --region \(sh(parts.first ?? "")) --key-name \(sh(parts.last ?? ""))"]
                    ))
            case .securityGroupRule:
                out.append(
                    action(
                        .medium,
                        "Revoke the ingress rule added to \(a.id)\(a.detail.isEmpty ? "" : " (" + a.detail + ")")",
                        a.id, by,
                        [
                            "aws ec2 describe-security-group-rules --filters Name=group-id,Values=\(sh(a.id))",
                            "aws ec2 revoke-security-group-ingress --group-id \(sh(a.id)) --security-group-rule-ids <rule id>",
                        ]))
            case .sshKey, .serviceAccountKey, .roleAssignment:
                out.append(action(.high, "Remove \(a.kind.label) \(a.id)", a.id, by, []))
            default: break
            }
        }
        return out
    }

    private static func secrets(_ r: InvestigationReport) -> [RemediationAction] {
        var out: [RemediationAction] = []
        let read = r.reads.filter { $0.count > 0 && !$0.viaService }
        for (first, risk) in [(true, Severity.high), (false, Severity.medium)] {
            let secrets = read.filter { $0.kind == .secret && ($0.firstTime == true) == first }
            if !secrets.isEmpty {
                let ids = Array(Set(secrets.map(\.resource))).sorted()
                out.append(
                    action(
                        risk, "Rotate \(ids.count) secret(s)\(first ? " read for the first time" : "")",
                        ids.count == 1 ? ids[0] : "\(ids.count) secrets",
                        first
                            ? "Read by the investigated identities in the window; they had never read them before."
                            : "Read in the window with credentials that may be in other hands.",
                        capped(ids.map { "aws secretsmanager rotate-secret --secret-id \(sh($0))" })))
            }
            let params = read.filter { $0.kind == .parameter && ($0.firstTime == true) == first }
            if !params.isEmpty {
                let ids = Array(Set(params.map(\.resource))).sorted()
                out.append(
                    action(
                        risk,
                        "Change the value of \(ids.count) SSM parameter(s)\(first ? " read for the first time" : "")",
                        ids.count == 1 ? ids[0] : "\(ids.count) parameters",
                        "Parameters (and paths) read in the window; a path read with GetParametersByPath exposes every parameter under it.",
                        capped(
                            ids.map { id in
                                id.hasPrefix("/")
                                    && params.contains {
                                        $0.resource == id && $0.apis.contains("ssm:GetParametersByPath")
                                    }
                                    ? "aws ssm get-parameters-by-path --path \(sh(id)) --recursive --query 'Parameters[].Name'   # rotate each"
                                    : "aws ssm put-parameter --name \(sh(id)) --type SecureString --overwrite --value '<new value>'"
                            })))
            }
        }
        let buckets = Dictionary(grouping: read.filter { $0.kind == .object }) {
            String($0.resource.split(separator: "/", maxSplits: 1).first ?? "")
        }
        for (bucket, objects) in buckets.sorted(by: { $0.key < $1.key }) {
            out.append(
                action(
                    .medium, "Assess the exposure of \(objects.count) object(s) read from bucket \(bucket)", bucket,
                    "Object reads in the window; data may have left the account (notify data owners if it holds personal data).",
                    [
                        "aws s3api get-bucket-policy --bucket \(sh(bucket))   # and block public access / narrow the policy"
                    ]))
        }
        return out
    }

    private static func capped(_ cmds: [String]) -> [String] {
        cmds.count <= 50 ? cmds : Array(cmds.prefix(50)) + ["# and \(cmds.count - 50) more (see the JSON report)"]
    }

    /// `s` as one shell word: unchanged when it only has safe characters, single-quoted otherwise.
    static func sh(_ s: String) -> String {
        let safe =
            !s.isEmpty
            && s.unicodeScalars.allSatisfy {
                ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
                    || "_./:@+=,-".unicodeScalars.contains($0)
            }
        return safe ? s : "'" + s.replacingOccurrences("'", "'\\''") + "'"
    }
}

/// Names from ARNs for CLI arguments.
enum Names {
    /// `alice` for `arn:aws:iam::1:user/path/alice`.
    static func user(_ arn: String) -> String { last(arn) }
    /// `web` for `arn:aws:iam::1:role/path/web`.
    static func role(_ arn: String) -> String { last(arn) }

    private static func last(_ arn: String) -> String {
        let res = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).last.map(String.init) ?? arn
        return res.split(separator: "/").last.map(String.init) ?? res
    }
}

extension String {
    /// Replaces every occurrence of `a` by `b` (no Foundation).
    func replacingOccurrences(_ a: String, _ b: String) -> String {
        guard !a.isEmpty else { return self }
        return self.split(separator: a, omittingEmptySubsequences: false).joined(separator: b)
    }
}
