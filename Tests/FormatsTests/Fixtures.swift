import EventModel
import Testing

@testable import Formats

/// Hand-written CloudTrail shapes (modelled on AWS documentation examples).
enum Fixture {
    static let iamUser = #"""
        {"type":"IAMUser","principalId":"AIDAJ45Q7YFFAREXAMPLE","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","accessKeyId":"AKIAIOSFODNN7EXAMPLE","userName":"alice"}
        """#

    static let assumedRole = #"""
        {"type":"AssumedRole","principalId":"AROAIDPPEZS35WEXAMPLE:deploy-bot","arn":"arn:aws:sts::111122223333:assumed-role/Deployer/deploy-bot","accountId":"111122223333","accessKeyId":"ASIAIOSFODNN7EXAMPLE","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAIDPPEZS35WEXAMPLE","arn":"arn:aws:iam::111122223333:role/ci/Deployer","accountId":"111122223333","userName":"Deployer"},"webIdFederationData":{},"attributes":{"creationDate":"2024-03-01T11:58:02Z","mfaAuthenticated":"true"}}}
        """#

    /// Default top-level members, in CloudTrail's usual order, as raw JSON text.
    static let base: [(String, String)] = [
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
    static func record(_ changes: [String: String?] = [:]) -> String {
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
}

/// Decodes `bytes` with a fresh decoder.
func decode(bytes: [UInt8], path: String = "test.json", record: Int = 1) -> (DecodeResult, [Diagnostic]) {
    var d = RecordDecoder()
    let r = bytes.withUnsafeBytes { d.decode($0, origin: Origin(path: path, record: record)) }
    return (r, d.warnings)
}

/// Decodes a JSON text with a fresh decoder.
func decode(_ json: String) -> DecodeResult { decode(bytes: Array(json.utf8)).0 }

/// The event, or a recorded issue and nil.
func event(_ json: String, sourceLocation: SourceLocation = #_sourceLocation) -> Event? {
    switch decode(json) {
    case .event(let e): return e
    case let other:
        Issue.record("expected an event, got \(other)", sourceLocation: sourceLocation)
        return nil
    }
}

/// The event of a record built by `Fixture.record(changes)`.
func event(_ changes: [String: String?], sourceLocation: SourceLocation = #_sourceLocation) -> Event? {
    event(Fixture.record(changes), sourceLocation: sourceLocation)
}

/// The event of a record with members replaced (never removed).
func event(_ changes: [String: String], sourceLocation: SourceLocation = #_sourceLocation) -> Event? {
    event(Fixture.record(changes.mapValues { Optional($0) }), sourceLocation: sourceLocation)
}

/// The diagnostic of a failed decode, nil otherwise.
func failure(_ json: String) -> Diagnostic? {
    if case .failed(let d) = decode(json) { return d }
    return nil
}

/// The diagnostic of a skipped record, nil otherwise.
func skipped(_ json: String) -> Diagnostic? {
    if case .skipped(let d) = decode(json) { return d }
    return nil
}
