import EventModel

/// Turns a report into an ordered revocation list: plain-text instructions
/// and AWS CLI commands (trailhound never runs them). Every value taken from the
/// logs is attacker-controlled: it is passed as `--name=VALUE` with the value
/// shell-quoted (`ShellWord`), so pasting a block runs nothing but `aws` with
/// each value as one argument; what the logs do not hold is a shell variable
/// the responder sets (`"${NAME:?…}"`), never `<placeholder>` syntax.
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

    static func action(
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
                        "aws iam update-access-key \(o("--user-name", user)) \(o("--access-key-id", a.id)) --status Inactive",
                        "aws iam delete-access-key \(o("--user-name", user)) \(o("--access-key-id", a.id))",
                    ]))
        }
        for c in r.credentials where c.keyKind == .longLived && c.verdict == .stolen && !done.contains(c.accessKeyId) {
            let user = Names.user(c.identity)
            out.append(
                action(
                    .critical, "Deactivate access key \(c.accessKeyId) of user \(user) and issue its owner a new one",
                    c.accessKeyId, "It looks stolen: \(c.reasons.first ?? "").",
                    [
                        "aws iam update-access-key \(o("--user-name", user)) \(o("--access-key-id", c.accessKeyId)) --status Inactive",
                        "aws iam create-access-key \(o("--user-name", user))   # only once the owner's machine is clean",
                    ]))
        }
        return out
    }

    private static func trust(_ r: InvestigationReport) -> [RemediationAction] {
        r.persistence.filter { $0.kind == .roleTrust && $0.status == "active" }.map { a in
            let role = Names.role(a.id)
            var why =
                "Rewritten by \(IdentityName.short(a.createdBy)) at \(Timestamp.format(a.time))\(a.detail.isEmpty ? "" : "; it now " + a.detail)."
            var cmds = [
                "aws iam get-role \(o("--role-name", role)) --query Role.AssumeRolePolicyDocument   # review what it trusts now"
            ]
            if let before = a.previous {
                why +=
                    " The command below puts back the last policy the logs show before that (set at \(Timestamp.format(before.time)), event \(before.eventId))."
                cmds.append(
                    "aws iam update-assume-role-policy \(o("--role-name", role)) \(o("--policy-document", before.document))"
                )
            } else {
                why +=
                    " The logs hold no earlier trust policy of this role: take it from AWS Config (when it records IAM roles) or from the code that deploys the role."
                cmds += [
                    "ROLE_ID=\"$(aws iam get-role \(o("--role-name", role)) --query Role.RoleId --output text)\"",
                    "aws configservice get-resource-config-history --resource-type=AWS::IAM::Role --resource-id=\"$ROLE_ID\" \(o("--later-time", Timestamp.format(a.time - 1000))) --limit=1 --query 'configurationItems[0].configuration' --output text   # assumeRolePolicyDocument is URL-encoded: decode it into a file",
                    "TRUST_FILE=''   # set to the file holding the policy from before \(Timestamp.format(a.time))",
                    "aws iam update-assume-role-policy \(o("--role-name", role)) --policy-document=file://\(ShellWord.required("TRUST_FILE", "set TRUST_FILE first"))",
                ]
            }
            return action(.critical, "Restore the trust policy of role \(role)", a.id, why, cmds)
        }
    }

    private static func users(_ r: InvestigationReport) -> [RemediationAction] {
        var out: [RemediationAction] = []
        let created = r.persistence.filter { $0.kind == .user && $0.status == "active" }
        let createdIds = Set(created.map(\.id))
        for u in created {
            let name = Names.user(u.id)
            var cmds = ["aws iam delete-login-profile \(o("--user-name", name))   # if it has one"]
            for a in r.persistence where a.owner == u.id && a.status == "active" {
                switch a.kind {
                case .userPolicy where a.detail.hasPrefix("inline:"):
                    cmds.append(
                        "aws iam delete-user-policy \(o("--user-name", name)) \(o("--policy-name", String(a.detail.dropFirst(7))))"
                    )
                case .userPolicy:
                    cmds.append("aws iam detach-user-policy \(o("--user-name", name)) \(o("--policy-arn", a.detail))")
                case .accessKey where a.id.hasPrefix("AK"):
                    cmds.append("aws iam delete-access-key \(o("--user-name", name)) \(o("--access-key-id", a.id))")
                case .groupMembership:
                    cmds.append(
                        "aws iam remove-user-from-group \(o("--user-name", name)) \(o("--group-name", String(a.detail.dropFirst(6))))"
                    )
                default: break
                }
            }
            cmds.append("aws iam list-access-keys \(o("--user-name", name))   # delete any other key listed")
            cmds.append("aws iam delete-user \(o("--user-name", name))")
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
                        ["aws iam delete-login-profile \(o("--user-name", name))"]))
            case .userPolicy:
                let cmd =
                    a.detail.hasPrefix("inline:")
                    ? "aws iam delete-user-policy \(o("--user-name", name)) \(o("--policy-name", String(a.detail.dropFirst(7))))"
                    : "aws iam detach-user-policy \(o("--user-name", name)) \(o("--policy-arn", a.detail))"
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
            let stolen = r.credentials.filter { $0.identity == p.identity && $0.verdict == .stolen }
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
                        "aws iam put-role-policy \(o("--role-name", role)) --policy-name AWSRevokeOlderSessions --policy-document=\"\(policy)\""
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
                        "aws ec2 modify-instance-metadata-options \(o("--instance-id", i)) --http-tokens required --http-put-response-hop-limit 1",
                        "ROOT_DEVICE=\"$(aws ec2 describe-instances \(o("--instance-ids", i)) --query 'Reservations[0].Instances[0].RootDeviceName' --output text)\"",
                        "ROOT_VOLUME=\"$(aws ec2 describe-instances \(o("--instance-ids", i)) --query \"Reservations[0].Instances[0].BlockDeviceMappings[?DeviceName=='$ROOT_DEVICE'].Ebs.VolumeId | [0]\" --output text)\"",
                        "aws ec2 create-snapshot --volume-id=\(ShellWord.required("ROOT_VOLUME", "no root volume found")) \(o("--description", "forensic copy of " + i))   # before replacing it",
                    ]))
        }
        return out
    }

    /// Credentials flagged (stolen, new client) or used for a chain step.
    static func attackCredentials(_ r: InvestigationReport) -> Set<String> {
        var out = Set(r.credentials.filter { $0.verdict == .stolen || $0.verdict == .suspicious }.map(\.accessKeyId))
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
                    ? "aws iam delete-role-policy \(o("--role-name", role)) \(o("--policy-name", String(a.detail.dropFirst(7))))"
                    : "aws iam detach-role-policy \(o("--role-name", role)) \(o("--policy-arn", a.detail))"
                out.append(action(.high, "Remove policy \(a.detail) from role \(role)", a.id, by, [cmd]))
            case .role:
                out.append(
                    action(
                        .high, "Delete role \(Names.role(a.id))", a.id,
                        by + (a.detail.isEmpty ? "" : " It " + a.detail + "."),
                        [
                            "aws iam list-attached-role-policies \(o("--role-name", Names.role(a.id)))   # detach each first",
                            "aws iam delete-role \(o("--role-name", Names.role(a.id)))",
                        ]))
            case .policyVersion:
                out.append(
                    action(
                        .high, "Restore the previous default version of policy \(a.id)", a.id, by,
                        [
                            "aws iam list-policy-versions \(o("--policy-arn", a.id))",
                            "PREVIOUS_VERSION=''   # set to the version that was the default before \(Timestamp.format(a.time)) (v1, v2, …)",
                            "aws iam set-default-policy-version \(o("--policy-arn", a.id)) --version-id=\(ShellWord.required("PREVIOUS_VERSION", "set PREVIOUS_VERSION first"))",
                        ]))
            case .function, .functionCode:
                out.append(
                    action(
                        .high, "Delete or restore Lambda function \(a.id)", a.id, by,
                        [
                            "aws lambda get-function \(o("--function-name", a.id))   # keep the code as evidence",
                            a.kind == .function
                                ? "aws lambda delete-function \(o("--function-name", a.id))"
                                : "aws lambda update-function-code \(o("--function-name", a.id)) --zip-file fileb://known-good.zip",
                        ]))
            case .functionURL:
                out.append(
                    action(
                        .high, "Remove the public URL of function \(a.id)", a.id, by,
                        ["aws lambda delete-function-url-config \(o("--function-name", a.id))"]))
            case .functionPermission:
                // id is `function|statement`; the function is the owner (either may hold a `|`).
                let sid = String(a.id.dropFirst(a.owner.count + 1))
                out.append(
                    action(
                        .high, "Remove permission \(sid) from function \(a.owner)", a.id, by,
                        ["aws lambda remove-permission \(o("--function-name", a.owner)) \(o("--statement-id", sid))"]))
            case .layer:
                out.append(
                    action(
                        .high, "Delete Lambda layer \(a.id) and check which functions use it", a.id, by,
                        [
                            "aws lambda list-layer-versions \(o("--layer-name", a.id))",
                            "LAYER_VERSION=''   # set to each version number listed above, in turn",
                            "aws lambda delete-layer-version \(o("--layer-name", a.id)) --version-number=\(ShellWord.required("LAYER_VERSION", "set LAYER_VERSION first"))",
                        ]))
            case .instance:
                out.append(
                    action(
                        .medium, "Terminate instance \(a.id)\(a.detail.isEmpty ? "" : " (" + a.detail + ")")", a.id, by,
                        ["aws ec2 terminate-instances \(o("--instance-ids", a.id))"]))
            case .keyPair:
                // id is `region|name`; the name is the owner, the region the detail.
                out.append(
                    action(
                        .medium, "Delete key pair \(a.owner)", a.id, by,
                        ["aws ec2 delete-key-pair \(o("--region", a.detail)) \(o("--key-name", a.owner))"]))
            case .securityGroupRule:
                out.append(
                    action(
                        .medium,
                        "Revoke the ingress rule added to \(a.id)\(a.detail.isEmpty ? "" : " (" + a.detail + ")")",
                        a.id, by,
                        [
                            "aws ec2 describe-security-group-rules \(o("--filters", #"[{"Name":"group-id","Values":["# + JSONText.quote(a.id) + "]}]"))   # find the rule added at \(Timestamp.format(a.time))",
                            "RULE_ID=''   # set to the rule's id (sgr-…) from the list above",
                            "aws ec2 revoke-security-group-ingress \(o("--group-id", a.id)) --security-group-rule-ids=\(ShellWord.required("RULE_ID", "set RULE_ID to the rule id first"))",
                        ]))
            case .sshKey, .serviceAccountKey, .roleAssignment:
                out.append(action(.high, "Remove \(a.kind.label) \(a.id)", a.id, by, []))
            default: break
            }
        }
        return out
    }

    static func capped(_ cmds: [String]) -> [String] {
        cmds.count <= 50 ? cmds : Array(cmds.prefix(50)) + ["# and \(cmds.count - 50) more (see the JSON report)"]
    }

    /// `--name=VALUE`, the value shell-quoted (see `ShellWord`).
    static func o(_ name: String, _ value: String) -> String { ShellWord.option(name, value) }
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
