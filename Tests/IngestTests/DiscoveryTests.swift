import EventModel
import Foundation
import Ingest
import TestSupport
import Testing

@Suite struct DiscoveryTests {
    static func ctName(_ account: String, _ region: String, _ stamp: String, _ id: String) -> String {
        let (y, m, d) = (stamp.prefix(4), stamp.dropFirst(4).prefix(2), stamp.dropFirst(6).prefix(2))
        return
            "AWSLogs/\(account)/CloudTrail/\(region)/\(y)/\(m)/\(d)/\(account)_CloudTrail_\(region)_\(stamp)_\(id).json.gz"
    }

    @Test func nameTimeIsParsedFromDeliveryNames() {
        #expect(
            CloudTrailPath.nameTime("x/123456789012_CloudTrail_us-east-1_20240102T0305Z_AbC.json.gz")
                == Timestamp.parse("2024-01-02T03:05:00Z"))
        #expect(
            CloudTrailPath.nameTime("1_CloudTrail-Digest_eu-west-1_trail_eu-west-1_20231231T235959Z.json.gz")
                == Timestamp.parse("2023-12-31T23:59:59Z"))
        #expect(CloudTrailPath.nameTime("logs/events_20241302T0000Z_x.json") == nil)
        #expect(CloudTrailPath.nameTime("20240102T0305Z.json") == nil)
        #expect(CloudTrailPath.nameTime("plain.jsonl") == nil)
    }

    @Test func s3LayoutIsOrderedByNameTimeAcrossDaysAndRegions() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let names = [
            Self.ctName("111122223333", "us-east-1", "20240102T0005Z", "b"),
            Self.ctName("111122223333", "eu-west-1", "20240101T2355Z", "a"),
            Self.ctName("111122223333", "us-east-1", "20240101T2350Z", "z"),
            Self.ctName("444455556666", "ap-south-1", "20240102T0005Z", "a"),
            Self.ctName("111122223333", "us-east-1", "20231231T1200Z", "q"),
        ]
        for name in names { try dir.write(name, gzip("{}")) }
        try dir.write(
            "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/01/01/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20240101T2359Z.json.gz",
            gzip("{}"))
        try dir.write("extra/b.jsonl", Array("{}".utf8))
        try dir.write("extra/a.jsonl", Array("{}".utf8))
        try dir.write("extra/.hidden.json", Array("{}".utf8))
        let result = InputDiscovery.discover([dir.path])
        let rel = result.files.map { String($0.path.dropFirst(dir.path.count + 1)) }
        #expect(
            rel == [
                names[4], names[2], names[1],
                "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/01/01/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20240101T2359Z.json.gz",
                names[0], names[3], "extra/a.jsonl", "extra/b.jsonl",
            ])
        #expect(result.files.map(\.isDigest) == [false, false, false, true, false, false, false, false])
        #expect(result.files.allSatisfy { $0.size != nil && !$0.isStdin })
        #expect(result.diagnostics.isEmpty)
    }

    @Test func missingPathIsDiagnosedAndOthersStillListed() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let good = try dir.write("a.json", Array("{}".utf8))
        let missing = dir.path + "/nope.json.gz"
        let result = InputDiscovery.discover([missing, good, "-"])
        #expect(result.files.map(\.path) == [good, "-"])
        #expect(result.files.last?.isStdin == true)
        #expect(result.diagnostics.map(\.code) == ["input.not_found"])
        #expect(result.diagnostics.first?.origin.path == missing)
    }

    @Test func documentationFilesAreSkippedInDirectoriesButReadWhenNamed() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let log = try dir.write("d/events.json", Array("{}".utf8))
        let readme = try dir.write("d/README.md", Array("# notes".utf8))
        try dir.write("d/labels.yaml", Array("a: 1".utf8))
        #expect(InputDiscovery.discover([dir.path + "/d"]).files.map(\.path) == [log])
        #expect(InputDiscovery.discover([readme]).files.map(\.path) == [readme])
    }

    @Test func sameFileTwiceIsListedOnce() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let file = try dir.write("d/a.json", Array("{}".utf8))
        let result = InputDiscovery.discover([dir.path, file])
        #expect(result.files.map(\.path) == [file])
    }

    @Test func symlinkLoopIsVisitedOnce() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        try dir.write("d/a.json", Array("{}".utf8))
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/d/loop", withDestinationPath: dir.path + "/d")
        let result = InputDiscovery.discover([dir.path])
        #expect(result.files.map(\.path) == [dir.path + "/d/a.json"])
        #expect(result.diagnostics.map(\.code) == ["input.symlink_loop"])
        #expect(result.diagnostics.allSatisfy { $0.level == .note })
    }

    @Test func timeFilterSkipsFilesAndDateFoldersClearlyOutside() throws {
        let dir = try TempDir()
        defer { dir.cleanup() }
        let stamps = [
            "20240101T2200Z", "20240102T0030Z", "20240102T1200Z", "20240102T2330Z", "20240103T0130Z", "20240105T0000Z",
        ]
        for (k, s) in stamps.enumerated() {
            try dir.write(Self.ctName("111122223333", "us-east-1", s, "\(k)"), gzip("{}"))
        }
        try dir.write("other.jsonl", Array("{}".utf8))
        let since = Timestamp.parse("2024-01-02T00:00:00Z")!
        let until = Timestamp.parse("2024-01-02T23:59:59Z")!
        let result = InputDiscovery.discover([dir.path], since: since, until: until)
        let kept = result.files.compactMap { $0.nameTime.map(Timestamp.format) }
        #expect(kept == ["2024-01-02T00:30:00Z", "2024-01-02T12:00:00Z", "2024-01-02T23:30:00Z"])
        #expect(!kept.contains("2024-01-01T22:00:00Z"))
        #expect(!kept.contains("2024-01-05T00:00:00Z"))
        #expect(result.files.last?.path.hasSuffix("other.jsonl") == true)
        #expect(result.skippedByTime == 3)  // two files and the 2024/01/05 folder
    }

    @Test func dateFolderRangesFollowTheLayout() {
        let day = CloudTrailPath.folderRange("/a/AWSLogs/1/CloudTrail/us-east-1/2024/02/29")
        #expect(day?.start == Timestamp.parse("2024-02-29T00:00:00Z"))
        #expect(day?.end == Timestamp.parse("2024-03-01T00:00:00Z"))
        #expect(
            CloudTrailPath.folderRange("/a/AWSLogs/1/CloudTrail/us-east-1/2024")?.end == Timestamp.parse("2025-01-01"))
        #expect(CloudTrailPath.folderRange("/a/AWSLogs/1/CloudTrail/us-east-1") == nil)
        #expect(CloudTrailPath.folderRange("/data/2024/02/29") == nil)
    }
}
