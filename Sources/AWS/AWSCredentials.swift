/// A set of AWS credentials and where they came from.
public struct AWSCredentials: Sendable, Hashable, CustomStringConvertible {
    /// The access key id (`AKIA…` long-term, `ASIA…` temporary).
    public var accessKeyId: String
    /// The secret key; never printed (see `description`).
    public var secretAccessKey: String
    /// The session token of temporary credentials (sent as `X-Amz-Security-Token`).
    public var sessionToken: String?
    /// When temporary credentials stop working, seconds since the epoch; nil for long-term keys.
    public var expiration: Int64?
    /// Which link of the chain gave them (`environment`, `profile default`, `web identity`, …),
    /// for `aws.credentials` messages and `--verbose` notes.
    public var source: String

    /// Creates credentials.
    public init(
        accessKeyId: String, secretAccessKey: String, sessionToken: String? = nil, expiration: Int64? = nil,
        source: String = "explicit"
    ) {
        self.accessKeyId = accessKeyId
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.expiration = expiration
        self.source = source
    }

    /// Shows the key id and the source only: logs and diagnostics never carry the secret.
    public var description: String { "AWSCredentials(\(accessKeyId), from \(source))" }

    /// Whether these credentials should be fetched again at `now` (seconds): within
    /// `margin` seconds of their expiration, as the AWS SDKs refresh ahead of time.
    public func needsRefresh(now: Int64, margin: Int64 = 300) -> Bool {
        guard let expiration else { return false }
        return now + margin >= expiration
    }
}

/// Everything the AWS module reports, each with a stable code (listed in DiagnosticCatalog).
public struct AWSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable code: `aws.credentials`, `aws.access_denied`, `aws.not_found`, `aws.throttled`,
    /// `aws.request_failed`, `aws.bad_response`, `aws.config`.
    public var code: String
    /// What happened, for people.
    public var message: String
    /// The service's error code (`NoSuchKey`, `AccessDenied`, `SlowDown`), when it sent one.
    public var serviceCode: String?
    /// HTTP status, when there was a response.
    public var status: Int?

    /// Creates an error.
    public init(_ code: String, _ message: String, serviceCode: String? = nil, status: Int? = nil) {
        self.code = code
        self.message = message
        self.serviceCode = serviceCode
        self.status = status
    }

    /// `message [code]`, the project's one display form for a problem.
    public var description: String { "\(message) [\(code)]" }

    /// The code for a failed response: 403 and `AccessDenied`-like codes are `aws.access_denied`,
    /// 404 and `NoSuch*` are `aws.not_found`, throttling is `aws.throttled`, the rest `aws.request_failed`.
    public static func classify(status: Int, serviceCode: String?) -> String {
        let sc = serviceCode ?? ""
        if status == 403 || sc == "AccessDenied" || sc.hasSuffix("AccessDenied") || sc == "InvalidAccessKeyId"
            || sc == "SignatureDoesNotMatch" || sc == "ExpiredToken" || sc.contains("KMS.")
        {
            return "aws.access_denied"
        }
        if status == 404 || sc.hasPrefix("NoSuch") { return "aws.not_found" }
        if AWSRetry.isThrottle(status: status, serviceCode: serviceCode) { return "aws.throttled" }
        return "aws.request_failed"
    }
}
