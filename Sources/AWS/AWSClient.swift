import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One AWS API call before signing: which service, where, and what to send.
public struct AWSRequest: Sendable {
    /// Service name for the signature scope (`s3`, `sts`, `sqs`).
    public var service: String
    /// HTTP method.
    public var method: HTTPMethod
    /// `scheme://host[:port]` with no path.
    public var endpoint: String
    /// Path, not yet percent-encoded.
    public var path: String
    /// Query parameters, not yet percent-encoded.
    public var query: [(String, String)]
    /// Extra headers (signed along with `host`).
    public var headers: [(String, String)]
    /// Body bytes (empty for GET).
    public var body: [UInt8]
    /// Largest answer body read into memory; a longer one is `aws.bad_response`.
    public var maxResponseBytes: Int

    /// Creates a request.
    public init(
        service: String, method: HTTPMethod = .GET, endpoint: String, path: String = "/",
        query: [(String, String)] = [], headers: [(String, String)] = [], body: [UInt8] = [],
        maxResponseBytes: Int = 8 << 20
    ) {
        self.service = service
        self.method = method
        self.endpoint = endpoint
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.maxResponseBytes = maxResponseBytes
    }

    /// `host[:port]` of the endpoint, as the `Host` header and the signature carry it.
    var host: String {
        let afterScheme = endpoint.range(of: "://").map { endpoint[$0.upperBound...] } ?? Substring(endpoint)
        return String(afterScheme.prefix { $0 != "/" })
    }

    /// The full URL, encoded exactly as the signature encodes it.
    var url: String {
        let q = query.map { SigV4.uriEncode($0.0, keepSlash: false) + "=" + SigV4.uriEncode($0.1, keepSlash: false) }
        return endpoint + SigV4.uriEncode(path.isEmpty ? "/" : path, keepSlash: true)
            + (q.isEmpty ? "" : "?" + q.joined(separator: "&"))
    }
}

/// A buffered answer.
public struct AWSResponse: Sendable {
    /// HTTP status.
    public var status: Int
    /// Response headers.
    public var headers: HTTPHeaders
    /// The body, at most the request's `maxResponseBytes`.
    public var body: Data
}

/// Sends signed AWS requests over a caller-provided `HTTPClient` (TLS, proxies and CA bundle
/// are the caller's choice), with retries and backoff on throttling, timeouts and 5xx, and
/// bounded answer bodies. Errors are `AWSError` with stable codes.
public final class AWSClient: Sendable {
    /// The HTTP client every request goes through.
    public let http: HTTPClient
    /// Where credentials come from (cached and refreshed by the provider).
    public let credentials: any CredentialProvider
    /// Region of the signature scope.
    public let region: String
    /// Retry policy.
    public let retry: AWSRetry
    /// Waiting for the answer's head at most this long per attempt.
    public let headTimeout: TimeAmount

    /// Creates a client.
    public init(
        http: HTTPClient, credentials: any CredentialProvider, region: String, retry: AWSRetry = AWSRetry(),
        headTimeout: TimeAmount = .seconds(60)
    ) {
        self.http = http
        self.credentials = credentials
        self.region = region
        self.retry = retry
        self.headTimeout = headTimeout
    }

    /// Sends `request` and reads the whole (bounded) answer; a non-2xx answer after the
    /// retries is thrown as `AWSError` with the service's code and message.
    public func send(_ request: AWSRequest) async throws -> AWSResponse {
        let response = try await open(request)
        let body = try await AWSClient.collect(response, max: request.maxResponseBytes)
        return AWSResponse(status: Int(response.status.code), headers: response.headers, body: body)
    }

    /// Sends `request` and returns the answer with its body still to be streamed (GetObject);
    /// non-2xx answers are read (bounded), retried when that helps, and thrown.
    public func open(_ request: AWSRequest) async throws -> HTTPClientResponse {
        var rng = SystemRandomNumberGenerator()
        var attempt = 0
        while true {
            attempt += 1
            let last = attempt >= retry.maxAttempts
            do {
                let response = try await http.execute(try await prepare(request), timeout: headTimeout)
                let status = Int(response.status.code)
                if (200...299).contains(status) { return response }
                let error = AWSClient.error(
                    status: status, body: try await AWSClient.collect(response, max: 64 << 10), request: request)
                if last || !AWSRetry.isRetryable(status: status, serviceCode: error.serviceCode) { throw error }
            } catch let error as AWSError {
                if error.status != nil || last || error.code == "aws.credentials" { throw error }
            } catch {
                if last || Task.isCancelled {
                    throw AWSError(
                        "aws.request_failed", "\(request.method) \(request.host)\(request.path): \(error)")
                }
            }
            let wait = retry.delayMillis(attempt: attempt, using: &rng)
            try await Task.sleep(nanoseconds: UInt64(wait) * 1_000_000)
        }
    }

    /// The request with its signature headers, signed now with current credentials.
    func prepare(_ request: AWSRequest) async throws -> HTTPClientRequest {
        let creds = try await credentials.credentials()
        let signer = SigV4(credentials: creds, region: region, service: request.service)
        let payloadHash =
            request.body.isEmpty ? SigV4.emptyPayloadHash : SigV4.sha256Hex(request.body)
        let described = SigningRequest(
            method: request.method.rawValue, path: request.path, query: request.query,
            headers: [("host", request.host)] + request.headers, payloadHash: payloadHash)
        let now = Int64(Date().timeIntervalSince1970)
        var http = HTTPClientRequest(url: request.url)
        http.method = request.method
        http.headers.add(name: "Host", value: request.host)
        for (name, value) in request.headers { http.headers.add(name: name, value: value) }
        for (name, value) in signer.signingHeaders(for: described, at: now) {
            http.headers.add(name: name, value: value)
        }
        if !request.body.isEmpty { http.body = .bytes(ByteBuffer(bytes: request.body)) }
        return http
    }

    /// The service's error from a failed answer: code and message from an XML or JSON body when
    /// there is one (S3 `<Error>`, STS/SQS `<ErrorResponse>`, JSON `__type`), else the status.
    static func error(status: Int, body: Data, request: AWSRequest) -> AWSError {
        var serviceCode: String? = nil
        var message: String? = nil
        if let xml = XMLNode.parse(body) {
            let err = xml.name == "Error" ? xml : (xml.child("Error") ?? xml)
            serviceCode = err.text("Code")
            message = err.text("Message")
        } else if let json = try? JSONDecoder().decode(JSONError.self, from: body) {
            serviceCode = json.__type?.split(separator: "#").last.map(String.init)
            message = json.message ?? json.Message
        }
        let what = "\(request.method) \(request.endpoint)\(request.path)"
        let text = [serviceCode, message].compactMap { $0 }.joined(separator: ": ")
        return AWSError(
            AWSError.classify(status: status, serviceCode: serviceCode),
            "\(what): HTTP \(status)" + (text.isEmpty ? "" : " \(text.prefix(300))"),
            serviceCode: serviceCode, status: status)
    }

    private struct JSONError: Decodable {
        var __type: String?
        var message: String?
        var Message: String?
    }

    /// Reads a body up to `max` bytes; longer is `aws.bad_response` rather than unbounded memory.
    static func collect(_ response: HTTPClientResponse, max: Int) async throws -> Data {
        do {
            var buffer = try await response.body.collect(upTo: max)
            return Data(buffer.readBytes(length: buffer.readableBytes) ?? [])
        } catch is NIOTooManyBytesError {
            throw AWSError("aws.bad_response", "answer body larger than \(max) bytes")
        }
    }
}
