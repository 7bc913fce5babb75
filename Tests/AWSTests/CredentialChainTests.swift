import AsyncHTTPClient
import FlyingFox
import NIOCore
import Foundation
import TestSupport
import Testing

@testable import AWS

/// The credential chain against real files, real loopback HTTP servers and a real moto STS.
@Suite struct CredentialChainTests {
    let http = HTTPClient.shared
    /// An environment that cannot reach any real metadata service or home directory.
    static func baseEnv(_ dir: URL) -> [String: String] {
        [
            "HOME": dir.path, "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": dir.appendingPathComponent("config").path,
            "AWS_SHARED_CREDENTIALS_FILE": dir.appendingPathComponent("credentials").path,
        ]
    }

    static func tempDir() throws -> URL { try Repository.temporaryDirectory("th-aws") }

    @Test func sharedConfigParsesBothFilesAndCredentialsWin() {
        let config = SharedConfig(
            config: """
                [default]
                region = eu-west-1
                [profile ops]
                role_arn = arn:aws:iam::123456789012:role/ops   # inline comment
                source_profile = default
                s3 =
                  max_concurrent_requests = 4
                [sso-session corp]
                sso_region = us-east-1
                [profile]
                ; comment
                """,
            credentials:
                "[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key=SECRETFILE\nregion = us-west-2\n")
        #expect(config["default"]?["aws_access_key_id"] == "AKIDFILE")
        #expect(config["default"]?["region"] == "us-west-2")
        #expect(config["ops"]?["role_arn"] == "arn:aws:iam::123456789012:role/ops")
        #expect(config["ops"]?["max_concurrent_requests"] == nil)
        #expect(config["corp"] == nil && config["sso-session corp"] == nil)
        #expect(config.profiles.count == 2)
    }

    @Test func environmentComesFirst() async throws {
        let dir = try Self.tempDir()
        try "[default]\naws_access_key_id=FILE\naws_secret_access_key=S\n".write(
            to: dir.appendingPathComponent("credentials"), atomically: true, encoding: .utf8)
        var env = Self.baseEnv(dir)
        env["AWS_ACCESS_KEY_ID"] = "ENVKEY"
        env["AWS_SECRET_ACCESS_KEY"] = "ENVSECRET"
        env["AWS_SESSION_TOKEN"] = "ENVTOKEN"
        let creds = try await CredentialChain(env: env, http: http, region: "us-east-1").resolve()
        #expect(creds.accessKeyId == "ENVKEY" && creds.sessionToken == "ENVTOKEN" && creds.source == "environment")
        #expect(!creds.description.contains("ENVSECRET"))
    }

    @Test func profileFromTheSharedFiles() async throws {
        let dir = try Self.tempDir()
        try
            "[default]\naws_access_key_id=DEF\naws_secret_access_key=S1\n[dev]\naws_access_key_id=DEV\naws_secret_access_key=S2\n"
            .write(to: dir.appendingPathComponent("credentials"), atomically: true, encoding: .utf8)
        try "[profile dev]\nregion = ap-south-1\n".write(
            to: dir.appendingPathComponent("config"), atomically: true, encoding: .utf8)
        var env = Self.baseEnv(dir)
        #expect(try await CredentialChain(env: env, http: http, region: "us-east-1").resolve().accessKeyId == "DEF")
        env["AWS_PROFILE"] = "dev"
        let dev = try await CredentialChain(env: env, http: http, region: "us-east-1").resolve()
        #expect(dev.accessKeyId == "DEV" && dev.source == "profile dev")
        #expect(CredentialChain.region(env: env, flag: nil) == "ap-south-1")
        env["AWS_REGION"] = "sa-east-1"
        #expect(CredentialChain.region(env: env, flag: nil) == "sa-east-1")
        #expect(CredentialChain.region(env: env, flag: "eu-north-1") == "eu-north-1")
        env["AWS_PROFILE"] = "missing"
        await #expect(throws: AWSError.self) {
            try await CredentialChain(env: env, http: http, region: "us-east-1").resolve()
        }
    }

    @Test func nothingFoundIsACredentialsError() async throws {
        let env = Self.baseEnv(try Self.tempDir())
        do {
            _ = try await CredentialChain(env: env, http: http, region: "us-east-1").resolve()
            Issue.record("expected aws.credentials")
        } catch let e as AWSError {
            #expect(e.code == "aws.credentials")
            #expect(e.message.contains("no AWS credentials found"))
        }
    }

    @Test func containerEndpointWithAuthorizationTokenFile() async throws {
        let server = LoopbackServer()
        try await server.start { _, _ in
            HTTPResponse(statusCode: .ok, body: LoopbackServer.credentialsJSON("ASIACONTAINER"))
        }
        defer { Task { await server.stop() } }
        let dir = try Self.tempDir()
        let tokenFile = dir.appendingPathComponent("token")
        try "pod-identity-token\n".write(to: tokenFile, atomically: true, encoding: .utf8)
        var env = Self.baseEnv(dir)
        env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server.base + "/v1/credentials"
        env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = tokenFile.path
        var chain = CredentialChain(env: env, http: http, region: "us-east-1")
        chain.metadataTimeout = .seconds(30)  // the full suite loads the machine
        let creds = try await chain.resolve()
        #expect(creds.accessKeyId == "ASIACONTAINER" && creds.sessionToken == "token-ASIACONTAINER")
        #expect(creds.expiration == 4_070_908_800)
        #expect(server.requests.first?.path == "/v1/credentials")
        #expect(server.requests.first?.headers["authorization"] == "pod-identity-token")
    }

    @Test func imdsV2TokenThenRoleThenCredentials() async throws {
        let server = LoopbackServer()
        try await server.start { _, req in
            if req.method == .PUT { return HTTPResponse(statusCode: .ok, body: Data("imds-token".utf8)) }
            guard req.headers[HTTPHeader("X-aws-ec2-metadata-token")] == "imds-token" else {
                return HTTPResponse(statusCode: .unauthorized)
            }
            if req.path.hasSuffix("/security-credentials/") || req.path.hasSuffix("/security-credentials") {
                return HTTPResponse(statusCode: .ok, body: Data("web-role\n".utf8))
            }
            return HTTPResponse(statusCode: .ok, body: LoopbackServer.credentialsJSON("ASIAINSTANCE"))
        }
        defer { Task { await server.stop() } }
        var env = Self.baseEnv(try Self.tempDir())
        env["AWS_EC2_METADATA_DISABLED"] = nil
        env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = server.base + "/"
        var chain = CredentialChain(env: env, http: http, region: "us-east-1")
        chain.metadataTimeout = .seconds(30)  // the full suite loads the machine
        let creds = try await chain.resolve()
        #expect(creds.accessKeyId == "ASIAINSTANCE" && creds.source == "instance profile web-role")
        let seen = server.requests
        #expect(seen.map(\.method) == ["PUT", "GET", "GET"])
        #expect(seen.first?.headers["x-aws-ec2-metadata-token-ttl-seconds"] == "21600")
        #expect(seen.last?.path == "/latest/meta-data/iam/security-credentials/web-role")
        // Disabled: the chain never asks and ends with the credentials error.
        env["AWS_EC2_METADATA_DISABLED"] = "true"
        await #expect(throws: AWSError.self) {
            try await CredentialChain(env: env, http: http, region: "us-east-1").resolve()
        }
        #expect(server.requests.count == 3)
    }

    @Test func cacheRefreshesBeforeExpiry() async throws {
        let clock = Clock()
        let counter = Counter()
        let cache = CachingCredentialProvider(now: { clock.now }) {
            let n = counter.next()
            return AWSCredentials(accessKeyId: "K\(n)", secretAccessKey: "s", expiration: 1000)
        }
        #expect(try await cache.credentials().accessKeyId == "K1")
        clock.now = 600  // more than 5 minutes before expiry: cached
        #expect(try await cache.credentials().accessKeyId == "K1")
        clock.now = 701  // within 5 minutes: fetched again
        #expect(try await cache.credentials().accessKeyId == "K2")
        #expect(await cache.fetches == 2)
    }

    final class Clock: @unchecked Sendable { var now: Int64 = 0 }
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func next() -> Int {
            lock.withLock {
                n += 1; return n
            }
        }
    }
}

/// STS through a real moto server: `role_arn` + `source_profile`, and web identity (EKS IRSA).
@Suite(.enabled(if: MotoServer.unavailableReason == nil, "moto_server is not on PATH"))
struct STSMotoTests {
    @Test func assumeRoleFromASourceProfile() async throws {
        let moto = try MotoServer()
        defer { moto.stop() }
        let dir = try CredentialChainTests.tempDir()
        try "[base]\naws_access_key_id=AKIDBASE\naws_secret_access_key=basesecret\n".write(
            to: dir.appendingPathComponent("credentials"), atomically: true, encoding: .utf8)
        try
            "[profile ops]\nrole_arn = arn:aws:iam::123456789012:role/ops\nsource_profile = base\nrole_session_name = th-test\n"
            .write(to: dir.appendingPathComponent("config"), atomically: true, encoding: .utf8)
        var env = CredentialChainTests.baseEnv(dir)
        env["AWS_PROFILE"] = "ops"
        env["AWS_ENDPOINT_URL_STS"] = moto.endpoint
        let creds = try await CredentialChain(env: env, http: .shared, region: "us-east-1").resolve()
        #expect(creds.accessKeyId != "AKIDBASE" && !creds.accessKeyId.isEmpty)
        #expect(creds.sessionToken?.isEmpty == false)
        #expect(creds.expiration != nil)
        #expect(creds.source == "role arn:aws:iam::123456789012:role/ops")
    }

    @Test func webIdentityTokenFile() async throws {
        let moto = try MotoServer()
        defer { moto.stop() }
        let dir = try CredentialChainTests.tempDir()
        let token = dir.appendingPathComponent("token")
        try "eyJhbGciOiJSUzI1NiJ9.e30.c2ln".write(to: token, atomically: true, encoding: .utf8)
        var env = CredentialChainTests.baseEnv(dir)
        env["AWS_WEB_IDENTITY_TOKEN_FILE"] = token.path
        env["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/irsa"
        env["AWS_ENDPOINT_URL_STS"] = moto.endpoint
        let creds = try await CredentialChain(env: env, http: .shared, region: "us-east-1").resolve()
        #expect(creds.source == "web identity arn:aws:iam::123456789012:role/irsa")
        #expect(creds.sessionToken?.isEmpty == false && creds.expiration != nil)
    }
}
