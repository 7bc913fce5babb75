import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// `s3://bucket/prefix` split into its parts.
public struct S3URL: Sendable, Hashable, CustomStringConvertible {
    /// Bucket name.
    public var bucket: String
    /// Key or key prefix (may be empty: the whole bucket).
    public var key: String

    /// Creates a location.
    public init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }

    /// Parses `s3://bucket[/key]`; nil when it is not an s3 URL or has no bucket.
    public init?(_ text: String) {
        guard text.lowercased().hasPrefix("s3://") else { return nil }
        let rest = text.dropFirst(5)
        let bucket = rest.prefix { $0 != "/" }
        guard !bucket.isEmpty, bucket.count <= 255 else { return nil }
        self.bucket = String(bucket)
        self.key = String(rest.dropFirst(bucket.count + 1))
    }

    /// `s3://bucket/key`.
    public var description: String { "s3://\(bucket)/\(key)" }
}

/// One listed object.
public struct S3Object: Sendable, Hashable {
    /// The key.
    public var key: String
    /// Size in bytes.
    public var size: Int64

    /// Creates an object entry.
    public init(key: String, size: Int64) {
        self.key = key
        self.size = size
    }
}

/// One ListObjectsV2 page.
public struct S3ListPage: Sendable, Hashable {
    /// Objects on this page.
    public var objects: [S3Object] = []
    /// Folders (`CommonPrefixes`) when listing with a delimiter.
    public var prefixes: [String] = []
    /// Token for the next page; nil on the last page.
    public var continuation: String?

    /// An empty page (to accumulate several into).
    public init() {}

    /// Parses a `ListBucketResult` answer; `aws.bad_response` when it is not one.
    public static func parse(_ body: Data) throws -> S3ListPage {
        guard let root = XMLNode.parse(body), root.name == "ListBucketResult" else {
            throw AWSError("aws.bad_response", "ListObjectsV2 answer is not a ListBucketResult")
        }
        var page = S3ListPage()
        for c in root.all("Contents") {
            guard let key = c.text("Key"), !key.isEmpty else { continue }
            page.objects.append(S3Object(key: key, size: c.text("Size").flatMap { Int64($0) } ?? 0))
        }
        page.prefixes = root.all("CommonPrefixes").compactMap { $0.text("Prefix") }
        if root.text("IsTruncated") == "true" {
            guard let token = root.text("NextContinuationToken"), !token.isEmpty else {
                throw AWSError("aws.bad_response", "ListObjectsV2 page is truncated but has no continuation token")
            }
            page.continuation = token
        }
        return page
    }
}

/// The two S3 calls a scan needs: ListObjectsV2 and GetObject (streamed). SSE-S3 and SSE-KMS
/// objects need nothing special: S3 decrypts on GET when the caller may use the key.
public struct S3Client: Sendable {
    /// Signed-request client.
    public let client: AWSClient
    /// `--endpoint-url` (path-style addressing, as S3-compatible stores and moto want); nil for AWS.
    public let endpoint: String?

    /// Creates an S3 client; `endpoint` overrides AWS's (`AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`).
    public init(client: AWSClient, endpoint: String? = nil) {
        self.client = client
        self.endpoint = endpoint.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    /// The endpoint override from the environment: `AWS_ENDPOINT_URL_S3`, then `AWS_ENDPOINT_URL`.
    public static func endpoint(env: [String: String]) -> String? {
        (env["AWS_ENDPOINT_URL_S3"] ?? env["AWS_ENDPOINT_URL"]).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Endpoint and path for `key` in `bucket`: virtual-hosted on AWS for DNS-safe names without
    /// dots (TLS wildcard certificates cover one label), path-style otherwise.
    func address(_ bucket: String, _ key: String) -> (endpoint: String, path: String) {
        if let endpoint { return (endpoint, "/\(bucket)/\(key)") }
        let dnsSafe =
            !bucket.contains(".")
            && bucket.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
        if dnsSafe { return ("https://\(bucket).s3.\(client.region).amazonaws.com", "/\(key)") }
        return ("https://s3.\(client.region).amazonaws.com", "/\(bucket)/\(key)")
    }

    /// One page of `ListObjectsV2`.
    public func listPage(
        bucket: String, prefix: String, delimiter: String? = nil, continuation: String? = nil, maxKeys: Int? = nil
    ) async throws -> S3ListPage {
        var query: [(String, String)] = [("list-type", "2"), ("prefix", prefix)]
        if let delimiter { query.append(("delimiter", delimiter)) }
        if let continuation { query.append(("continuation-token", continuation)) }
        if let maxKeys { query.append(("max-keys", String(maxKeys))) }
        let (endpoint, path) = address(bucket, "")
        let response = try await client.send(
            AWSRequest(service: "s3", endpoint: endpoint, path: path, query: query, maxResponseBytes: 16 << 20))
        return try S3ListPage.parse(response.body)
    }

    /// All pages under `prefix`, at most `limit` objects (a bound on memory for huge buckets;
    /// `truncated` says the listing stopped there).
    public func list(
        bucket: String, prefix: String, delimiter: String? = nil, maxKeys: Int? = nil, limit: Int = 10_000_000
    ) async throws -> (page: S3ListPage, truncated: Bool) {
        var all = S3ListPage()
        var token: String? = nil
        repeat {
            let page = try await listPage(
                bucket: bucket, prefix: prefix, delimiter: delimiter, continuation: token, maxKeys: maxKeys)
            all.objects += page.objects
            all.prefixes += page.prefixes
            token = page.continuation
            if all.objects.count >= limit { return (all, token != nil) }
        } while token != nil
        return (all, false)
    }

    /// `GetObject`, from byte `offset` on (a `Range` request, to resume a broken read); the
    /// body is left to stream.
    public func get(bucket: String, key: String, offset: Int64 = 0) async throws -> HTTPClientResponse {
        let (endpoint, path) = address(bucket, key)
        let headers = offset > 0 ? [("Range", "bytes=\(offset)-")] : []
        return try await client.open(AWSRequest(service: "s3", endpoint: endpoint, path: path, headers: headers))
    }
}
