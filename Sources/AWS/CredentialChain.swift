import AsyncHTTPClient
import Foundation
import NIOCore

/// Finds credentials the way the AWS CLI does, first match wins:
/// 1. `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`);
/// 2. the profile `AWS_PROFILE` (else `default`) in the shared config and credentials files
///    (`AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`), static keys or `role_arn` with
///    `source_profile` / `credential_source` / `web_identity_token_file` through STS;
/// 3. `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` (EKS IRSA) through AssumeRoleWithWebIdentity;
/// 4. the container endpoint (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` / `_FULL_URI`, with
///    `AWS_CONTAINER_AUTHORIZATION_TOKEN[_FILE]`: ECS, EKS Pod Identity);
/// 5. EC2 IMDSv2 (token PUT, then GET), unless `AWS_EC2_METADATA_DISABLED=true`.
/// The environment is a dictionary handed in, so tests never touch the process's own.
public struct CredentialChain: Sendable {
    /// Environment variables to read.
    public let env: [String: String]
    /// HTTP client for STS, the container endpoint and IMDS.
    public let http: HTTPClient
    /// The region STS calls are signed for (the resolved region; STS is regional).
    public let region: String
    /// A profile named on the command line; wins over `AWS_PROFILE`.
    public let profile: String?
    /// Deadline for each container-endpoint and IMDS request (IMDS gets this, the container a
    /// little more); the SDKs keep these short because off EC2 nothing answers.
    public var metadataTimeout: TimeAmount = .seconds(2)

    /// Creates a chain over `env`.
    public init(env: [String: String], http: HTTPClient, region: String, profile: String? = nil) {
        self.env = env
        self.http = http
        self.region = region
        self.profile = profile
    }

    /// A cached provider over this chain (refreshes temporary credentials before they expire).
    public func provider() -> CachingCredentialProvider {
        CachingCredentialProvider { try await self.resolve() }
    }

    /// Walks the chain once and returns the first credentials found.
    public func resolve() async throws -> AWSCredentials {
        if profile == nil, let creds = CredentialChain.fromEnvironment(env) { return creds }
        let config = CredentialChain.loadSharedConfig(env)
        let name = profile ?? env["AWS_PROFILE"] ?? "default"
        if let values = config[name] {
            if let creds = try await fromProfile(name, values, config, depth: 0) { return creds }
        } else if profile != nil || env["AWS_PROFILE"] != nil {
            throw AWSError("aws.credentials", "profile \(name) is not in \(CredentialChain.configPaths(env))")
        }
        if let file = env["AWS_WEB_IDENTITY_TOKEN_FILE"], let role = env["AWS_ROLE_ARN"] {
            return try await sts.assumeRoleWithWebIdentity(
                roleArn: role, tokenFile: file, sessionName: env["AWS_ROLE_SESSION_NAME"])
        }
        if let creds = try await MetadataCredentials(http: http, env: env, timeout: metadataTimeout).container() {
            return creds
        }
        if let creds = try await MetadataCredentials(http: http, env: env, timeout: metadataTimeout).instance() {
            return creds
        }
        throw AWSError(
            "aws.credentials",
            "no AWS credentials found (tried environment variables, profile \(name), web identity, "
                + "container endpoint, EC2 instance metadata)")
    }

    var sts: STS { STS(http: http, region: region, endpoint: STS.endpoint(env: env, region: region)) }

    /// Static keys from the environment, nil when the pair is not set.
    public static func fromEnvironment(_ env: [String: String]) -> AWSCredentials? {
        guard let id = env["AWS_ACCESS_KEY_ID"], !id.isEmpty, let secret = env["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty
        else { return nil }
        let token = env["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        return AWSCredentials(accessKeyId: id, secretAccessKey: secret, sessionToken: token, source: "environment")
    }

    /// One profile: a role to assume, static keys, or nothing (nil: go on down the chain).
    func fromProfile(
        _ name: String, _ values: [String: String], _ config: SharedConfig, depth: Int
    ) async throws -> AWSCredentials? {
        guard depth < 5 else { throw AWSError("aws.credentials", "profile \(name): source_profile chain too long") }
        if let role = values["role_arn"] {
            return try await assume(role, profile: name, values, config, depth: depth)
        }
        guard let id = values["aws_access_key_id"], let secret = values["aws_secret_access_key"] else {
            return nil
        }
        return AWSCredentials(
            accessKeyId: id, secretAccessKey: secret, sessionToken: values["aws_session_token"],
            source: "profile \(name)")
    }

    private func assume(
        _ role: String, profile name: String, _ values: [String: String], _ config: SharedConfig, depth: Int
    ) async throws -> AWSCredentials {
        if let tokenFile = values["web_identity_token_file"] {
            return try await sts.assumeRoleWithWebIdentity(
                roleArn: role, tokenFile: tokenFile, sessionName: values["role_session_name"])
        }
        let source: AWSCredentials
        if let sourceName = values["source_profile"] {
            guard let sourceValues = config[sourceName] else {
                throw AWSError("aws.credentials", "profile \(name): source_profile \(sourceName) not found")
            }
            // A profile naming itself as its source uses its own static keys (the CLI allows this).
            let own = sourceName == name ? sourceValues.filter { $0.key != "role_arn" } : sourceValues
            guard let creds = try await fromProfile(sourceName, own, config, depth: depth + 1) else {
                throw AWSError("aws.credentials", "profile \(name): source_profile \(sourceName) has no credentials")
            }
            source = creds
        } else if let kind = values["credential_source"] {
            source = try await credentialSource(kind, profile: name)
        } else {
            throw AWSError(
                "aws.credentials", "profile \(name): role_arn needs source_profile or credential_source")
        }
        return try await sts.assumeRole(
            roleArn: role, sessionName: values["role_session_name"], externalId: values["external_id"],
            durationSeconds: values["duration_seconds"].flatMap { Int($0) }, using: source)
    }

    private func credentialSource(_ kind: String, profile name: String) async throws -> AWSCredentials {
        let metadata = MetadataCredentials(http: http, env: env, timeout: metadataTimeout)
        let found: AWSCredentials?
        switch kind {
        case "Environment": found = CredentialChain.fromEnvironment(env)
        case "EcsContainer": found = try await metadata.container()
        case "Ec2InstanceMetadata": found = try await metadata.instance()
        default: throw AWSError("aws.credentials", "profile \(name): unknown credential_source \(kind)")
        }
        guard let found else { throw AWSError("aws.credentials", "profile \(name): \(kind) has no credentials") }
        return found
    }

    /// The shared config and credentials files as the CLI finds them; missing files are empty.
    public static func loadSharedConfig(_ env: [String: String]) -> SharedConfig {
        let (config, credentials) = paths(env)
        return SharedConfig(config: readSmallFile(config) ?? "", credentials: readSmallFile(credentials) ?? "")
    }

    /// `AWS_CONFIG_FILE` / `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/config` and `~/.aws/credentials`.
    static func paths(_ env: [String: String]) -> (String, String) {
        let home = env["HOME"] ?? NSHomeDirectory()
        return (
            expand(env["AWS_CONFIG_FILE"] ?? "~/.aws/config", home),
            expand(env["AWS_SHARED_CREDENTIALS_FILE"] ?? "~/.aws/credentials", home)
        )
    }

    static func configPaths(_ env: [String: String]) -> String {
        let (a, b) = paths(env)
        return "\(a) or \(b)"
    }

    static func expand(_ path: String, _ home: String) -> String {
        path.hasPrefix("~/") ? home + path.dropFirst(1) : path
    }

    /// A file of at most 1 MiB as text (credentials, config and token files are tiny).
    static func readSmallFile(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 1 << 20) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// The region: `flag`, then `AWS_REGION`, `AWS_DEFAULT_REGION`, then the profile's `region`.
    public static func region(env: [String: String], flag: String?, profile: String? = nil) -> String? {
        if let flag, !flag.isEmpty { return flag }
        if let r = env["AWS_REGION"], !r.isEmpty { return r }
        if let r = env["AWS_DEFAULT_REGION"], !r.isEmpty { return r }
        let name = profile ?? env["AWS_PROFILE"] ?? "default"
        return loadSharedConfig(env)[name]?["region"]
    }
}
