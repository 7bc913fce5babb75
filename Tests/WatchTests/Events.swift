import Foundation
import TestSupport

/// The watch tests' CloudTrail records, one JSON line each (written by `CloudTrailRecord`).
enum Events {
    /// The `userIdentity` of IAM user `user`.
    static func identity(_ user: String) -> String { CloudTrailRecord.user(user) }

    /// One call by IAM user `user`, `second` seconds after 2026-03-01T10:00:00Z.
    static func record(
        _ name: String, source: String, id: String, user: String = "app", second: Int = 0,
        params: String = "null"
    ) -> String {
        CloudTrailRecord.call(
            name, source: source, time: CloudTrailRecord.time(second: second), id: id, identity: identity(user),
            params: params, ua: "Boto3/1.34.10 md/Botocore#1.34.10", readOnly: true)
    }

    /// A benign read call.
    static func benign(_ id: String, user: String = "app", second: Int = 0) -> String {
        record("DescribeInstances", source: "ec2.amazonaws.com", id: id, user: user, second: second)
    }

    /// A StopLogging call on its own trail (a critical finding keyed by the trail), by a user of its
    /// own unless `user` is given: repeats of one detector for one identity fold into its first finding.
    static func stopLogging(_ id: String, user: String? = nil, trail: String? = nil, second: Int = 0) -> String {
        record(
            "StopLogging", source: "cloudtrail.amazonaws.com", id: id, user: user ?? "app-\(id)", second: second,
            params: #"{"name":"arn:aws:cloudtrail:us-east-1:111122223333:trail/\#(trail ?? "t-" + id)"}"#)
    }

    /// Lines joined with a final newline.
    static func lines(_ l: [String]) -> String { l.joined(separator: "\n") + "\n" }
}
