import EventModel
import Testing

@testable import Formats

@Suite struct UserAgentTests {
    @Test(arguments: [
        (
            "aws-cli/2.15.3 Python/3.11.6 Darwin/23.2.0 exe/x86_64 prompt/off command/s3.ls", UserAgentFamily.awsCLI,
            "2.15.3"
        ),
        ("aws-cli/1.18.69 Python/3.6.1 Darwin/17.7.0 botocore/1.16.19", .awsCLI, "1.18.69"),
        (
            "Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.11.6 cfg/retry-mode#legacy Botocore/1.34.0",
            .boto3, "1.34.0"
        ),
        ("Botocore/1.31.0 ua/2.0 os/linux#5.10 lang/python#3.9.16", .botocore, "1.31.0"),
        (
            "aws-sdk-java/1.12.530 Linux/5.10.184 OpenJDK_64-Bit_Server_VM/25.382-b05 java/1.8.0_382", .awsSDKJava,
            "1.12.530"
        ),
        (
            "aws-sdk-java/2.20.162 Linux/6.1 OpenJDK_64-Bit_Server_VM/17.0.8+7-LTS Java/17.0.8 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy",
            .awsSDKJava, "2.20.162"
        ),
        ("aws-sdk-go/1.44.300 (go1.20.5; linux; amd64)", .awsSDKGo, "1.44.300"),
        (
            "aws-sdk-go-v2/1.21.0 os/linux lang/go#1.21.1 md/GOOS#linux md/GOARCH#amd64 api/sts#1.22.0", .awsSDKGo,
            "1.21.0"
        ),
        ("aws-sdk-js/3.427.0 os/linux/5.10.192 lang/js md/nodejs/18.18.0 api/s3/3.427.0", .awsSDKJS, "3.427.0"),
        ("aws-sdk-nodejs/2.1467.0 linux/v18.18.0 exec-env/AWS_Lambda_nodejs18.x", .awsSDKJS, "2.1467.0"),
        (
            "aws-sdk-dotnet-coreclr/3.7.201.12 aws-sdk-dotnet-core/3.7.200.14 .NET_Core/6.0.21 OS/Microsoft_Windows_10.0.17763",
            .awsSDKDotNet, "3.7.201.12"
        ),
        ("aws-sdk-ruby3/3.181.0 ua/2.0 api/s3#1.132.0 os/linux md/x86_64 lang/ruby#3.2.2", .awsSDKRuby, "3.181.0"),
        ("aws-sdk-php/3.283.0 OS/Linux/5.15.0 lang/php/8.2.10 GuzzleHttp/7", .awsSDKPHP, "3.283.0"),
        ("aws-sdk-rust/0.56.1 os/linux lang/rust/1.72.0", .awsSDKRust, "0.56.1"),
        ("aws-sdk-cpp/1.11.150 Linux/5.15 x86_64 GCC/11.4.0", .awsSDKOther, "1.11.150"),
        ("console.amazonaws.com", .console, ""),
        ("signin.amazonaws.com", .console, ""),
        ("AWS Signin, aws-internal/3 aws-sdk-java/1.12.500", .console, ""),
        (
            "[S3Console/0.4, aws-internal/3 aws-sdk-java/1.11.666 Linux/4.9.184-0.1.ac.235.83.329.metal1.x86_64]",
            .console, ""
        ),
        ("Coral/Jakarta", .console, ""),
        ("[AWS Console S3, S3Console/0.4 cfg/retry-mode/legacy]", .console, ""),
        ("AWSConsole", .console, ""),
        ("console.ec2.amazonaws.com", .console, ""),
        (
            "APN/1.0 HashiCorp/1.0 Terraform/1.5.7 (+https://www.terraform.io) terraform-provider-aws/5.17.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.21.0 os/linux lang/go#1.20.8",
            .terraform, "1.5.7"
        ),
        (
            "aws-sdk-go/1.44.0 (go1.19; linux; amd64) APN/1.0 HashiCorp/1.0 Terraform/1.1.2 (+https://www.terraform.io)",
            .terraform, "1.1.2"
        ),
        ("cloudformation.amazonaws.com", .cloudFormation, ""),
        ("pulumi/3.88.0 aws-sdk-go/1.44.0 (go1.21; linux; amd64)", .pulumi, "3.88.0"),
        ("python-requests/2.31.0", .pythonRequests, "2.31.0"),
        ("curl/8.4.0", .curl, "8.4.0"),
        ("kubectl/v1.28.2 (linux/amd64) kubernetes/89a4ea3", .kubectl, ""),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
            .browser, ""
        ),
        ("[Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0]", .browser, ""),
        ("Boto3/1.9.89 Python/2.7.16 Linux/4.19.0-kali1-amd64 Botocore/1.12.89", .offensiveTool, ""),
        ("aws-cli/1.16.301 Python/3.7.5 Linux/5.4.0-parrot1-amd64 botocore/1.13.37", .offensiveTool, ""),
        ("Boto3/1.26.0 Python/3.10 Linux/5.15.0-pentoo botocore/1.29.0", .offensiveTool, ""),
        ("Pacu/1.0 Boto3/1.26.0", .offensiveTool, "1.0"),
        ("stratus-red-team_8b255a24-d33d-4750-bd4b-4007124741df", .offensiveTool, ""),
        ("Scout Suite/5.12.0 Boto3/1.26.0", .offensiveTool, "5.12.0"),
        ("TruffleHog", .offensiveTool, ""),
        ("Boto3/1.26.0 Python/3.10 Linux/5.15.0-kalimba-custom", .boto3, "1.26.0"),
        ("AWS Internal", .awsInternal, ""),
        ("aws-internal/3 aws-sdk-java/1.12.124 Linux/4.9.273", .awsInternal, ""),
        ("lambda.amazonaws.com", .awsInternal, ""),
        ("", .empty, ""),
        ("Python-httplib2/0.8 (gzip)", .unknown, ""),
        ("something-custom/1.0", .unknown, ""),
    ])
    func families(raw: String, family: UserAgentFamily, version: String) {
        let ua = UserAgentNormalizer.classify(raw)
        #expect(ua.family == family)
        #expect(ua.version == version)
        #expect(ua.raw == raw)
    }

    @Test func cachedNormalizationMatchesClassification() {
        var n = UserAgentNormalizer()
        let raw = "aws-cli/2.15.3 Python/3.11.6 Linux/6.1.0"
        let first = n.normalize(raw)
        let second = n.normalize(raw)
        #expect(first == second)
        #expect(first == UserAgentNormalizer.classify(raw))
    }

    @Test func manyDistinctAgentsDoNotGrowWithoutBound() {
        var n = UserAgentNormalizer()
        for i in 0..<20_000 { _ = n.normalize("aws-cli/\(i).0 custom") }
        #expect(n.normalize("aws-cli/7.0 custom").version == "7.0")
        #expect(n.normalize("aws-cli/19999.0 custom").version == "19999.0")
    }

    @Test func longAgentIsCutOnCharacterBoundary() {
        let raw = "aws-cli/2.0 " + String(repeating: "é", count: 600)
        let ua = UserAgentNormalizer.classify(raw)
        #expect(ua.raw.utf8.count <= UserAgent.maxRawLength)
        #expect(ua.raw.utf8.count >= UserAgent.maxRawLength - 1)
        #expect(ua.family == .awsCLI)
    }

    @Test func userAgentFromRecordWithEscapes() throws {
        let e = try #require(event(["userAgent": #""aws-sdk-go\/1.44.0 (go1.20; linux; amd64)""#]))
        #expect(e.userAgent.family == .awsSDKGo)
        #expect(e.userAgent.raw == "aws-sdk-go/1.44.0 (go1.20; linux; amd64)")
    }
}
