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

/// The built `trailhound` binary, run in the repository root.
enum Binary {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var path: String {
        let bundle = Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("trailhound").path
        if FileManager.default.isExecutableFile(atPath: bundle) { return bundle }
        return root.appendingPathComponent(".build/debug/trailhound").path
    }

    /// Runs it and returns (status, stdout, stderr); output goes through files so no pipe fills.
    static func run(_ args: [String], env: [String: String] = [:]) throws -> (Int32, String, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("th-bin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appendingPathComponent("out")
        let err = dir.appendingPathComponent("err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        p.currentDirectoryURL = root
        var environment = ProcessInfo.processInfo.environment
        for k in environment.keys where k.hasPrefix("AWS_") { environment[k] = nil }
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        try p.run()
        p.waitUntilExit()
        return (
            p.terminationStatus, String(decoding: try Data(contentsOf: out), as: UTF8.self),
            String(decoding: try Data(contentsOf: err), as: UTF8.self)
        )
    }
}
