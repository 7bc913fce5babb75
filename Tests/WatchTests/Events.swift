import Foundation

/// Hand-written CloudTrail records, one JSON line each.
enum Events {
    static func identity(_ user: String) -> String {
        #"{"type":"IAMUser","principalId":"AIDA\#(user)","arn":"arn:aws:iam::111122223333:user/\#(user)","accountId":"111122223333","accessKeyId":"AKIA\#(user)","userName":"\#(user)"}"#
    }

    static func record(
        _ name: String, source: String, id: String, user: String = "app", second: Int = 0,
        params: String = "null"
    ) -> String {
        let t = String(format: "2026-03-01T%02d:%02d:%02dZ", 10 + second / 3600, (second / 60) % 60, second % 60)
        return
            #"{"eventVersion":"1.09","userIdentity":\#(identity(user)),"eventTime":"\#(t)","eventSource":"\#(source)","eventName":"\#(name)","awsRegion":"us-east-1","sourceIPAddress":"10.0.1.5","userAgent":"Boto3/1.34.10 md/Botocore#1.34.10","requestParameters":\#(params),"responseElements":null,"requestID":"r-\#(id)","eventID":"\#(id)","readOnly":true,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management"}"#
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
