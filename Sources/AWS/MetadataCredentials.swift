import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Credentials served over plain HTTP by the platform: the container endpoint (ECS task
/// roles, EKS Pod Identity) and EC2's instance metadata service (IMDSv2: a session token from
/// a PUT, then GETs carrying it). Both answer the same JSON shape.
struct MetadataCredentials: Sendable {
    let http: HTTPClient
    let env: [String: String]
    /// Per-request deadline; short by default (off EC2 nothing answers), longer in loaded tests.
    var timeout: TimeAmount = .seconds(2)

    /// Where ECS serves relative URIs from.
    static let ecsHost = "http://169.254.170.2"
    /// IMDS's default address.
    static let imdsHost = "http://169.254.169.254"

    /// Container credentials, nil when neither URI variable is set.
    func container() async throws -> AWSCredentials? {
        let url: String
        if let relative = env["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"], !relative.isEmpty {
            url = MetadataCredentials.ecsHost + relative
        } else if let full = env["AWS_CONTAINER_CREDENTIALS_FULL_URI"], !full.isEmpty {
            url = full
        } else {
            return nil
        }
        var request = HTTPClientRequest(url: url)
        if let file = env["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] {
            guard let token = CredentialChain.readSmallFile(file) else {
                throw AWSError("aws.credentials", "container authorization token file \(file) cannot be read")
            }
            request.headers.add(name: "Authorization", value: token.trimmingSpaces())
        } else if let token = env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] {
            request.headers.add(name: "Authorization", value: token)
        }
        let body = try await fetch(request, what: "container credentials endpoint \(url)")
        return try MetadataCredentials.parse(body, source: "container endpoint")
    }

    /// Instance credentials through IMDSv2; nil when IMDS is disabled or does not answer
    /// (not on EC2), an error when it answers badly.
    func instance() async throws -> AWSCredentials? {
        if env["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" { return nil }
        var base = env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] ?? MetadataCredentials.imdsHost
        if base.hasSuffix("/") { base.removeLast() }
        var tokenRequest = HTTPClientRequest(url: base + "/latest/api/token")
        tokenRequest.method = .PUT
        tokenRequest.headers.add(name: "X-aws-ec2-metadata-token-ttl-seconds", value: "21600")
        let token: String
        do {
            let response = try await http.execute(tokenRequest, timeout: timeout)
            guard response.status == .ok else { return nil }
            token = String(decoding: try await AWSClient.collect(response, max: 4096), as: UTF8.self)
        } catch {
            return nil  // nothing listening: not on EC2 (or IMDS blocked), so the chain ends here
        }
        let path = base + "/latest/meta-data/iam/security-credentials/"
        var listRequest = HTTPClientRequest(url: path)
        listRequest.headers.add(name: "X-aws-ec2-metadata-token", value: token)
        let names = String(decoding: try await fetch(listRequest, what: "IMDS role list"), as: UTF8.self)
        guard let role = names.split(whereSeparator: \.isNewline).first.map(String.init), !role.isEmpty else {
            throw AWSError("aws.credentials", "instance metadata lists no IAM role for this instance")
        }
        var credsRequest = HTTPClientRequest(url: path + SigV4.uriEncode(role, keepSlash: false))
        credsRequest.headers.add(name: "X-aws-ec2-metadata-token", value: token)
        let body = try await fetch(credsRequest, what: "IMDS credentials for role \(role)")
        return try MetadataCredentials.parse(body, source: "instance profile \(role)")
    }

    private func fetch(_ request: HTTPClientRequest, what: String) async throws -> Data {
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: timeout + .seconds(3))
        } catch {
            throw AWSError("aws.credentials", "\(what): \(error)")
        }
        let body = try await AWSClient.collect(response, max: 64 << 10)
        guard response.status == .ok else {
            throw AWSError(
                "aws.credentials", "\(what): HTTP \(response.status.code)", status: Int(response.status.code))
        }
        return body
    }

    private struct Answer: Decodable {
        var AccessKeyId: String?
        var SecretAccessKey: String?
        var Token: String?
        var Expiration: String?
        var Code: String?
    }

    /// `{"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}` to credentials.
    static func parse(_ body: Data, source: String) throws -> AWSCredentials {
        guard let a = try? JSONDecoder().decode(Answer.self, from: body), let id = a.AccessKeyId,
            let secret = a.SecretAccessKey
        else {
            throw AWSError("aws.credentials", "\(source): answer is not a credentials document")
        }
        if let code = a.Code, code != "Success" { throw AWSError("aws.credentials", "\(source): \(code)") }
        return AWSCredentials(
            accessKeyId: id, secretAccessKey: secret, sessionToken: a.Token,
            expiration: a.Expiration.flatMap(parseISO8601Seconds), source: source)
    }
}
