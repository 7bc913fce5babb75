import AWS
import AsyncHTTPClient
import Foundation
import TestSupport
import Testing

/// Buckets and objects put into a moto server with this module's own signed client (so the
/// PUT path is signed the same way as the reads), and the built binary run against it.
struct MotoFixture {
    let moto: MotoServer
    let aws: AWSClient

    init(_ moto: MotoServer) {
        self.moto = moto
        aws = AWSClient(
            http: .shared,
            credentials: StaticCredentialProvider(AWSCredentials(accessKeyId: "testing", secretAccessKey: "testing")),
            region: "us-east-1")
    }

    func createBucket(_ bucket: String) async throws {
        _ = try await aws.send(AWSRequest(service: "s3", method: .PUT, endpoint: moto.endpoint, path: "/\(bucket)"))
    }

    func put(_ bucket: String, _ key: String, _ bytes: [UInt8]) async throws {
        _ = try await aws.send(
            AWSRequest(service: "s3", method: .PUT, endpoint: moto.endpoint, path: "/\(bucket)/\(key)", body: bytes))
    }

    func delete(_ bucket: String, _ key: String) async throws {
        _ = try await aws.send(
            AWSRequest(service: "s3", method: .DELETE, endpoint: moto.endpoint, path: "/\(bucket)/\(key)"))
    }

    /// Uploads every file under `dir` as `prefix + relative path`, 16 at a time; returns the count.
    func upload(_ dir: String, to bucket: String, prefix: String) async throws -> Int {
        let files = (FileManager.default.enumerator(atPath: dir)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".gz") }.sorted()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (i, rel) in files.enumerated() {
                if i >= 16 { try await group.next() }
                group.addTask {
                    let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/" + rel))
                    try await put(bucket, prefix + rel, Array(data))
                }
            }
            try await group.waitForAll()
        }
        return files.count
    }

    /// Environment for the binary: moto's credentials, no metadata service.
    var env: [String: String] { MotoServer.environment }
}
