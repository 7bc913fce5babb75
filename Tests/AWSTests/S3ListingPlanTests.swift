import Ingest
import Testing

@testable import Runtime

/// The CloudTrail-layout pruning plan, pure (no server): which folders are skipped, walked,
/// listed whole, or replaced by day prefixes.
@Suite struct S3ListingPlanTests {
    static let day: Int64 = 86_400_000
    /// 2025-06-03T00:00Z and 2025-06-05T00:00Z in ms.
    static let june3: Int64 = 1_748_908_800_000
    static let june5: Int64 = june3 + 2 * day

    @Test func foldersAboveTheLayoutAreWalked() {
        for prefix in ["", "org/", "org/AWSLogs/", "AWSLogs/o-abc123/", "AWSLogs/o-abc123/111122223333/", "AWSLogs"] {
            #expect(S3Listing.step(prefix, since: Self.june3, until: nil) == .descend, "\(prefix)")
        }
        #expect(S3Listing.step("AWSLogs/111122223333/CloudTrail/", since: Self.june3, until: nil) == .descend)
        #expect(S3Listing.step("a/b/c/", since: Self.june3, until: nil) == .listWhole)
        #expect(S3Listing.step("AWSLogs/o-1/1111/Config/", since: Self.june3, until: nil) == .listWhole)
    }

    @Test func aShortWindowListsDayPrefixesDirectly() {
        let region = "AWSLogs/o-abc123/111122223333/CloudTrail/eu-west-1/"
        #expect(
            S3Listing.step(region, since: Self.june3 + 3_600_000, until: Self.june5)
                == .days([region + "2025/06/03/", region + "2025/06/04/", region + "2025/06/05/"]))
        // Only one bound: walk years, months, days and prune them by their range.
        #expect(S3Listing.step(region, since: Self.june3, until: nil) == .descend)
        #expect(S3Listing.step(region + "2024/", since: Self.june3, until: nil) == .skip)
        #expect(S3Listing.step(region + "2025/", since: Self.june3, until: nil) == .descend)
        #expect(S3Listing.step(region + "2025/05/", since: Self.june3, until: nil) == .skip)
        #expect(S3Listing.step(region + "2025/06/02/", since: Self.june3, until: nil) == .skip)
        #expect(S3Listing.step(region + "2025/06/03/", since: Self.june3, until: nil) == .listWhole)
        #expect(S3Listing.step(region + "2025/07/", since: nil, until: Self.june5) == .skip)
    }

    @Test func dayPrefixesCrossMonthAndYearEnds() {
        // 2024-12-31T12:00Z .. 2025-01-01T01:00Z
        let since: Int64 = 1_735_646_400_000
        #expect(
            S3Listing.dayPrefixes("r/", since: since, until: since + 13 * 3_600_000) == [
                "r/2024/12/31/", "r/2025/01/01/",
            ])
    }

    @Test func mixedInputsKeepTheLocalScanOrder() {
        let a = InputFile(path: "s3://b/AWSLogs/1/CloudTrail/r/2025/06/03/1_CloudTrail_r_20250603T0100Z_x.json.gz")
        let b = InputFile(path: "/d/AWSLogs/2/CloudTrail/r/2025/06/03/2_CloudTrail_r_20250603T0000Z_y.json.gz")
        let c = InputFile(path: "s3://b/x/other.json")
        let d = InputFile(path: "s3://b/x-y.json")
        let ordered = S3Listing.order([c, a, d, b]).map(\.path)
        #expect(ordered == [b.path, a.path, c.path, d.path])
    }
}
