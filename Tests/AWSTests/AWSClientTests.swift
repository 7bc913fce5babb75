import AsyncHTTPClient
import FlyingFox
import Foundation
import Testing

@testable import AWS

/// The signed-request client against a real loopback server answering as S3 does when it
/// throttles, denies or breaks.
@Suite struct AWSClientTests {
    static let creds = StaticCredentialProvider(AWSCredentials(accessKeyId: "AKIDTEST", secretAccessKey: "secret"))
    static let fastRetry = AWSRetry(maxAttempts: 4, baseMillis: 1, maxMillis: 5)

    static func s3Error(_ code: String, _ status: HTTPStatusCode) -> HTTPResponse {
        HTTPResponse(
            statusCode: status,
            body: Data("<?xml version=\"1.0\"?><Error><Code>\(code)</Code><Message>m-\(code)</Message></Error>".utf8))
    }

    func client(_ server: LoopbackServer) -> S3Client {
        S3Client(
            client: AWSClient(http: .shared, credentials: Self.creds, region: "us-east-1", retry: Self.fastRetry),
            endpoint: server.base)
    }

    @Test func throttlingAnd5xxAreRetriedUntilSuccess() async throws {
        let server = LoopbackServer()
        try await server.start { n, _ in
            switch n {
            case 0: return Self.s3Error("SlowDown", .serviceUnavailable)
            case 1: return HTTPResponse(statusCode: .tooManyRequests)
            case 2: return Self.s3Error("InternalError", .internalServerError)
            default:
                return HTTPResponse(
                    statusCode: .ok,
                    body: Data(
                        "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>a/b.json.gz</Key><Size>12</Size></Contents></ListBucketResult>"
                            .utf8))
            }
        }
        defer { Task { await server.stop() } }
        let page = try await client(server).listPage(bucket: "bkt", prefix: "a/")
        #expect(page.objects == [S3Object(key: "a/b.json.gz", size: 12)])
        #expect(server.requests.count == 4)
        let auth = server.requests.last?.headers["authorization"] ?? ""
        #expect(auth.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDTEST/"))
        #expect(server.requests.last?.path.hasPrefix("/bkt") == true)  // FlyingFox drops the trailing slash
    }

    @Test func accessDeniedIsNotRetriedAndKeepsItsCode() async throws {
        let server = LoopbackServer()
        try await server.start { _, _ in Self.s3Error("AccessDenied", .forbidden) }
        defer { Task { await server.stop() } }
        do {
            _ = try await client(server).listPage(bucket: "bkt", prefix: "")
            Issue.record("expected AccessDenied")
        } catch let e as AWSError {
            #expect(e.code == "aws.access_denied" && e.serviceCode == "AccessDenied" && e.status == 403)
            #expect(e.message.contains("m-AccessDenied"))
        }
        #expect(server.requests.count == 1)
    }

    @Test func persistentThrottlingGivesUpAfterTheLastAttempt() async throws {
        let server = LoopbackServer()
        try await server.start { _, _ in Self.s3Error("SlowDown", .serviceUnavailable) }
        defer { Task { await server.stop() } }
        do {
            _ = try await client(server).listPage(bucket: "bkt", prefix: "")
            Issue.record("expected aws.throttled")
        } catch let e as AWSError {
            #expect(e.code == "aws.throttled" && e.serviceCode == "SlowDown")
        }
        #expect(server.requests.count == Self.fastRetry.maxAttempts)
    }

    @Test func anOversizedAnswerIsABadResponseNotUnboundedMemory() async throws {
        let server = LoopbackServer()
        try await server.start { _, _ in HTTPResponse(statusCode: .ok, body: Data(count: 64 << 10)) }
        defer { Task { await server.stop() } }
        let aws = AWSClient(http: .shared, credentials: Self.creds, region: "us-east-1", retry: Self.fastRetry)
        do {
            _ = try await aws.send(AWSRequest(service: "s3", endpoint: server.base, maxResponseBytes: 1024))
            Issue.record("expected aws.bad_response")
        } catch let e as AWSError {
            #expect(e.code == "aws.bad_response")
        }
    }

    @Test func retryDelaysGrowAndStayUnderTheCap() {
        let policy = AWSRetry(maxAttempts: 10, baseMillis: 100, maxMillis: 1000)
        var rng = SystemRandomNumberGenerator()
        for attempt in 1...10 {
            let cap = min(1000, 100 << (attempt - 1))
            for _ in 0..<50 { #expect((0...cap).contains(policy.delayMillis(attempt: attempt, using: &rng))) }
        }
        #expect(AWSRetry.isRetryable(status: 400, serviceCode: "RequestTimeout"))
        #expect(AWSRetry.isRetryable(status: 400, serviceCode: "ThrottlingException"))
        #expect(!AWSRetry.isRetryable(status: 404, serviceCode: "NoSuchKey"))
        #expect(AWSError.classify(status: 404, serviceCode: "NoSuchKey") == "aws.not_found")
    }

    @Test func listPageParsingNeedsATokenWhenTruncated() throws {
        let truncated = Data("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>".utf8)
        #expect(throws: AWSError.self) { try S3ListPage.parse(truncated) }
        #expect(throws: AWSError.self) { try S3ListPage.parse(Data("<html>".utf8)) }
        let page = try S3ListPage.parse(
            Data(
                "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><IsTruncated>true</IsTruncated><NextContinuationToken>t1</NextContinuationToken><CommonPrefixes><Prefix>AWSLogs/</Prefix></CommonPrefixes></ListBucketResult>"
                    .utf8))
        #expect(page.continuation == "t1" && page.prefixes == ["AWSLogs/"])
    }
}
