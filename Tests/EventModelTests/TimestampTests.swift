import EventModel
import Testing

@Suite struct TimestampTests {
    @Test(arguments: [
        ("2024-01-01T00:00:00Z", Int64(1_704_067_200_000)),
        ("2024-01-01T00:00:00.250Z", Int64(1_704_067_200_250)),
        ("2024-01-01T00:00:00.123456789Z", Int64(1_704_067_200_123)),
        ("2024-01-01T01:00:00+01:00", Int64(1_704_067_200_000)),
        ("2023-12-31T19:00:00-05:00", Int64(1_704_067_200_000)),
        ("2024-01-01 00:00:00Z", Int64(1_704_067_200_000)),
        ("2024-01-01T00:00Z", Int64(1_704_067_200_000)),
        ("2024-01-01", Int64(1_704_067_200_000)),
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("2024-02-29T12:00:00Z", Int64(1_709_208_000_000)),
    ])
    func parsesVariants(_ text: String, _ ms: Int64) {
        #expect(Timestamp.parse(text) == ms)
    }

    @Test(arguments: [
        "", "yesterday", "2024-13-01T00:00:00Z", "2024-01-32", "2024-01-01T25:00:00Z",
        "2024-01-01T00:00:00Zjunk", "2024/01/01", "20240101T000000Z", "2024-01-01T00:61:00Z",
    ])
    func rejectsNonTimes(_ text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func formatRoundTrips() {
        for ms: Int64 in [0, 1_704_067_200_000, 1_704_067_200_250, 951_782_400_000, -86_400_000] {
            #expect(Timestamp.parse(Timestamp.format(ms)) == ms)
        }
        #expect(Timestamp.format(1_704_067_200_000) == "2024-01-01T00:00:00Z")
        #expect(Timestamp.format(1_704_067_200_005) == "2024-01-01T00:00:00.005Z")
    }

    /// The byte-wise formatter writes what the interpolated one it replaced wrote: years
    /// without padding, two-digit fields, three-digit milliseconds only when non-zero.
    @Test(arguments: [
        (Int64(-62_135_596_800_000), "1-01-01T00:00:00Z"), (Int64(-30_610_310_400_000), "999-12-31T00:00:00Z"),
        (Int64(-1), "1969-12-31T23:59:59.999Z"), (Int64(253_402_300_799_010), "9999-12-31T23:59:59.010Z"),
        (Int64(253_402_300_800_000), "10000-01-01T00:00:00Z"), (Int64(1_709_208_000_100), "2024-02-29T12:00:00.100Z"),
    ])
    func formatsEdgesOfTheRange(_ ms: Int64, _ text: String) {
        #expect(Timestamp.format(ms) == text)
    }

    @Test func hourOfWeekStartsMonday() {
        // 2024-01-01 was a Monday.
        #expect(Timestamp.hourOfWeek(1_704_067_200_000) == 0)
        #expect(Timestamp.hourOfWeek(1_704_067_200_000 + 25 * 3_600_000) == 25)
        #expect(Timestamp.hourOfWeek(1_704_067_200_000 + 7 * 86_400_000) == 0)
        #expect(Timestamp.hourOfWeek(1_704_067_200_000 - 3_600_000) == 167)
    }
}

@Suite struct ModelTests {
    @Test func severityOrderNamesAndSteps() {
        #expect(
            Severity.info < Severity.low && Severity.low < Severity.medium && Severity.medium < Severity.high
                && Severity.high < Severity.critical)
        #expect(Severity(name: "HIGH") == .high)
        #expect(Severity(name: "severe") == nil)
        #expect(Severity.critical.raised == .critical)
        #expect(Severity.info.lowered == .info)
        #expect(Severity.medium.raised == .high)
    }

    @Test func keyKindFromPrefix() {
        #expect(KeyKind(accessKeyId: "AKIAIOSFODNN7EXAMPLE") == .longLived)
        #expect(KeyKind(accessKeyId: "ASIAIOSFODNN7EXAMPLE") == .session)
        #expect(KeyKind(accessKeyId: "") == .none)
    }

    @Test func diagnosticDisplayFormIsStable() {
        let d = Diagnostic(origin: Origin(path: "a/b.json.gz", record: 12), code: "frame.not_json", message: "bad line")
        #expect(d.description == "a/b.json.gz:12: error: bad line [frame.not_json]")
        let r = Diagnostic(
            origin: Origin(path: "x.json", record: 3, isLine: false), level: .warning, code: "c", message: "m")
        #expect(r.description == "x.json:#3: warning: m [c]")
        let long = Diagnostic(
            origin: Origin(path: "f", record: 0), code: "c", message: String(repeating: "x", count: 5000))
        #expect(long.message.count <= 301)
        #expect(long.description.hasPrefix("f: error: "))
    }

    @Test func outcomeDeniedCodes() {
        #expect(Outcome(errorCode: "AccessDenied").isAccessDenied)
        #expect(Outcome(errorCode: "Client.UnauthorizedOperation").isAccessDenied)
        #expect(!Outcome(errorCode: "ThrottlingException").isAccessDenied)
        #expect(Outcome.success.isSuccess)
    }

    @Test func actionReadOnlyGuessAndKey() {
        #expect(Action(service: "s3", operation: "ListBuckets").isReadOnly)
        #expect(!Action(service: "iam", operation: "CreateUser").isReadOnly)
        #expect(!Action(service: "s3", operation: "ListBuckets", readOnly: false).isReadOnly)
        #expect(Action(service: "iam", operation: "CreateUser").key == "iam:CreateUser")
    }

    @Test func findingCapsEvidence() {
        let f = Finding(
            detector: "d", severity: .low, identity: "i", identityType: .iamUser, account: "a",
            firstSeen: 0, lastSeen: 1, eventIds: (0..<50).map(String.init), title: "t", explanation: "e")
        #expect(f.eventIds.count == Finding.maxEvidence)
    }
}
