/// When and how long to wait before trying a request again: exponential backoff with full
/// jitter (the AWS SDKs' "standard" mode), on throttling, request timeouts and 5xx answers.
public struct AWSRetry: Sendable, Hashable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int = 5
    /// Base delay in milliseconds; attempt n waits up to `base * 2^n`.
    public var baseMillis: Int = 100
    /// Cap on one wait in milliseconds.
    public var maxMillis: Int = 20_000

    /// Creates a policy (the defaults match the SDKs' standard mode).
    public init(maxAttempts: Int = 5, baseMillis: Int = 100, maxMillis: Int = 20_000) {
        self.maxAttempts = maxAttempts
        self.baseMillis = baseMillis
        self.maxMillis = maxMillis
    }

    /// Throttling answers: 429, 503 `SlowDown`, and the `Throttling*` / `RequestLimitExceeded` codes.
    public static func isThrottle(status: Int, serviceCode: String?) -> Bool {
        let sc = serviceCode ?? ""
        return status == 429 || sc == "SlowDown" || sc.hasPrefix("Throttl") || sc == "RequestLimitExceeded"
            || sc == "TooManyRequestsException" || sc == "ProvisionedThroughputExceededException"
    }

    /// Whether an answer is worth another attempt: throttling, `RequestTimeout`, or any 5xx.
    public static func isRetryable(status: Int, serviceCode: String?) -> Bool {
        isThrottle(status: status, serviceCode: serviceCode) || serviceCode == "RequestTimeout"
            || serviceCode == "RequestTimeoutException" || (500...599).contains(status)
    }

    /// Milliseconds to wait before attempt `attempt` (1 = the first retry), with full jitter
    /// drawn from `random` so tests can pass a seeded generator.
    public func delayMillis(attempt: Int, using random: inout some RandomNumberGenerator) -> Int {
        let exp = min(maxMillis, baseMillis << min(max(attempt - 1, 0), 20))
        return Int.random(in: 0...max(exp, 1), using: &random)
    }
}
