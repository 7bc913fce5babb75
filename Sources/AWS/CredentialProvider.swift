import Foundation

/// Something that hands out credentials for signing (the chain, a fixed set, a role).
public protocol CredentialProvider: Sendable {
    /// Current credentials, fetched or refreshed as needed; throws `AWSError` `aws.credentials`.
    func credentials() async throws -> AWSCredentials
}

/// Fixed credentials (tests, and the source credentials of a role assumed once).
public struct StaticCredentialProvider: CredentialProvider {
    /// The credentials handed out.
    public let value: AWSCredentials

    /// Creates a provider that always answers `value`.
    public init(_ value: AWSCredentials) { self.value = value }

    /// Returns `value`.
    public func credentials() async throws -> AWSCredentials { value }
}

/// Caches what `fetch` gives and fetches again when the credentials are within five minutes
/// of expiring (temporary credentials from STS, the container endpoint or IMDS last an hour
/// or so, and a long scan or the live service outlives them). Concurrent callers share one fetch.
public actor CachingCredentialProvider: CredentialProvider {
    private let fetch: @Sendable () async throws -> AWSCredentials
    private let now: @Sendable () -> Int64
    private var cached: AWSCredentials?
    private var inFlight: Task<AWSCredentials, any Error>?
    /// How many times `fetch` ran (refreshes included), for tests and `--verbose`.
    public private(set) var fetches = 0

    /// Creates a cache over `fetch`; `now` is seconds since the epoch (the wall clock by default).
    public init(
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) },
        fetch: @escaping @Sendable () async throws -> AWSCredentials
    ) {
        self.fetch = fetch
        self.now = now
    }

    /// The cached credentials, or fresh ones when there are none or they are about to expire.
    public func credentials() async throws -> AWSCredentials {
        if let cached, !cached.needsRefresh(now: now()) { return cached }
        if let inFlight { return try await inFlight.value }
        let task = Task { try await fetch() }
        inFlight = task
        defer { inFlight = nil }
        fetches += 1
        let fresh = try await task.value
        cached = fresh
        return fresh
    }
}
