import AWS
import AsyncHTTPClient
import EventModel
import Foundation
import Ingest

/// How `s3://` inputs are reached: flags and environment, plus the HTTP client the CLI made.
public struct CloudOptions: Sendable {
    /// `--endpoint-url` (else `AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`): an S3-compatible store.
    public var endpointURL: String? = nil
    /// `--region` (else `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's region, `us-east-1`).
    public var region: String? = nil
    /// The HTTP client for every AWS call (TLS, proxy and CA bundle settings are its own);
    /// nil: none was made, and an `s3://` input is an error.
    public var http: HTTPClient? = nil
    /// Environment the credential chain reads (the process's by default).
    public var environment: [String: String] = ProcessInfo.processInfo.environment
    /// Objects read at once (decode threads waiting on the network); at least the scan's workers.
    public var inFlight: Int = 8
    /// `max-keys` per ListObjectsV2 page; nil for S3's default of 1000 (tests page with less).
    public var pageSize: Int? = nil

    /// Defaults: no endpoint override, region and credentials from the environment.
    public init() {}
}

/// Splits inputs into local paths and `s3://` URLs, lists the URLs and wires an object source
/// into the ingest options, so the pipeline reads objects the way it reads files.
public enum CloudInputs {
    /// The resolved inputs.
    public struct Resolved {
        /// Local and S3 inputs in reading order.
        public var files: [InputFile]
        /// Discovery and listing problems.
        public var diagnostics: [Diagnostic]
        /// Set when any input is in S3: goes into `IngestOptions.objects`.
        public var objects: ObjectSourceRef?
        /// ListObjectsV2 requests made.
        public var listRequests = 0
    }

    /// True when some input is an `s3://` URL, so that the HTTP client (a NIO event loop, TLS
    /// settings) is made only for a run that reads from the cloud.
    public static func reachesCloud(_ paths: [String]) -> Bool { paths.contains { S3URL($0) != nil } }

    /// Discovers local paths with `InputDiscovery` and lists `s3://` URLs; an AWS setup problem
    /// (no credentials, no HTTP client) is thrown as `AWSError` before anything is read.
    public static func resolve(
        _ paths: [String], since: Int64?, until: Int64?, cloud: CloudOptions
    ) throws -> Resolved {
        let urls = paths.compactMap { S3URL($0) }
        let local = InputDiscovery.discover(paths.filter { S3URL($0) == nil }, since: since, until: until)
        guard !urls.isEmpty else { return Resolved(files: local.files, diagnostics: local.diagnostics) }
        let s3 = try client(cloud)
        // Credentials first: without them every listing would fail the same way, one diagnostic each.
        let provider = s3.client.credentials
        _ = try blocking { try await provider.credentials() }
        var listing = S3Listing(s3: s3, since: since, until: until)
        listing.pageSize = cloud.pageSize
        let lister = listing
        let listed = try blocking { await lister.list(urls) }
        return Resolved(
            files: S3Listing.order(local.files + listed.files), diagnostics: local.diagnostics + listed.diagnostics,
            objects: ObjectSourceRef(S3ObjectSource(s3: s3)), listRequests: listed.requests)
    }

    /// An S3 client with the credential chain, the region and the endpoint resolved.
    public static func client(_ cloud: CloudOptions) throws -> S3Client {
        guard let http = cloud.http else { throw AWSError("aws.config", "no HTTP client for s3:// inputs") }
        let env = cloud.environment
        let region = CredentialChain.region(env: env, flag: cloud.region) ?? "us-east-1"
        let chain = CredentialChain(env: env, http: http, region: region)
        let client = AWSClient(http: http, credentials: chain.provider(), region: region)
        return S3Client(client: client, endpoint: cloud.endpointURL ?? S3Client.endpoint(env: env))
    }

    /// Runs async work from synchronous code (the scan runs on plain threads) and waits for it.
    static func blocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            do { box.result = .success(try await work()) } catch { box.result = .failure(error) }
            done.signal()
        }
        done.wait()
        guard let result = box.result else { throw AWSError("aws.request_failed", "task ended without a result") }
        return try result.get()
    }

    private final class ResultBox<T>: @unchecked Sendable {
        var result: Result<T, any Error>?
    }
}
