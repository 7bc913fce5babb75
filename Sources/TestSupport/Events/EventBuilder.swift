import EventModel
import Formats
import Foundation

/// Builds `Event` values for tests. It writes a realistic CloudTrail record and decodes
/// it with the real `RecordDecoder`, so identities, user-agent families, sources and
/// resources come out exactly as they would from a log file.
///
/// ```swift
/// let e = EventBuilder.aws("iam:CreateUser", identity: "arn:aws:iam::111122223333:user/alice",
///                          time: EventBuilder.time("2024-05-01T10:00:00Z"), ip: "203.0.113.9",
///                          parameters: ["userName": "mallory"])
/// ```
public enum EventBuilder {
    /// 2024-01-01T00:00:00Z in milliseconds.
    public static let defaultTime: Int64 = 1_704_067_200_000
    /// Default principal: an IAM user.
    public static let defaultIdentity = "arn:aws:iam::111122223333:user/alice"
    /// Default user agent: AWS CLI v2.
    public static let defaultUserAgent = "aws-cli/2.15.3 Python/3.11.6 Linux/6.1.0 exe/x86_64.ubuntu.22"

    /// Milliseconds for an ISO-8601 time; traps on bad input (tests only).
    public static func time(_ iso: String) -> Int64 {
        guard let t = Timestamp.parse(iso) else { fatalError("EventBuilder.time: bad time \(iso)") }
        return t
    }

    /// An AWS event. `api` is `service:Operation` (`iam:CreateUser`). `identity` is an IAM
    /// user ARN, an assumed-role session ARN (`arn:aws:sts::A:assumed-role/R/S`), a role ARN
    /// (a session named `session` is made up), `arn:aws:iam::A:root`, `service:NAME`
    /// (an AWS service), or "" (no `userIdentity`). `parameters` become `requestParameters`
    /// members (string values). Unset `eventId` gets a unique id derived from the content.
    public static func aws(
        _ api: String, identity: String = defaultIdentity, time: Int64 = defaultTime, ip: String = "198.51.100.7",
        region: String = "us-east-1", userAgent: String = defaultUserAgent, errorCode: String = "",
        parameters: [String: String] = [:], readOnly: Bool? = nil, eventId: String? = nil
    ) -> Event {
        let json = cloudTrailRecord(
            api, identity: identity, time: time, ip: ip, region: region, userAgent: userAgent, errorCode: errorCode,
            parameters: parameters, readOnly: readOnly, eventId: eventId)
        var decoder = RecordDecoder()
        var bytes = Array(json.utf8)
        let result = bytes.withUnsafeMutableBytes {
            decoder.decode(UnsafeRawBufferPointer($0), origin: Origin(path: "builder", record: 1))
        }
        guard case .event(let e) = result else { fatalError("EventBuilder.aws: record did not decode: \(result)") }
        return e
    }

    /// The CloudTrail JSON record `aws(…)` decodes (one line), for tests that need raw input.
    public static func cloudTrailRecord(
        _ api: String, identity: String = defaultIdentity, time: Int64 = defaultTime, ip: String = "198.51.100.7",
        region: String = "us-east-1", userAgent: String = defaultUserAgent, errorCode: String = "",
        parameters: [String: String] = [:], readOnly: Bool? = nil, eventId: String? = nil
    ) -> String {
        let parts = api.split(separator: ":", maxSplits: 1)
        let service = parts.count == 2 ? String(parts[0]) : "iam"
        let operation = String(parts.last ?? "")
        var record: [String: Any] = [
            "eventVersion": "1.09", "eventTime": Timestamp.format(time), "eventSource": "\(service).amazonaws.com",
            "eventName": operation, "awsRegion": region, "sourceIPAddress": ip, "userAgent": userAgent,
            "requestParameters": parameters.isEmpty ? NSNull() : parameters, "responseElements": NSNull(),
            "eventType": "AwsApiCall", "managementEvent": true, "recipientAccountId": account(of: identity),
            "eventCategory": "Management",
            "eventID": eventId ?? "eb-"
                + keySuffix("\(api)|\(identity)|\(time)|\(ip)|\(parameters.sorted { $0.key < $1.key })"),
        ]
        if let readOnly { record["readOnly"] = readOnly }
        if !errorCode.isEmpty {
            record["errorCode"] = errorCode
            record["errorMessage"] = "User is not authorized to perform: \(service):\(operation)"
        }
        if let ui = userIdentity(identity) { record["userIdentity"] = ui }
        let data = try! JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    /// The `userIdentity` object for an identity string (see `aws(…)`); nil for "".
    public static func userIdentity(_ identity: String) -> [String: Any]? {
        if identity.isEmpty { return nil }
        if identity.hasPrefix("service:") {
            return ["type": "AWSService", "invokedBy": String(identity.dropFirst(8))]
        }
        let acct = account(of: identity)
        let resource = identity.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).last ?? ""
        let path = resource.split(separator: "/").map(String.init)
        if resource == "root" {
            return [
                "type": "Root", "principalId": acct, "arn": identity, "accountId": acct,
                "accessKeyId": "AKIA" + keySuffix(identity),
            ]
        }
        if path.first == "assumed-role" || path.first == "role", path.count >= 2 {
            let role = path.first == "role" ? path.dropFirst().joined(separator: "/") : path[1]
            let session = path.first == "role" ? "session" : path.dropFirst(2).joined(separator: "/")
            let roleName = role.split(separator: "/").last.map(String.init) ?? role
            return [
                "type": "AssumedRole", "principalId": "AROA\(keySuffix(role)):\(session)",
                "arn": "arn:aws:sts::\(acct):assumed-role/\(roleName)/\(session)", "accountId": acct,
                "accessKeyId": "ASIA" + keySuffix(identity + session),
                "sessionContext": [
                    "sessionIssuer": [
                        "type": "Role", "principalId": "AROA\(keySuffix(role))",
                        "arn": "arn:aws:iam::\(acct):role/\(role)", "accountId": acct, "userName": roleName,
                    ],
                    "attributes": ["creationDate": "2024-01-01T00:00:00Z", "mfaAuthenticated": "false"],
                ],
            ]
        }
        return [
            "type": "IAMUser", "principalId": "AIDA" + keySuffix(identity), "arn": identity, "accountId": acct,
            "accessKeyId": "AKIA" + keySuffix(identity), "userName": path.last ?? "",
        ]
    }

    private static func account(of identity: String) -> String {
        let p = identity.split(separator: ":", omittingEmptySubsequences: false)
        return p.count > 4 && !p[4].isEmpty ? String(p[4]) : "111122223333"
    }

    /// A stable 16-character upper-case suffix for made-up key ids.
    private static func keySuffix(_ s: String) -> String {
        var h: UInt64 = 1_469_598_103_934_665_603
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 1_099_511_628_211 }
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        return String((0..<16).map { i in alphabet[Int((h >> (UInt64(i) * 4)) & 31)] })
    }
}
