import Foundation

/// Raw CloudTrail records as JSON text, for tests of the decoder and of the binary: documented
/// shapes edited member by member (`record(_:)`), and single API calls written from a few fields
/// (`call(…)`). `EventBuilder` decodes such records into events; `TestEvents` builds events directly.
public enum CloudTrailRecord {
    public static let iamUser = #"""
        {"type":"IAMUser","principalId":"AIDAJ45Q7YFFAREXAMPLE","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","accessKeyId":"AKIAIOSFODNN7EXAMPLE","userName":"alice"}
        """#

    public static let assumedRole = #"""
        {"type":"AssumedRole","principalId":"AROAIDPPEZS35WEXAMPLE:deploy-bot","arn":"arn:aws:sts::111122223333:assumed-role/Deployer/deploy-bot","accountId":"111122223333","accessKeyId":"ASIAIOSFODNN7EXAMPLE","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAIDPPEZS35WEXAMPLE","arn":"arn:aws:iam::111122223333:role/ci/Deployer","accountId":"111122223333","userName":"Deployer"},"webIdFederationData":{},"attributes":{"creationDate":"2024-03-01T11:58:02Z","mfaAuthenticated":"true"}}}
        """#

    /// Default top-level members, in CloudTrail's usual order, as raw JSON text.
    public static let base: [(String, String)] = [
        ("eventVersion", #""1.09""#),
        ("userIdentity", iamUser),
        ("eventTime", #""2024-03-01T12:00:00Z""#),
        ("eventSource", #""iam.amazonaws.com""#),
        ("eventName", #""CreateUser""#),
        ("awsRegion", #""us-east-1""#),
        ("sourceIPAddress", #""198.51.100.7""#),
        (
            "userAgent",
            #""aws-cli/2.15.3 Python/3.11.6 Linux/6.1.0 exe/x86_64.ubuntu.22 prompt/off command/iam.create-user""#
        ),
        ("requestParameters", #"{"userName":"mallory"}"#),
        (
            "responseElements",
            #"{"user":{"path":"/","userName":"mallory","userId":"AIDAEXAMPLE","arn":"arn:aws:iam::111122223333:user/mallory","createDate":"Mar 1, 2024 12:00:00 PM"}}"#
        ),
        ("requestID", #""2b3d1d5e-6a3f-4f8e-9d5c-0c6e1b2a3f4d""#),
        ("eventID", #""7f3c8b2e-1d4a-4c6b-8e9f-0a1b2c3d4e5f""#),
        ("readOnly", "false"),
        ("eventType", #""AwsApiCall""#),
        ("managementEvent", "true"),
        ("recipientAccountId", #""111122223333""#),
        ("eventCategory", #""Management""#),
        (
            "tlsDetails",
            #"{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"iam.amazonaws.com"}"#
        ),
    ]

    /// A record from `base` with members replaced (raw JSON text) or removed (`nil`).
    /// Replaced members keep their position; new ones are appended.
    public static func record(_ changes: [String: String?] = [:]) -> String {
        JSONMembers.object(base, changes)
    }

    /// One API call as a CloudTrail record (one line): `identity` and `params` / `response` are raw
    /// JSON, `time` ISO 8601. The form the end-to-end tests write their archives with.
    public static func call(
        _ name: String, source: String, time: String = "2026-03-01T10:00:00Z", id: String = UUID().uuidString,
        identity: String = instanceRole, params: String = "null", response: String = "null", error: String? = nil,
        ip: String = "10.0.1.5", ua: String = boto3, readOnly: Bool = false
    ) -> String {
        var members: [(String, String)] = [
            ("eventVersion", #""1.09""#), ("userIdentity", identity), ("eventTime", quoted(time)),
            ("eventSource", quoted(source)), ("eventName", quoted(name)), ("awsRegion", #""us-east-1""#),
            ("sourceIPAddress", quoted(ip)), ("userAgent", quoted(ua)), ("requestParameters", params),
            ("responseElements", response),
        ]
        if let error { members += [("errorCode", quoted(error)), ("errorMessage", #""User is not authorized""#)] }
        members += [
            ("requestID", quoted("r-" + id)), ("eventID", quoted(id)), ("readOnly", readOnly ? "true" : "false"),
            ("eventType", #""AwsApiCall""#), ("managementEvent", "true"), ("recipientAccountId", #""111122223333""#),
            ("eventCategory", #""Management""#),
        ]
        return JSONMembers.object(members, [:])
    }

    /// The boto3 user agent of the end-to-end records.
    public static let boto3 =
        "Boto3/1.34.10 md/Botocore#1.34.10 ua/2.0 os/linux#5.10 lang/python#3.11.6 Botocore/1.34.10"

    /// An instance-profile role session (`role/web-app`, instance `i-0abc123`).
    public static let instanceRole =
        #"{"type":"AssumedRole","principalId":"AROAEXAMPLE:i-0abc123","arn":"arn:aws:sts::111122223333:assumed-role/web-app/i-0abc123","accountId":"111122223333","accessKeyId":"ASIAEXAMPLE1","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE","arn":"arn:aws:iam::111122223333:role/web-app","accountId":"111122223333","userName":"web-app"},"attributes":{"creationDate":"2026-03-01T09:00:00Z","mfaAuthenticated":"false"},"ec2RoleDelivery":"2.0"}}"#

    /// The `userIdentity` of IAM user `user` (principal `AIDA<user>`, key `AKIA<user>`).
    public static func user(_ user: String) -> String {
        #"{"type":"IAMUser","principalId":"AIDA\#(user)","arn":"arn:aws:iam::111122223333:user/\#(user)","accountId":"111122223333","accessKeyId":"AKIA\#(user)","userName":"\#(user)"}"#
    }

    /// `2026-03-01T10:00:00Z` plus `second` seconds (up to 14 hours), for records in order.
    public static func time(second: Int) -> String {
        String(format: "2026-03-01T%02d:%02d:%02dZ", 10 + second / 3600, (second / 60) % 60, second % 60)
    }

    /// `{"Records":[…]}` around records: one CloudTrail delivery file.
    public static func file(_ records: [String]) -> Data {
        Data(("{\"Records\":[" + records.joined(separator: ",") + "]}").utf8)
    }

    /// `text` as a JSON string literal.
    public static func quoted(_ text: String) -> String { JSONMembers.quoted(text) }
}

/// Writes JSON objects from members given as raw JSON text: the one writer the record builders share.
public enum JSONMembers {
    /// `base` with members replaced (raw JSON text) or removed (`nil`) by `changes`; replaced members
    /// keep their position, new ones are appended in key order.
    public static func object(_ base: [(String, String)], _ changes: [String: String?]) -> String {
        var parts: [String] = []
        var seen: Set<String> = []
        for (k, v) in base {
            seen.insert(k)
            if let change = changes[k] {
                if let c = change { parts.append("\"\(k)\":\(c)") }
            } else {
                parts.append("\"\(k)\":\(v)")
            }
        }
        for (k, v) in changes.sorted(by: { $0.key < $1.key }) where !seen.contains(k) {
            if let v { parts.append("\"\(k)\":\(v)") }
        }
        return "{" + parts.joined(separator: ",") + "}"
    }

    /// `text` as a JSON string literal (quotes and backslashes escaped; other text kept as is).
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for c in text.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}
