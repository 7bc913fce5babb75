import Foundation
import TestSupport

/// Scenario records of the end-to-end tests, written with `CloudTrailRecord` (TestSupport).
enum Records {
    /// A StopLogging call (defense evasion) by the instance role.
    static func stopLogging(id: String = "ev-stop-1", error: String? = nil) -> String {
        CloudTrailRecord.call(
            "StopLogging", source: "cloudtrail.amazonaws.com", id: id,
            params: #"{"name":"arn:aws:cloudtrail:us-east-1:111122223333:trail/main"}"#, error: error)
    }
}
