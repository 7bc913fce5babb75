import Foundation

/// Hand-written CloudTrail records for end-to-end tests.
enum Records {
    /// One CloudTrail record as JSON text.
    static func record(
        _ name: String, source: String, time: String = "2026-03-01T10:00:00Z", id: String = UUID().uuidString,
        identity: String = role, params: String = "null", error: String? = nil, ip: String = "10.0.1.5",
        ua: String = "Boto3/1.34.10 md/Botocore#1.34.10 ua/2.0 os/linux#5.10 lang/python#3.11.6 Botocore/1.34.10"
    ) -> String {
        let err = error.map { #","errorCode":"\#($0)","errorMessage":"User is not authorized""# } ?? ""
        return
            #"{"eventVersion":"1.09","userIdentity":\#(identity),"eventTime":"\#(time)","eventSource":"\#(source)","eventName":"\#(name)","awsRegion":"us-east-1","sourceIPAddress":"\#(ip)","userAgent":"\#(ua)","requestParameters":\#(params),"responseElements":null\#(err),"requestID":"r-\#(id)","eventID":"\#(id)","readOnly":false,"eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333","eventCategory":"Management"}"#
    }

    /// An instance-profile role session.
    static let role =
        #"{"type":"AssumedRole","principalId":"AROAEXAMPLE:i-0abc123","arn":"arn:aws:sts::111122223333:assumed-role/web-app/i-0abc123","accountId":"111122223333","accessKeyId":"ASIAEXAMPLE1","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE","arn":"arn:aws:iam::111122223333:role/web-app","accountId":"111122223333","userName":"web-app"},"attributes":{"creationDate":"2026-03-01T09:00:00Z","mfaAuthenticated":"false"},"ec2RoleDelivery":"2.0"}}"#

    /// `{"Records":[…]}` around records.
    static func file(_ records: [String]) -> Data {
        Data(("{\"Records\":[" + records.joined(separator: ",") + "]}").utf8)
    }

    /// A StopLogging call (defense evasion).
    static func stopLogging(id: String = "ev-stop-1", error: String? = nil) -> String {
        record(
            "StopLogging", source: "cloudtrail.amazonaws.com", id: id,
            params: #"{"name":"arn:aws:cloudtrail:us-east-1:111122223333:trail/main"}"#, error: error)
    }
}
