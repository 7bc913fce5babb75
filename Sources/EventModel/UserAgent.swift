/// Normalized family of a user-agent string. Detectors compare families, not
/// raw strings, so SDK version bumps are not novelty.
public enum UserAgentFamily: String, Sendable, Hashable, Codable, CaseIterable {
    case awsCLI = "aws-cli"
    case boto3 = "boto3"
    case botocore = "botocore"
    case awsSDKJava = "aws-sdk-java"
    case awsSDKGo = "aws-sdk-go"
    case awsSDKJS = "aws-sdk-js"
    case awsSDKDotNet = "aws-sdk-dotnet"
    case awsSDKRuby = "aws-sdk-ruby"
    case awsSDKPHP = "aws-sdk-php"
    case awsSDKRust = "aws-sdk-rust"
    case awsSDKOther = "aws-sdk-other"
    case console = "console"
    case terraform = "terraform"
    case cloudFormation = "cloudformation"
    case pulumi = "pulumi"
    case pythonRequests = "python-requests"
    case curl = "curl"
    case kubectl = "kubectl"
    case gcloud = "gcloud"
    case azureCLI = "azure-cli"
    case browser = "browser"
    /// Known offensive tooling (Pacu, ScoutSuite, Prowler run by strangers, kali/parrot hosts, …).
    case offensiveTool = "offensive-tool"
    /// Calls made by an AWS service (`AWS Internal`, `*.amazonaws.com`).
    case awsInternal = "aws-internal"
    case empty = "empty"
    case unknown = "unknown"
}

/// A user agent as logged plus its normalized family and version.
public struct UserAgent: Sendable, Hashable, Codable {
    /// Raw string, truncated to `UserAgent.maxRawLength` bytes.
    public var raw: String
    /// Normalized family.
    public var family: UserAgentFamily
    /// Version of the family's product (`2.15.3`), empty when unknown.
    public var version: String

    /// Longest raw user agent kept; longer ones are cut (they are attacker-controlled).
    public static let maxRawLength = 512

    /// Creates a user agent.
    public init(raw: String, family: UserAgentFamily, version: String = "") {
        self.raw = raw
        self.family = family
        self.version = version
    }

    /// Major version (`"2"` of `"2.15.3"`), empty when unknown.
    public var majorVersion: Substring {
        version.split(separator: ".", maxSplits: 1).first ?? ""
    }

    /// No user agent at all.
    public static let empty = UserAgent(raw: "", family: .empty)
}
