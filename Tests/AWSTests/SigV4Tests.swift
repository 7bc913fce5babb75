import Testing

@testable import AWS

/// SigV4 against AWS's published example values. Sources (small constants copied, not suites):
/// - get-vanilla and IAM ListUsers: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
///   and the SigV4 test suite it links (credentials AKIDEXAMPLE / wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY).
/// - S3 GET with Range and the presigned URL:
///   https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html and
///   https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
@Suite struct SigV4Tests {
    static let example = AWSCredentials(
        accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let s3Example = AWSCredentials(
        accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    /// 2015-08-30T12:36:00Z and 2013-05-24T00:00:00Z as seconds since the epoch.
    static let t2015: Int64 = 1_440_938_160
    static let t2013: Int64 = 1_369_353_600

    @Test func amzDateFormatsUTC() {
        #expect(SigV4.amzDate(Self.t2015) == "20150830T123600Z")
        #expect(SigV4.amzDate(Self.t2013) == "20130524T000000Z")
        #expect(SigV4.amzDate(0) == "19700101T000000Z")
    }

    @Test func getVanilla() {
        let signer = SigV4(credentials: Self.example, region: "us-east-1", service: "service")
        let request = SigningRequest(
            method: "GET", path: "/", headers: [("Host", "example.amazonaws.com"), ("X-Amz-Date", "20150830T123600Z")])
        let (canonical, names) = signer.canonicalRequest(request)
        #expect(
            canonical
                == "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
                + SigV4.emptyPayloadHash)
        #expect(names == "host;x-amz-date")
        let sts = signer.stringToSign(canonical: canonical, amzDate: "20150830T123600Z")
        #expect(
            sts
                == "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\nbb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63"
        )
        #expect(
            signer.signature(canonical: canonical, amzDate: "20150830T123600Z")
                == "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
        // The full header path adds X-Amz-Date itself and gives the same Authorization.
        let added = signer.signingHeaders(
            for: SigningRequest(method: "GET", path: "/", headers: [("Host", "example.amazonaws.com")]), at: Self.t2015)
        #expect(
            added.last?.1
                == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        )
    }

    @Test func iamListUsersQuerySigning() {
        let signer = SigV4(credentials: Self.example, region: "us-east-1", service: "iam")
        let request = SigningRequest(
            method: "GET", path: "/", query: [("Version", "2010-05-08"), ("Action", "ListUsers")],
            headers: [
                ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), ("Host", "iam.amazonaws.com"),
            ])
        let added = signer.signingHeaders(for: request, at: Self.t2015)
        let (canonical, _) = signer.canonicalRequest(
            SigningRequest(
                method: "GET", path: "/", query: request.query, headers: request.headers + [added[0]]))
        #expect(canonical.split(separator: "\n")[2] == "Action=ListUsers&Version=2010-05-08")
        #expect(
            signer.stringToSign(canonical: canonical, amzDate: "20150830T123600Z").hasSuffix(
                "f536975d06c0309214f805bb90ccff089219ecd68b2577efef23edd43b7e1a59"))
        #expect(
            added.last?.1.hasSuffix("Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7")
                == true)
    }

    @Test func s3GetObjectWithRange() {
        let signer = SigV4(credentials: Self.s3Example, region: "us-east-1", service: "s3")
        let request = SigningRequest(
            method: "GET", path: "/test.txt",
            headers: [("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9")])
        let added = signer.signingHeaders(for: request, at: Self.t2013)
        #expect(added.map(\.0) == ["X-Amz-Date", "X-Amz-Content-Sha256", "Authorization"])
        #expect(
            added.last?.1
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        )
    }

    @Test func s3PresignedURL() {
        let signer = SigV4(credentials: Self.s3Example, region: "us-east-1", service: "s3")
        let request = SigningRequest(
            method: "GET", path: "/test.txt", headers: [("Host", "examplebucket.s3.amazonaws.com")])
        let query = signer.presignedQuery(for: request, at: Self.t2013, expires: 86_400)
        #expect(query.last?.0 == "X-Amz-Signature")
        #expect(query.last?.1 == "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
    }

    /// Session token and S3 key encoding; expected signature cross-checked with botocore's
    /// S3SigV4Auth (1.43) on the same request.
    @Test func sessionTokenAndS3KeyEncoding() {
        var creds = Self.example
        creds.sessionToken = "SESSIONTOKENEXAMPLE"
        let signer = SigV4(credentials: creds, region: "eu-west-1", service: "s3")
        let request = SigningRequest(
            method: "GET", path: "/AWSLogs/o-abc/111122223333/CloudTrail/eu-west-1/2026/01/02/my file+x.json.gz",
            headers: [("Host", "examplebucket.s3.eu-west-1.amazonaws.com")], payloadHash: SigV4.unsignedPayload)
        let added = signer.signingHeaders(for: request, at: 1_767_323_045)
        #expect(added.contains { $0.0 == "X-Amz-Security-Token" && $0.1 == "SESSIONTOKENEXAMPLE" })
        #expect(added.contains { $0.0 == "X-Amz-Content-Sha256" && $0.1 == "UNSIGNED-PAYLOAD" })
        let auth = added.last?.1 ?? ""
        #expect(auth.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,"))
        #expect(auth.hasSuffix("Signature=6237b43916e87f18c16999e51cf40211fe7e00b1c5d062ba0f67e8c878e56e7e"))
    }

    @Test func uriEncodingRules() {
        #expect(SigV4.uriEncode("a b/ü+x=y~_.-", keepSlash: true) == "a%20b/%C3%BC%2Bx%3Dy~_.-")
        #expect(SigV4.uriEncode("a/b", keepSlash: false) == "a%2Fb")
        // S3 keeps a path as it is (one encoding); other services encode it a second time.
        let s3 = SigV4(credentials: Self.example, region: "us-east-1", service: "s3")
        let sqs = SigV4(credentials: Self.example, region: "us-east-1", service: "sqs")
        #expect(s3.canonicalPath("/b/a b") == "/b/a%20b")
        #expect(sqs.canonicalPath("/b/a b") == "/b/a%2520b")
        #expect(s3.canonicalPath("") == "/")
    }

    @Test func headerValuesAreTrimmedAndFolded() {
        let signer = SigV4(credentials: Self.example, region: "us-east-1", service: "service")
        let (block, names) = signer.canonicalHeaders([("My-Header1", "  value1   with  spaces "), ("my-header1", "b")])
        #expect(block == "my-header1:value1 with spaces,b\n")
        #expect(names == "my-header1")
    }
}
