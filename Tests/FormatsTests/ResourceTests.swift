import EventModel
import Testing

@testable import Formats

@Suite struct ResourceTests {
    static func resources(_ source: String, _ name: String, _ request: String, response: String = "null") -> [Resource]
    {
        event([
            "eventSource": "\"\(source).amazonaws.com\"", "eventName": "\"\(name)\"", "requestParameters": request,
            "responseElements": response,
        ])?.resources ?? []
    }

    @Test func secretsManager() {
        #expect(
            Self.resources("secretsmanager", "GetSecretValue", #"{"secretId":"prod/db"}"#) == [
                Resource(kind: .secret, id: "prod/db")
            ])
        #expect(
            Self.resources("secretsmanager", "BatchGetSecretValue", #"{"secretIdList":["a","b"]}"#)
                == [Resource(kind: .secret, id: "a"), Resource(kind: .secret, id: "b")])
        #expect(
            Self.resources("secretsmanager", "CreateSecret", #"{"name":"new","secretString":"HIDDEN"}"#) == [
                Resource(kind: .secret, id: "new")
            ])
    }

    @Test("a secret or parameter named by ARN in one call and by name in another is one resource")
    func arnAndNameAreOne() {
        let arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-Ab12Cd"
        #expect(
            Self.resources("secretsmanager", "GetSecretValue", "{\"secretId\":\"\(arn)\"}")
                == Self.resources("secretsmanager", "GetSecretValue", #"{"secretId":"prod/db"}"#))
        #expect(
            Self.resources("ssm", "GetParameter", #"{"name":"arn:aws:ssm:eu-west-1:111122223333:parameter/app/key"}"#)
                == [Resource(kind: .parameter, id: "/app/key")])
        #expect(
            Self.resources("s3", "GetObject", #"{"bucketName":"logs","key":"a.txt"}"#).map(\.id) == [
                "logs", "logs/a.txt",
            ])
    }

    @Test func ssmParameters() {
        #expect(
            Self.resources("ssm", "GetParameter", #"{"name":"/app/key","withDecryption":true}"#) == [
                Resource(kind: .parameter, id: "/app/key")
            ])
        #expect(Self.resources("ssm", "GetParameters", #"{"names":["/a","/b"]}"#).count == 2)
        #expect(
            Self.resources("ssm", "GetParametersByPath", #"{"path":"/app/","recursive":true}"#) == [
                Resource(kind: .parameter, id: "/app/")
            ])
        #expect(Self.resources("ssm", "StartSession", #"{"name":"not-a-parameter","target":"i-0123"}"#).isEmpty)
    }

    @Test func kmsS3Sts() {
        #expect(
            Self.resources("kms", "Decrypt", #"{"keyId":"arn:aws:kms:us-east-1:111122223333:key/1234"}"#) == [
                Resource(kind: .kmsKey, id: "arn:aws:kms:us-east-1:111122223333:key/1234")
            ])
        #expect(
            Self.resources(
                "s3", "GetObject", #"{"key":"reports/q1.csv","bucketName":"finance","Host":"finance.s3.amazonaws.com"}"#
            )
                == [Resource(kind: .bucket, id: "finance"), Resource(kind: .object, id: "finance/reports/q1.csv")])
        #expect(
            Self.resources(
                "sts", "AssumeRole", #"{"roleArn":"arn:aws:iam::444455556666:role/Admin","roleSessionName":"x"}"#)
                == [Resource(kind: .role, id: "arn:aws:iam::444455556666:role/Admin")])
    }

    @Test func iam() {
        #expect(
            Self.resources(
                "iam", "CreateAccessKey", #"{"userName":"bob"}"#,
                response:
                    #"{"accessKey":{"accessKeyId":"AKIANEWKEY","status":"Active","userName":"bob","createDate":"x"}}"#)
                == [Resource(kind: .accessKey, id: "AKIANEWKEY"), Resource(kind: .user, id: "bob")])
        #expect(
            Self.resources(
                "iam", "AttachRolePolicy",
                #"{"roleName":"r","policyArn":"arn:aws:iam::aws:policy/AdministratorAccess"}"#)
                == [
                    Resource(kind: .role, id: "r"),
                    Resource(kind: .policy, id: "arn:aws:iam::aws:policy/AdministratorAccess"),
                ])
    }

    @Test func lambdaTrailGuardDutyEc2Logs() {
        #expect(
            Self.resources(
                "lambda", "UpdateFunctionConfiguration20150331v2",
                #"{"functionName":"f","layers":["arn:aws:lambda:us-east-1:999999999999:layer:evil:1"]}"#)
                == [
                    Resource(kind: .function, id: "f"),
                    Resource(kind: .layer, id: "arn:aws:lambda:us-east-1:999999999999:layer:evil:1"),
                ])
        #expect(
            Self.resources("cloudtrail", "StopLogging", #"{"name":"org-trail"}"#) == [
                Resource(kind: .trail, id: "org-trail")
            ])
        #expect(
            Self.resources("guardduty", "DeleteDetector", #"{"detectorId":"12abc"}"#) == [
                Resource(kind: .detector, id: "12abc")
            ])
        #expect(
            Self.resources("ec2", "GetPasswordData", #"{"instanceId":"i-0123456789abcdef0"}"#) == [
                Resource(kind: .instance, id: "i-0123456789abcdef0")
            ])
        #expect(
            Self.resources(
                "ec2", "RunInstances", #"{"instanceType":"t3.micro"}"#,
                response: #"{"instancesSet":{"items":[{"instanceId":"i-1"},{"instanceId":"i-2"}]}}"#)
                == [Resource(kind: .instance, id: "i-1"), Resource(kind: .instance, id: "i-2")])
        #expect(
            Self.resources("logs", "DeleteLogGroup", #"{"logGroupName":"/aws/lambda/f"}"#) == [
                Resource(kind: .logGroup, id: "/aws/lambda/f")
            ])
    }

    @Test(arguments: [
        ("arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf", ResourceKind.secret),
        ("arn:aws:ssm:us-east-1:111122223333:parameter/app/key", .parameter),
        ("arn:aws:kms:us-east-1:111122223333:key/1234abcd", .kmsKey),
        ("arn:aws:s3:::bucket", .bucket),
        ("arn:aws:s3:::bucket/path/obj.txt", .object),
        ("arn:aws:iam::111122223333:role/x", .role),
        ("arn:aws:iam::111122223333:user/x", .user),
        ("arn:aws:iam::aws:policy/ReadOnlyAccess", .policy),
        ("arn:aws:lambda:us-east-1:111122223333:function:f", .function),
        ("arn:aws:cloudtrail:us-east-1:111122223333:trail/t", .trail),
        ("arn:aws:ec2:us-east-1:111122223333:instance/i-1", .instance),
        ("arn:aws:logs:us-east-1:111122223333:log-group:/g", .logGroup),
        ("arn:aws:guardduty:us-east-1:111122223333:detector/d", .detector),
        ("arn:aws:sqs:us-east-1:111122223333:q", .other),
        ("not-an-arn", .other),
    ])
    func kindFromArn(arn: String, kind: ResourceKind) {
        #expect(CloudTrail.resourceKind(arn: arn) == kind)
    }

    /// The kind by an independent reading: the ARN split into its six parts as characters, the
    /// service looked up in a table of the resource prefixes each kind is told by.
    static func referenceKind(_ arn: String) -> ResourceKind {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard arn.hasPrefix("arn:"), parts.count == 6 else { return .other }
        let res = parts[5]
        if parts[2] == "s3" { return res.contains("/") ? .object : res.contains(":") ? .other : .bucket }
        let prefixes: [Substring: [(String, ResourceKind)]] = [
            "secretsmanager": [("secret:", .secret)], "ssm": [("parameter/", .parameter)],
            "kms": [("key/", .kmsKey), ("alias/", .kmsKey)],
            "iam": [("role/", .role), ("user/", .user), ("policy/", .policy)],
            "lambda": [("function:", .function), ("layer:", .layer)], "cloudtrail": [("trail/", .trail)],
            "ec2": [("instance/", .instance)], "logs": [("log-group:", .logGroup)],
            "guardduty": [("detector/", .detector)],
        ]
        return prefixes[parts[2]]?.first { res.hasPrefix($0.0) }?.1 ?? .other
    }

    /// The byte reading agrees with the reference on random ARN-shaped text built from the pieces
    /// each kind is told by (services, prefixes, colons, slashes). Non-ASCII: `arn:` followed by a
    /// combining mark is no prefix as characters; a resource prefix is compared as bytes, as before.
    @Test func kindAgreesWithAReadingByCharacters() {
        var rng = SystemRandomNumberGenerator()
        let pieces = [
            "arn", "aws", ":", ":", ":", "/", "secretsmanager", "ssm", "kms", "s3", "iam", "lambda", "cloudtrail",
            "ec2", "logs", "guardduty", "secret", "parameter", "key", "alias", "role", "user", "policy", "function",
            "layer", "trail", "instance", "log-group", "detector", "x", "111122223333", "",
        ]
        for _ in 0..<5000 {
            let arn = (0..<Int.random(in: 1...12, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }
                .joined()
            let text = Bool.random(using: &rng) ? "arn:aws:" + arn : arn
            #expect(CloudTrail.resourceKind(arn: text) == Self.referenceKind(text), "\(text)")
        }
        #expect(CloudTrail.resourceKind(arn: "arn:\u{301}aws:iam::1:role/x") == .other)
        #expect(CloudTrail.resourceKind(arn: "arn:aws:iam::1:role/\u{301}x") == .role)
    }

    @Test func listedResourcesAreReadAndBounded() throws {
        let items = (0..<50).map {
            #"{"accountId":"111122223333","type":"AWS::S3::Object","ARN":"arn:aws:s3:::b/o\#($0)"}"#
        }
        let e = try #require(event(["resources": "[\(items.joined(separator: ","))]", "requestParameters": "null"]))
        #expect(e.resources.count == Limits.maxResources)
        #expect(e.resources.first == Resource(kind: .object, id: "b/o0"), "canonical: bucket/key")
    }

    @Test func selectedResponseElementsBecomeParameters() throws {
        let e = try #require(
            event([
                "eventSource": #""sts.amazonaws.com""#, "eventName": #""AssumeRole""#,
                "requestParameters": #"{"roleArn":"arn:aws:iam::111122223333:role/Admin","roleSessionName":"s"}"#,
                "responseElements":
                    #"{"credentials":{"accessKeyId":"ASIANEW","sessionToken":"secret-token","expiration":"x"},"assumedRoleUser":{"assumedRoleId":"AROA:s","arn":"arn:aws:sts::111122223333:assumed-role/Admin/s"},"packedPolicySize":5}"#,
            ]))
        #expect(e.parameter("responseElements.credentials.accessKeyId") == "ASIANEW")
        #expect(e.parameter("responseElements.assumedRoleUser.arn") == "arn:aws:sts::111122223333:assumed-role/Admin/s")
        #expect(e.parameter("responseElements.packedPolicySize") == nil)
        #expect(!e.parameters.values.contains("secret-token"))
        let url = try #require(
            event([
                "eventSource": #""lambda.amazonaws.com""#, "eventName": #""CreateFunctionUrlConfig20211031""#,
                "responseElements": #"{"functionUrl":"https://abc.lambda-url.us-east-1.on.aws/","authType":"NONE"}"#,
            ]))
        #expect(url.parameter("responseElements.functionUrl") == "https://abc.lambda-url.us-east-1.on.aws/")
        #expect(url.parameter("responseElements.authType") == "NONE")
        let key = try #require(
            event([
                "responseElements":
                    #"{"accessKey":{"accessKeyId":"AKIANEW","userName":"bob","secretAccessKey":"HIDDEN"}}"#
            ]))
        #expect(key.parameter("responseElements.accessKey.accessKeyId") == "AKIANEW")
        #expect(key.parameter("responseElements.accessKey.userName") == "bob")
    }
}
