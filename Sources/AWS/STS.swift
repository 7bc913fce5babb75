import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The two STS calls the credential chain needs, over the Query API (form-encoded POST,
/// XML answer): AssumeRole (signed with the source credentials) and
/// AssumeRoleWithWebIdentity (unsigned: the token file is the proof).
struct STS: Sendable {
    let http: HTTPClient
    let region: String
    let endpoint: String

    /// `AWS_ENDPOINT_URL_STS`, then `AWS_ENDPOINT_URL`, else the regional endpoint.
    static func endpoint(env: [String: String], region: String) -> String {
        if let e = env["AWS_ENDPOINT_URL_STS"] ?? env["AWS_ENDPOINT_URL"], !e.isEmpty {
            return e.hasSuffix("/") ? String(e.dropLast()) : e
        }
        return "https://sts.\(region).amazonaws.com"
    }

    func assumeRole(
        roleArn: String, sessionName: String?, externalId: String?, durationSeconds: Int?,
        using source: AWSCredentials
    ) async throws -> AWSCredentials {
        var form = [
            ("Action", "AssumeRole"), ("Version", "2011-06-15"), ("RoleArn", roleArn),
            ("RoleSessionName", sessionName ?? "trailhound"),
        ]
        if let externalId { form.append(("ExternalId", externalId)) }
        if let durationSeconds { form.append(("DurationSeconds", String(durationSeconds))) }
        let client = AWSClient(http: http, credentials: StaticCredentialProvider(source), region: region)
        let response = try await client.send(
            AWSRequest(
                service: "sts", method: .POST, endpoint: endpoint, headers: [("Content-Type", STS.formType)],
                body: Array(STS.encodeForm(form).utf8), maxResponseBytes: 256 << 10))
        return try STS.parseCredentials(response.body, result: "AssumeRoleResult", source: "role \(roleArn)")
    }

    func assumeRoleWithWebIdentity(roleArn: String, tokenFile: String, sessionName: String?) async throws
        -> AWSCredentials
    {
        guard let token = CredentialChain.readSmallFile(tokenFile)?.trimmingSpaces(), !token.isEmpty else {
            throw AWSError("aws.credentials", "web identity token file \(tokenFile) cannot be read or is empty")
        }
        let form = [
            ("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", roleArn),
            ("RoleSessionName", sessionName ?? "trailhound"), ("WebIdentityToken", token),
        ]
        var request = HTTPClientRequest(url: endpoint + "/")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: STS.formType)
        request.body = .bytes(ByteBuffer(string: STS.encodeForm(form)))
        let describe = AWSRequest(service: "sts", method: .POST, endpoint: endpoint)
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .seconds(30))
        } catch {
            throw AWSError("aws.credentials", "AssumeRoleWithWebIdentity at \(endpoint): \(error)")
        }
        let body = try await AWSClient.collect(response, max: 256 << 10)
        guard response.status == .ok else {
            let e = AWSClient.error(status: Int(response.status.code), body: body, request: describe)
            throw AWSError(e.code, "AssumeRoleWithWebIdentity: " + e.message, serviceCode: e.serviceCode)
        }
        return try STS.parseCredentials(
            body, result: "AssumeRoleWithWebIdentityResult", source: "web identity \(roleArn)")
    }

    static let formType = "application/x-www-form-urlencoded; charset=utf-8"

    static func encodeForm(_ form: [(String, String)]) -> String {
        form.map { SigV4.uriEncode($0.0, keepSlash: false) + "=" + SigV4.uriEncode($0.1, keepSlash: false) }
            .joined(separator: "&")
    }

    /// `<XResponse><XResult><Credentials>…` to credentials; `aws.bad_response` when incomplete.
    static func parseCredentials(_ body: Data, result: String, source: String) throws -> AWSCredentials {
        guard let root = XMLNode.parse(body), let c = root.child(result)?.child("Credentials"),
            let id = c.text("AccessKeyId"), let secret = c.text("SecretAccessKey")
        else {
            throw AWSError("aws.bad_response", "\(source): STS answer has no credentials")
        }
        return AWSCredentials(
            accessKeyId: id, secretAccessKey: secret, sessionToken: c.text("SessionToken"),
            expiration: c.text("Expiration").flatMap(parseISO8601Seconds), source: source)
    }
}
