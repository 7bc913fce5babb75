import Foundation
import TestSupport
import Testing

/// The commands of `investigate`'s "What to do" are pasted into a shell by a responder, and
/// every name in them comes from a log the attacker wrote to. These tests put hostile text in
/// every log field that reaches a command, build the report with the real binary, take every
/// command out of the Markdown, and run each block with bash under a stub `aws` that records
/// its arguments: nothing else may run, no file may appear, every value must arrive whole.
@Suite("Remediation commands are safe to paste", .serialized) struct RemediationShellTests {
    /// Hostile shapes; `T` is replaced by a tag naming the field (`zqNN`).
    static let payloads: [String] = [
        "T$(touch PWNED)", "T`touch PWNED`", "T'; touch PWNED; echo '", "T\"; touch PWNED; echo \"",
        "T\ntouch PWNED\n", "T;touch PWNED", "T|touch PWNED", "T&touch PWNED&", "--T --debug", "-T",
        "T with  spaces\tand a tab", "T-ünïcødé-名前-🙂", "T>PWNED", "T${IFS}*?[a]~!!$HOME#x", "~T",
        "T\\\\x\\n'\\''", "T\u{202E}gnp.exe", "$(touch PWNED)T", "T\r\u{1B}[2Jcleared", "T<PWNED",
    ]

    @Test(arguments: payloads.indices) func everyLogValueArrivesAsOneArgument(_ index: Int) throws {
        let scene = HostileScene(payload: Self.payloads[index])
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let trail = dir.appendingPathComponent("trail.json")
        try CloudTrailRecord.file(scene.records()).write(to: trail)
        var blocks: [[String]] = []
        for target in [scene.webRole, scene.thief] {
            let r = try Repository.run([
                "investigate", target, trail.path, "--from", "2026-03-10", "--to", "2026-03-10", "--detectors",
                "detectors", "--format", "md", "--quiet",
            ])
            #expect(r.status == 0, "\(r.stderr)")
            blocks += Shell.commandBlocks(r.stdout)
        }
        let run = try Shell.runBlocks(blocks)
        #expect(run.unexpected.isEmpty, "commands other than aws ran: \(run.unexpected)")
        #expect(run.createdFiles.isEmpty, "files appeared: \(run.createdFiles)")
        #expect(run.stderr.isEmpty, "\(run.stderr)")
        #expect(run.calls.count == blocks.joined().map(Shell.awsCalls).reduce(0, +))
        var arrived: Set<String> = []
        for call in run.calls {
            for arg in call where arg.contains("zq") {
                let whole = scene.values.first { Shell.carries(arg, $0.value) }
                #expect(whole != nil, "an argument carries part of a value: \(arg.debugDescription) in \(call)")
                if let whole { arrived.insert(whole.key) }
            }
        }
        #expect(Set(scene.values.keys).subtracting(arrived).sorted() == [], "fields that reached no command")
    }
}

/// An intrusion whose every name is hostile: a stolen instance-profile session of `web` reads
/// a secret, a parameter and an object, assumes a role and plants persistence of every kind;
/// a stolen long-lived key of a user is used from outside.
struct HostileScene {
    let payload: String
    /// Field name → the value it must arrive as.
    var values: [String: String] = [:]

    init(payload: String) {
        self.payload = payload
        let names = [
            "instance", "secret", "parameter", "bucket", "role", "user", "key", "userPolicyArn", "userPolicyName",
            "group", "otherUser", "otherPolicyArn", "trustRole", "newRole", "rolePolicyName", "policyArn", "function",
            "codeFunction", "statement", "urlFunction", "layer", "runInstance", "keyName", "region", "groupId",
            "thiefKey", "thiefUser", "trustSid", "trustRole2",
        ]
        for (i, n) in names.enumerated() { values[n] = Self.fill(payload, tag: String(format: "zq%02d", i)) }
        values["key"] = "AK" + values["key"]!
        values["thiefKey"] = "AKIA" + values["thiefKey"]!
        values["userPolicyArn"] = "arn:aws:iam::111122223333:policy/" + values["userPolicyArn"]!
        values["otherPolicyArn"] = "arn:aws:iam::111122223333:policy/" + values["otherPolicyArn"]!
        values["policyArn"] = "arn:aws:iam::111122223333:policy/" + values["policyArn"]!
        // The trust policy before the rewrite, as logged by an earlier CreateRole: restored verbatim.
        let doc: [String: Any] = [
            "Version": "2012-10-17",
            "Statement": [["Sid": values["trustSid"]!, "Effect": "Allow", "Action": "sts:AssumeRole"]],
        ]
        values["trustSid"] = String(
            decoding: try! JSONSerialization.data(withJSONObject: doc, options: [.sortedKeys]), as: UTF8.self)
    }

    static func fill(_ payload: String, tag: String) -> String { payload.replacingOccurrences(of: "T", with: tag) }

    let webRole = "arn:aws:iam::111122223333:role/web"
    var thief: String { "arn:aws:iam::111122223333:user/" + values["thiefUser"]! }
    private var chainRole: String { "arn:aws:iam::111122223333:role/" + values["role"]! }

    private func v(_ k: String) -> String { values[k]! }

    func records() -> [String] {
        var out: [String] = []
        var n = 0
        func add(
            _ api: String, _ who: [String: Any], day: Int = 10, minute: Int, ip: String = "10.0.1.5",
            region: String = "us-east-1", params: [String: Any]? = nil, response: [String: Any]? = nil
        ) {
            n += 1
            let parts = api.split(separator: ":")
            var r: [String: Any] = [
                "eventVersion": "1.09", "userIdentity": who,
                "eventTime": String(format: "2026-03-%02dT%02d:%02d:00Z", day, 8 + minute / 60, minute % 60),
                "eventSource": "\(parts[0]).amazonaws.com", "eventName": String(parts[1]), "awsRegion": region,
                "sourceIPAddress": ip, "userAgent": "Boto3/1.34.10 md/Botocore#1.34.10 Botocore/1.34.10",
                "requestParameters": params ?? NSNull(), "responseElements": response ?? NSNull(),
                "eventID": "ev-\(n)", "eventType": "AwsApiCall", "recipientAccountId": "111122223333",
            ]
            r["readOnly"] = false
            let data = try! JSONSerialization.data(withJSONObject: r, options: [.sortedKeys])
            out.append(String(decoding: data, as: UTF8.self))
        }
        let web = session(role: webRole, name: v("instance"), key: "ASIAWEB0000000000001", instanceProfile: true)
        let oldWeb = session(role: webRole, name: "i-0routine", key: "ASIAWEBOLD0000000001", instanceProfile: true)
        let chain = session(role: chainRole, name: "maint", key: "ASIACHAIN00000000001", instanceProfile: false)
        let thiefId: [String: Any] = [
            "type": "IAMUser", "principalId": "AIDATHIEF", "arn": thief, "accountId": "111122223333",
            "accessKeyId": v("thiefKey"), "userName": v("thiefUser"),
        ]
        add(
            "iam:CreateRole", thiefId, day: 5, minute: 5,
            params: ["roleName": v("trustRole"), "assumeRolePolicyDocument": v("trustSid")])
        for day in 1...9 {
            add("s3:ListBuckets", oldWeb, day: day, minute: 0)
            add("s3:ListBuckets", thiefId, day: day, minute: 1)
        }
        let outside = "203.0.113.66"
        add("secretsmanager:GetSecretValue", web, minute: 10, ip: outside, params: ["secretId": v("secret")])
        add("ssm:GetParameter", web, minute: 11, ip: outside, params: ["name": v("parameter"), "withDecryption": true])
        add(
            "s3:GetObject", web, minute: 12, ip: outside, params: ["bucketName": v("bucket"), "key": "a" + v("bucket")])
        add(
            "sts:AssumeRole", web, minute: 13, ip: outside, params: ["roleArn": chainRole, "roleSessionName": "maint"],
            response: ["credentials": ["accessKeyId": "ASIACHAIN00000000001"]])
        add("iam:CreateUser", chain, minute: 14, ip: outside, params: ["userName": v("user")])
        add(
            "iam:CreateAccessKey", chain, minute: 15, ip: outside, params: ["userName": v("user")],
            response: ["accessKey": ["accessKeyId": v("key"), "userName": v("user")]])
        add(
            "iam:AttachUserPolicy", chain, minute: 16, ip: outside,
            params: ["userName": v("user"), "policyArn": v("userPolicyArn")])
        add(
            "iam:PutUserPolicy", chain, minute: 17, ip: outside,
            params: ["userName": v("user"), "policyName": v("userPolicyName"), "policyDocument": "{}"])
        add(
            "iam:AddUserToGroup", chain, minute: 18, ip: outside,
            params: ["userName": v("user"), "groupName": v("group")])
        add("iam:CreateLoginProfile", chain, minute: 19, ip: outside, params: ["userName": v("otherUser")])
        add(
            "iam:AttachUserPolicy", chain, minute: 20, ip: outside,
            params: ["userName": v("otherUser"), "policyArn": v("otherPolicyArn")])
        let trust =
            #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::999988887777:root"},"Action":"sts:AssumeRole"}]}"#
        add(
            "iam:UpdateAssumeRolePolicy", chain, minute: 21, ip: outside,
            params: ["roleName": v("trustRole"), "policyDocument": trust])
        add(
            "iam:UpdateAssumeRolePolicy", chain, minute: 21, ip: outside,
            params: ["roleName": v("trustRole2"), "policyDocument": trust])
        add(
            "iam:CreateRole", chain, minute: 22, ip: outside,
            params: ["roleName": v("newRole"), "assumeRolePolicyDocument": trust])
        add(
            "iam:PutRolePolicy", chain, minute: 23, ip: outside,
            params: ["roleName": v("newRole"), "policyName": v("rolePolicyName"), "policyDocument": "{}"])
        add("iam:CreatePolicyVersion", chain, minute: 24, ip: outside, params: ["policyArn": v("policyArn")])
        add("lambda:CreateFunction20150331", chain, minute: 25, ip: outside, params: ["functionName": v("function")])
        add(
            "lambda:UpdateFunctionCode20150331v2", chain, minute: 26, ip: outside,
            params: ["functionName": v("codeFunction")])
        add(
            "lambda:AddPermission20150331v2", chain, minute: 27, ip: outside,
            params: ["functionName": v("codeFunction"), "statementId": v("statement"), "principal": "*"])
        add(
            "lambda:CreateFunctionUrlConfig", chain, minute: 28, ip: outside, params: ["functionName": v("urlFunction")]
        )
        add("lambda:PublishLayerVersion20181031", chain, minute: 29, ip: outside, params: ["layerName": v("layer")])
        add(
            "ec2:RunInstances", chain, minute: 30, ip: outside, params: ["instanceType": "t3.micro"],
            response: ["instancesSet": ["items": [["instanceId": v("runInstance")]]]])
        add("ec2:CreateKeyPair", chain, minute: 31, ip: outside, region: v("region"), params: ["keyName": v("keyName")])
        add(
            "ec2:AuthorizeSecurityGroupIngress", chain, minute: 32, ip: outside,
            params: ["groupId": v("groupId"), "ipPermissions": #"{"items":[{"fromPort":22,"toPort":22}]}"#])
        add("iam:ListUsers", thiefId, minute: 40, ip: "198.51.100.99")
        return out
    }

    private func session(role: String, name: String, key: String, instanceProfile: Bool) -> [String: Any] {
        let roleName = String(role.split(separator: "/", maxSplits: 1).last ?? "")
        var id: [String: Any] = [
            "type": "AssumedRole", "principalId": "AROAEXAMPLE:\(name)",
            "arn": "arn:aws:sts::111122223333:assumed-role/\(roleName)/\(name)", "accountId": "111122223333",
            "accessKeyId": key,
            "sessionContext": [
                "sessionIssuer": [
                    "type": "Role", "principalId": "AROAEXAMPLE", "arn": role, "accountId": "111122223333",
                    "userName": roleName,
                ],
                "attributes": ["creationDate": "2026-03-01T00:00:00Z", "mfaAuthenticated": "false"],
            ],
        ]
        if instanceProfile, var ctx = id["sessionContext"] as? [String: Any] {
            ctx["ec2RoleDelivery"] = "2.0"
            id["sessionContext"] = ctx
        }
        return id
    }
}

/// Pulls commands out of a Markdown report and runs them under stubs.
enum Shell {
    /// The lines of every ```sh block.
    static func commandBlocks(_ markdown: String) -> [[String]] {
        var blocks: [[String]] = []
        var current: [String]? = nil
        for raw in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.drop { $0 == " " }
            if current == nil, line == "```sh" {
                current = []
            } else if current != nil, line == "```" {
                blocks.append(current!)
                current = nil
            } else if current != nil {
                current!.append(String(raw.dropFirst(min(3, raw.prefix { $0 == " " }.count))))
            }
        }
        return blocks
    }

    /// How many times a command line calls `aws` (as a command, or in `$(…)`).
    static func awsCalls(_ line: String) -> Int {
        (line.hasPrefix("aws ") ? 1 : 0) + line.components(separatedBy: "$(aws ").count - 1
    }

    /// True when `arg` is `value`, or an option whose value is `value` (`--name=VALUE`,
    /// `--description=forensic copy of VALUE`, a JSON filter listing `VALUE`).
    static func carries(_ arg: String, _ value: String) -> Bool {
        if arg == value { return true }
        guard arg.hasPrefix("--"), let eq = arg.firstIndex(of: "=") else { return false }
        let v = String(arg[arg.index(after: eq)...])
        if v == value || v == "forensic copy of " + value { return true }
        if arg.hasPrefix("--filters="), let json = try? JSONSerialization.jsonObject(with: Data(v.utf8)),
            let list = json as? [[String: Any]]
        {
            return list.contains { ($0["Values"] as? [String]) == [value] }
        }
        return false
    }

    struct Run {
        var calls: [[String]] = []
        var unexpected: [String] = []
        var createdFiles: [String] = []
        var stderr = ""
    }

    /// Runs each block as one bash script in an empty directory, with only stubs on PATH.
    static func runBlocks(_ blocks: [[String]]) throws -> Run {
        let root = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: root) }
        let stub = root.appendingPathComponent("bin")
        let log = root.appendingPathComponent("log")
        let work = root.appendingPathComponent("work")
        for d in [stub, log, work] { try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true) }
        let scripts: [String: String] = [
            "aws": """
            #!/bin/bash
            n=0; [ -f "$LOG/count" ] && read -r n < "$LOG/count"
            n=$((n+1)); printf '%s\\n' "$n" > "$LOG/count"
            printf '%s\\0' "$@" > "$LOG/call-$n"
            printf 'stub-output\\n'
            """,
            "date": "#!/bin/bash\nprintf '2026-03-11T00:00:00Z\\n'\n",
            "touch": "#!/bin/bash\nfor f in \"$@\"; do : > \"$f\"; done\n",
        ]
        for (name, text) in scripts {
            let u = stub.appendingPathComponent(name)
            try text.write(to: u, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: u.path)
        }
        var run = Run()
        for (i, block) in blocks.enumerated() {
            // Variables the responder is asked to set (`"${NAME:?…}"`) get a value.
            let vars = Set(
                block.joined(separator: "\n").components(separatedBy: "${").dropFirst().compactMap { part in
                    let name = part.prefix { $0.isUppercase || $0 == "_" }
                    return !name.isEmpty && part.dropFirst(name.count).hasPrefix(":?") ? String(name) : nil
                })
            let script =
                "command_not_found_handle() { printf '%s\\0' \"$@\" >> \"$LOG/unexpected\"; return 127; }\n"
                + "PATH=\"$STUB\"\n" + vars.sorted().map { "\($0)=set-by-test\n" }.joined()
                + block.map { line in
                    // The responder fills in `NAME=''   # set to …` lines.
                    let name = line.prefix { $0.isUppercase || $0 == "_" }
                    return !name.isEmpty && line.dropFirst(name.count).hasPrefix("=''") ? "\(name)=set-by-test" : line
                }.joined(separator: "\n") + "\n"
            let file = root.appendingPathComponent("block-\(i).sh")
            try script.write(to: file, atomically: true, encoding: .utf8)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/bash")
            p.arguments = ["--noprofile", "--norc", file.path]
            p.currentDirectoryURL = work
            p.environment = ["LOG": log.path, "STUB": stub.path, "HOME": work.path, "LANG": "C.UTF-8"]
            let err = Pipe()
            p.standardError = err
            p.standardOutput = FileHandle.nullDevice
            let exit = try p.start()
            let data = err.fileHandleForReading.readDataToEndOfFile()
            try exit.wait()
            run.stderr += String(decoding: data, as: UTF8.self)
        }
        let count =
            (try? String(contentsOf: log.appendingPathComponent("count"), encoding: .utf8)).flatMap {
                Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
            } ?? 0
        for n in stride(from: 1, through: count, by: 1) {
            let data = try Data(contentsOf: log.appendingPathComponent("call-\(n)"))
            var args = data.split(separator: 0, omittingEmptySubsequences: false).map {
                String(decoding: $0, as: UTF8.self)
            }
            if args.last == "" { args.removeLast() }
            run.calls.append(args)
        }
        if let data = try? Data(contentsOf: log.appendingPathComponent("unexpected")) {
            run.unexpected = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        }
        run.createdFiles = try FileManager.default.contentsOfDirectory(atPath: work.path)
        return run
    }
}
