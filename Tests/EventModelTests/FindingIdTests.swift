import EventModel
import Testing

@Suite struct FindingIdTests {
    func finding(key: String = "sts:GetCallerIdentity", first: Int64 = 1_767_225_600_000, ids: [String] = ["e1"])
        -> Finding
    {
        Finding(
            detector: "identity.new_api", severity: .low, identity: "arn:aws:iam::1:role/app",
            identityType: .assumedRole,
            account: "1", firstSeen: first, lastSeen: first + 5, eventIds: ids, title: "t", explanation: "e", key: key)
    }

    @Test("the id is f- and 16 hex digits, the same for the same finding, different when what identifies it differs")
    func stable() {
        let a = finding()
        #expect(a.id.hasPrefix("f-") && a.id.count == 18)
        #expect(a.id.dropFirst(2).allSatisfy { $0.isHexDigit })
        var b = finding()
        b.severity = .critical
        b.title = "other wording"
        b.count = 7
        #expect(b.id == a.id, "severity, wording and counts do not change the id")
        #expect(finding(key: "x").id != a.id)
        #expect(finding(first: 1).id != a.id)
        #expect(finding(ids: ["e2", "e1"]).id != a.id)
        // Pinned: ids must survive restarts and releases (a change here breaks references in tickets).
        #expect(a.id == "f-949e9142c4e025b6")
    }
}

@Suite struct CanonicalResourceTests {
    @Test(
        "a secret, parameter or bucket named by ARN or by name has one id",
        arguments: [
            (ResourceKind.secret, "arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-AbC123", "prod/db"),
            (.secret, "prod/db", "prod/db"),
            (.secret, "arn:aws:secretsmanager:eu-west-1:111122223333:secret:partial", "partial"),
            (.parameter, "arn:aws:ssm:eu-west-1:111122223333:parameter/prod/db", "/prod/db"),
            (.parameter, "/prod/db", "/prod/db"),
            (.parameter, "db", "db"),
            (.parameter, "arn:aws:ssm:eu-west-1:111122223333:parameter/db", "db"),
            (.bucket, "arn:aws:s3:::logs", "logs"),
            (.object, "arn:aws:s3:::logs/a/b.txt", "logs/a/b.txt"),
            (.role, "arn:aws:iam::1:role/x", "arn:aws:iam::1:role/x"),
        ])
    func canonical(kind: ResourceKind, raw: String, expected: String) {
        #expect(Resource.canonicalID(kind, raw) == expected)
    }
}
