import EventModel
import Formats
import Foundation
import TestSupport

/// One principal of the synthetic population and its habits.
struct Principal {
    let arn: String
    let account: String
    let region: String
    let ips: [String]
    let userAgent: String
    /// The APIs this principal usually calls (`service:Operation`).
    let apis: [String]
}

/// One generated CloudTrail record with the envelope facts EventBridge needs.
struct GeneratedRecord {
    let json: String
    let service: String
    let account: String
    let region: String
    let time: Int64
}

/// The synthetic data every benchmark reads. Built in-process from a fixed seed with
/// `EventBuilder.cloudTrailRecord` (plus the `requestID` / `tlsDetails` members real records
/// carry), about `Corpus.targetBytes` of CloudTrail JSON: a heavy-tailed population of
/// `Corpus.principalCount` principals in three accounts (workload roles, IAM users, SSO and
/// CI roles), a few IPs and one user agent each, a per-principal API repertoire with rare
/// calls outside it, 2 % access-denied errors and a handful of sensitive calls, over one day
/// in time order. Each piece is built lazily, so a benchmark process only pays for what it
/// uses (every benchmark runs in its own process).
enum Corpus {
    /// Bytes of record JSON to generate; `TRAILHOUND_BENCH_MB` overrides the default 32 (MB).
    /// The committed malloc thresholds assume the default.
    static let targetBytes: Int = {
        let mb = ProcessInfo.processInfo.environment["TRAILHOUND_BENCH_MB"].flatMap { Int($0) } ?? 32
        return max(1, mb) * 1_000_000
    }()
    static let principalCount = 2_000
    static let seed: UInt64 = 0x7472_6169_6C68_6F75  // "trailhou"
    /// 2024-03-04T00:00:00Z; records span one day from here.
    static let start: Int64 = 1_709_510_400_000
    static let span: Int64 = 86_400_000

    /// The generated records, in time order.
    static let records: [GeneratedRecord] = generate()

    /// `{"Records":[…]}`: one CloudTrail log file holding every record.
    static let document: [UInt8] = {
        var out: [UInt8] = []
        out.reserveCapacity(records.reduce(16) { $0 + $1.json.utf8.count + 1 })
        out.append(contentsOf: #"{"Records":["#.utf8)
        for (i, r) in records.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: r.json.utf8)
        }
        out.append(contentsOf: "]}\n".utf8)
        return out
    }()

    /// `document` compressed by zlib (gzip, level 6), as CloudTrail delivers it.
    static let gzipDocument: [UInt8] = gzip(document)

    /// Each record on its own, for the decoder benchmarks (no framing cost).
    static let recordBytes: [[UInt8]] = records.map { Array($0.json.utf8) }

    /// The same events as EventBridge deliveries (`detail-type: AWS API Call via CloudTrail`), one per line.
    static let eventBridgeLines: [[UInt8]] = records.enumerated().map { i, r in
        let envelope =
            #"{"version":"0","id":"6a7e8feb-b491-4cf7-a9f1-\#(hex12(UInt64(i)))","#
            + #""detail-type":"AWS API Call via CloudTrail","source":"aws.\#(r.service)","#
            + #""account":"\#(r.account)","time":"\#(isoSeconds(r.time))","region":"\#(r.region)","#
            + #""resources":[],"detail":\#(r.json)}"#
        return Array(envelope.utf8)
    }

    /// `eventBridgeLines` joined as a JSON-lines file.
    static let eventBridgeDocument: [UInt8] = eventBridgeLines.reduce(into: []) {
        $0.append(contentsOf: $1)
        $0.append(UInt8(ascii: "\n"))
    }

    /// Every record decoded once by the real `RecordDecoder`, in time order.
    static let events: [Event] = {
        var decoder = RecordDecoder()
        var out: [Event] = []
        out.reserveCapacity(recordBytes.count)
        for (i, bytes) in recordBytes.enumerated() {
            let result = bytes.withUnsafeBytes { decoder.decode($0, origin: Origin(path: "corpus", record: i + 1)) }
            guard case .event(let e) = result else { fatalError("corpus record \(i) did not decode: \(result)") }
            out.append(e)
        }
        return out
    }()

    // MARK: - Generation

    private static func generate() -> [GeneratedRecord] {
        var rng = SplitMix64(seed: seed)
        let population = (0..<principalCount).map { principal($0, &rng) }
        let averageRecord = 1_150
        let expected = max(1, targetBytes / averageRecord)
        var out: [GeneratedRecord] = []
        out.reserveCapacity(expected + expected / 8)
        var bytes = 0
        var k: Int64 = 0
        while bytes < targetBytes {
            // Heavy tail: a few principals make most of the calls, as in real accounts.
            let u = Double(rng.next() >> 11) / Double(1 << 53)
            let p = population[min(principalCount - 1, Int(pow(u, 2.5) * Double(principalCount)))]
            let time = start + k * span / Int64(expected) + Int64(rng.next() % 1_000)
            let r = record(p, time: time, serial: k, &rng)
            bytes += r.json.utf8.count + 1
            out.append(r)
            k += 1
        }
        return out
    }

    private static let accounts = ["111122223333", "444455556666", "777788889999"]
    private static let regions = ["us-east-1", "us-east-1", "us-east-1", "eu-west-1", "us-west-2"]
    private static let userAgents = [
        "aws-cli/2.15.3 Python/3.11.6 Linux/6.1.0 exe/x86_64.ubuntu.22 prompt/off command/ec2.describe-instances",
        "Boto3/1.34.51 md/Botocore#1.34.51 ua/2.0 os/linux#5.10.209 md/arch#x86_64 lang/python#3.11.8 cfg/retry-mode#legacy Botocore/1.34.51",
        "aws-sdk-go-v2/1.25.2 os/linux lang/go#1.22.0 md/GOOS#linux md/GOARCH#amd64 api/ec2#1.149.1",
        "Terraform/1.7.4 (+https://www.terraform.io) terraform-provider-aws/5.39.1 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go/1.50.31 (go1.22.0; linux; amd64)",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36",
        "aws-sdk-java/2.25.6 Linux/5.10.210-201.852.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/standard",
        "aws-internal/3 aws-sdk-java/1.12.661 Linux/5.10.209-198.858.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/25.402-b08 java/1.8.0_402 vendor/Oracle_Corporation cfg/retry-mode/standard",
        "AWS Internal",
    ]
    /// Everyday calls principals pick their repertoire from.
    private static let commonAPIs = [
        "ec2:DescribeInstances", "ec2:DescribeSecurityGroups", "ec2:DescribeVolumes", "ec2:DescribeSubnets",
        "ec2:DescribeVpcs", "ec2:DescribeNetworkInterfaces", "ec2:DescribeImages", "ec2:DescribeTags",
        "s3:GetBucketLocation", "s3:ListBuckets", "s3:GetBucketPolicy", "s3:GetBucketAcl",
        "sts:GetCallerIdentity", "sts:AssumeRole", "sts:GetSessionToken",
        "iam:GetRole", "iam:ListRoles", "iam:GetUser", "iam:ListAttachedRolePolicies", "iam:GetPolicy",
        "iam:ListPolicies", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey",
        "lambda:ListFunctions", "lambda:GetFunction", "lambda:InvokeFunction",
        "logs:CreateLogStream", "logs:DescribeLogGroups", "logs:PutRetentionPolicy",
        "cloudwatch:PutMetricData", "cloudwatch:GetMetricData", "cloudwatch:DescribeAlarms",
        "ssm:GetParameter", "ssm:GetParameters", "ssm:DescribeInstanceInformation",
        "secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret",
        "dynamodb:DescribeTable", "dynamodb:ListTables", "ecr:GetAuthorizationToken",
        "ecs:DescribeTasks", "ecs:ListClusters", "autoscaling:DescribeAutoScalingGroups",
        "elasticloadbalancing:DescribeLoadBalancers", "rds:DescribeDBInstances",
    ]
    /// Calls the rule detectors look for; each shows up a few times per corpus.
    private static let sensitiveAPIs = [
        "iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:AttachUserPolicy",
        "cloudtrail:StopLogging", "guardduty:DeleteDetector", "config:StopConfigurationRecorder",
        "ec2:DeleteFlowLogs", "sts:GetFederationToken", "iam:UpdateAssumeRolePolicy",
        "lambda:AddPermission20150331v2", "organizations:LeaveOrganization",
    ]

    private static func principal(_ i: Int, _ rng: inout SplitMix64) -> Principal {
        let account = accounts[i % accounts.count]
        let arn: String
        switch i % 10 {
        case 0...5: arn = "arn:aws:sts::\(account):assumed-role/app-\(i / 7 % 150)-role/i-0\(hex12(UInt64(i) &* 7919))"
        case 6, 7: arn = "arn:aws:iam::\(account):user/user-\(i)"
        case 8: arn = "arn:aws:sts::\(account):assumed-role/AWSReservedSSO_Admin_3f2a9c1b/person\(i)@example.com"
        default: arn = "arn:aws:sts::\(account):assumed-role/ci-deploy/gh-run-\(i)"
        }
        let ipCount = 1 + Int(rng.next() % 3)
        let ips = (0..<ipCount).map { _ in
            let block = ["203.0.113", "198.51.100", "192.0.2"][Int(rng.next() % 3)]
            return "\(block).\(1 + rng.next() % 254)"
        }
        var apis: [String] = []
        for _ in 0..<(4 + Int(rng.next() % 12)) {
            let api = commonAPIs[Int(rng.next() % UInt64(commonAPIs.count))]
            if !apis.contains(api) { apis.append(api) }
        }
        return Principal(
            arn: arn, account: account, region: regions[Int(rng.next() % UInt64(regions.count))], ips: ips,
            userAgent: userAgents[i % 10 == 8 ? 4 : Int(rng.next() % UInt64(userAgents.count))], apis: apis)
    }

    private static func record(_ p: Principal, time: Int64, serial: Int64, _ rng: inout SplitMix64) -> GeneratedRecord {
        let roll = rng.next() % 10_000
        let api: String
        if roll < 2 {
            api = sensitiveAPIs[Int(rng.next() % UInt64(sensitiveAPIs.count))]
        } else if roll < 60 {
            api = commonAPIs[Int(rng.next() % UInt64(commonAPIs.count))]
        } else {
            api = p.apis[Int(rng.next() % UInt64(p.apis.count))]
        }
        let region = roll % 97 == 0 ? "ap-southeast-1" : p.region
        let json = EventBuilder.cloudTrailRecord(
            api, identity: p.arn, time: time, ip: p.ips[Int(rng.next() % UInt64(p.ips.count))], region: region,
            userAgent: p.userAgent, errorCode: rng.next() % 50 == 0 ? "AccessDenied" : "",
            parameters: parameters(api, &rng), eventId: uuid(serial, &rng))
        let service = String(api.prefix { $0 != ":" })
        let extra =
            #"{"requestID":"\#(uuid(serial ^ 0x5A5A, &rng))","tlsDetails":{"tlsVersion":"TLSv1.3","#
            + #""cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"\#(service).\#(region).amazonaws.com"},"#
        return GeneratedRecord(
            json: extra + json.dropFirst(), service: service, account: p.account, region: region, time: time)
    }

    private static func parameters(_ api: String, _ rng: inout SplitMix64) -> [String: String] {
        let n = rng.next() % 40
        switch api.prefix(while: { $0 != ":" }) {
        case "s3": return ["bucketName": "data-bucket-\(n)", "Host": "data-bucket-\(n).s3.amazonaws.com"]
        case "sts" where api.hasSuffix("AssumeRole"):
            return ["roleArn": "arn:aws:iam::111122223333:role/app-\(n)-role", "roleSessionName": "session-\(n)"]
        case "iam": return ["userName": "user-\(n)", "roleName": "app-\(n)-role"]
        case "secretsmanager": return ["secretId": "prod/db-\(n)"]
        case "lambda": return ["functionName": "handler-\(n)"]
        case "ssm": return ["name": "/prod/config/key-\(n)", "withDecryption": "true"]
        case "kms": return ["keyId": "arn:aws:kms:us-east-1:111122223333:key/\(hex12(n))"]
        default: return [:]
        }
    }

    private static func uuid(_ serial: Int64, _ rng: inout SplitMix64) -> String {
        let a = rng.next()
        return "\(hex12(a >> 16).prefix(8))-\(hex12(a).prefix(4))-4\(hex12(a >> 8).prefix(3))-a\(hex12(a >> 4).prefix(3))-"
            + hex12(UInt64(bitPattern: serial))
    }

    private static func hex12(_ v: UInt64) -> String {
        let s = String(v & 0xFFFF_FFFF_FFFF, radix: 16)
        return String(repeating: "0", count: 12 - s.count) + s
    }

    private static func isoSeconds(_ ms: Int64) -> String {
        let s = Timestamp.format(ms)
        // EventBridge writes whole seconds: 2024-03-04T00:00:00Z.
        if let dot = s.firstIndex(of: ".") { return String(s[..<dot]) + "Z" }
        return s
    }
}
