import Foundation
import TestSupport
import Testing

/// Runs the real `trailhound` binary built by `swift build` (the test command
/// builds it before running tests) and captures stdout, stderr and the exit code.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String

    /// stdout lines parsed as JSON objects (findings).
    var findings: [[String: Any]] {
        stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    /// Detector ids of the findings.
    var detectors: Set<String> { Set(findings.compactMap { $0["detector"] as? String }) }
}

enum CLI {
    /// Repository root (`TestSupport.Repository`).
    static var root: URL { Repository.root }

    /// The built binary (`TestSupport.Repository`).
    static var binary: URL { Repository.binary }

    /// Path of a corpus file or folder.
    static func corpus(_ rel: String) -> String { root.appendingPathComponent("corpora/\(rel)").path }

    /// Runs the binary with arguments (and optional stdin bytes) in the repo root.
    /// stdout and stderr go to temporary files, so a chatty child can never block on a full pipe.
    static func run(_ args: [String], stdin: Data? = nil, env: [String: String] = [:]) throws -> CLIResult {
        let dir = try tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("stdout")
        let errURL = dir.appendingPathComponent("stderr")
        let inURL = dir.appendingPathComponent("stdin")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: inURL.path, contents: stdin ?? Data())
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        p.currentDirectoryURL = root
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let input = try FileHandle(forReadingFrom: inURL)
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.run()
        p.waitUntilExit()
        try? out.close()
        try? err.close()
        try? input.close()
        return CLIResult(
            status: p.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// A fresh temporary directory.
    static func tempDir() throws -> URL {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("trailhound-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }

    /// gzip-compresses `data` into `url` with the system gzip (a real, independent encoder).
    static func gzip(_ data: Data, to url: URL) throws {
        let raw = url.deletingPathExtension()
        try data.write(to: raw)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/gzip")
        p.arguments = ["-f", "-n", raw.path]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
    }
}
