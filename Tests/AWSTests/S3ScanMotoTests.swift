import AWS
import Foundation
import Ingest
import TestSupport
import Testing

@testable import Runtime

/// `scan s3://…` against a real moto server holding the demo archive under an organization
/// trail layout (two accounts, two regions, ten days), compared line for line with `scan` of
/// the same files on disk.
@Suite(.serialized, .enabled(if: MotoServer.unavailableReason == nil, "moto_server is not on PATH"))
struct S3ScanMotoTests {
    static let demo = Repository.root.appendingPathComponent("corpora/cloudtrail/demo").path

    /// Runs the binary without the developer's `AWS_*` variables, plus moto's `env`.
    static func trailhound(_ args: [String], env: [String: String] = [:]) throws -> (Int32, String, String) {
        let r = try Repository.run(args, env: env, clearing: "AWS_")
        return (r.status, r.stdout, r.stderr)
    }
    static let bucket = "org-trail-bucket"
    static let prefix = "trails/AWSLogs/o-demo12345/"

    /// Local origins name `corpora/cloudtrail/demo/AWSLogs/…`, S3 ones the object URL; the
    /// rest of every line must be the same bytes.
    static func normalized(_ stdout: String, s3: Bool) -> [String] {
        let from = s3 ? "s3://\(bucket)/\(prefix)" : "\(demo)/AWSLogs/"
        return stdout.split(separator: "\n").map { $0.replacingOccurrences(of: from, with: "AWSLogs/") }
    }

    @Test func scanFromS3GivesTheSameFindingsAsTheLocalCopy() async throws {
        let moto = try MotoServer()
        defer { moto.stop() }
        let fixture = MotoFixture(moto)
        try await fixture.createBucket(Self.bucket)
        let uploaded = try await fixture.upload(Self.demo + "/AWSLogs", to: Self.bucket, prefix: Self.prefix)
        #expect(uploaded > 3000)
        let common = ["--detectors", "detectors", "--quiet", "--no-progress"]
        let (ls, lout, lerr) = try Self.trailhound(["scan", Self.demo] + common)
        let (ss, sout, serr) = try Self.trailhound(
            ["scan", "s3://\(Self.bucket)/trails/", "--endpoint-url", moto.endpoint] + common, env: fixture.env)
        #expect(ls == ss, "local: \(lerr)\ns3: \(serr)")
        let local = Self.normalized(lout, s3: false)
        #expect(local.count > 10)
        #expect(Self.normalized(sout, s3: true) == local)

        // A window: only its day folders are listed, and the findings match the local window.
        let window = ["--since", "2025-06-05T00:00:00Z", "--until", "2025-06-06T12:00:00Z"]
        let (_, lw, _) = try Self.trailhound(["scan", Self.demo] + common + window)
        let (_, sw, swerr) = try Self.trailhound(
            ["scan", "s3://\(Self.bucket)/trails/", "--endpoint-url", moto.endpoint] + common + window,
            env: fixture.env)
        #expect(Self.normalized(sw, s3: true) == Self.normalized(lw, s3: false), "\(swerr)")
        #expect(Self.normalized(sw, s3: true) != local)

        let s3 = try CloudInputs.client(Self.cloud(moto))
        let all = await S3Listing(s3: s3, since: nil, until: nil).list([S3URL(bucket: Self.bucket, key: "trails/")])
        let since: Int64 = 1_749_081_600_000  // 2025-06-05
        let pruned = await S3Listing(s3: s3, since: since, until: since + 36 * 3_600_000)
            .list([S3URL(bucket: Self.bucket, key: "trails/")])
        #expect(all.files.count == uploaded)
        #expect(pruned.keysListed * 3 < all.keysListed, "listed \(pruned.keysListed) of \(all.keysListed)")
        #expect(pruned.files.count < all.files.count / 3 && !pruned.files.isEmpty)
        #expect(pruned.diagnostics.isEmpty && all.diagnostics.isEmpty)
    }

    static func cloud(_ moto: MotoServer) -> CloudOptions {
        var c = CloudOptions()
        c.http = .shared
        c.endpointURL = moto.endpoint
        c.environment = MotoServer.environment
        return c
    }

    @Test func pagingAMissingObjectAndAMissingBucket() async throws {
        let moto = try MotoServer()
        defer { moto.stop() }
        let fixture = MotoFixture(moto)
        try await fixture.createBucket("small")
        let record = Array(
            #"{"Records":[{"eventVersion":"1.08","eventTime":"2025-06-03T00:00:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"10.0.0.1","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/a","accountId":"111122223333","userName":"a"},"eventID":"e1"}]}"#
                .utf8)
        for i in 0..<250 { try await fixture.put("small", "logs/\(String(format: "%03d", i)).json", record) }
        var listing = S3Listing(s3: try CloudInputs.client(Self.cloud(moto)), since: nil, until: nil)
        let whole = await listing.list([S3URL(bucket: "small", key: "logs/")])
        listing.pageSize = 40
        let paged = await listing.list([S3URL(bucket: "small", key: "logs/")])
        #expect(whole.files.count == 250 && whole.requests == 1)
        #expect(paged.files.map(\.path) == whole.files.map(\.path))
        #expect(paged.requests == 7)

        // An object deleted after listing: a diagnostic for it, and the next object still reads.
        try await fixture.delete("small", "logs/000.json")
        var options = IngestOptions()
        options.objects = ObjectSourceRef(S3ObjectSource(s3: try CloudInputs.client(Self.cloud(moto))))
        let reader = RecordReader(options: options)
        var codes: [String] = []
        var records = 0
        for f in whole.files.prefix(2) {
            reader.read(f, onRecord: { _, _ in records += 1 }, onDiagnostic: { codes.append($0.code) })
        }
        #expect(codes == ["aws.not_found"])
        #expect(records == 1)

        // A bucket that does not exist: the listing diagnostic, then "no input files".
        let (status, _, err) = try Self.trailhound(
            ["scan", "s3://no-such-bucket/x/", "--endpoint-url", moto.endpoint, "--detectors", "detectors"],
            env: fixture.env)
        #expect(status == 1)
        #expect(err.contains("[aws.not_found]") && err.contains("NoSuchBucket"), "\(err)")
    }
}
