import Foundation

/// What one run of the built binary gave: exit status, stdout and stderr.
public struct CLIResult {
    /// Exit status.
    public var status: Int32
    /// Everything written to stdout.
    public var stdout: String
    /// Everything written to stderr.
    public var stderr: String

    /// A result (tests that run other tools, such as the release tarball's, build their own).
    public init(status: Int32, stdout: String, stderr: String) {
        self.status = status
        self.stdout = stdout
        self.stderr = stderr
    }

    /// stdout lines parsed as JSON objects (findings).
    public var findings: [[String: Any]] {
        stdout.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    /// Detector ids of the findings.
    public var detectors: Set<String> { Set(findings.compactMap { $0["detector"] as? String }) }

    /// The findings about an attack: those of one of `identities`, or citing one of `events` as evidence.
    public func findings(about identities: Set<String>, events: Set<String>) -> [[String: Any]] {
        findings.filter { Self.isAbout($0, identities, events) }
    }

    /// The findings about anything else (the noise around an attack).
    public func findings(outside identities: Set<String>, events: Set<String>) -> [[String: Any]] {
        findings.filter { !Self.isAbout($0, identities, events) }
    }

    private static func isAbout(_ f: [String: Any], _ identities: Set<String>, _ events: Set<String>) -> Bool {
        identities.contains(f["identity"] as? String ?? "")
            || !events.isDisjoint(with: f["event_ids"] as? [String] ?? [])
    }
}

extension Repository {
    /// Runs the built binary to completion with `args` (and optional stdin bytes) in the repository
    /// root, with the test's environment minus variables starting with `clearing` (say `AWS_`, so a
    /// developer's credentials never reach a test) plus `env`. stdout and stderr go to temporary
    /// files, so a chatty child can never block on a full pipe.
    public static func run(
        _ args: [String], stdin: Data? = nil, env: [String: String] = [:], clearing: String? = nil
    ) throws -> CLIResult {
        let dir = try temporaryDirectory("trailhound-run")
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
        if let clearing { for k in environment.keys where k.hasPrefix(clearing) { environment[k] = nil } }
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        let input = try FileHandle(forReadingFrom: inURL)
        p.standardOutput = out
        p.standardError = err
        p.standardInput = input
        try p.runToExit()
        try? out.close()
        try? err.close()
        try? input.close()
        return CLIResult(
            status: p.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// A fresh temporary directory named `<prefix>-<uuid>`; the caller removes it.
    public static func temporaryDirectory(_ prefix: String) throws -> URL {
        let u = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: u, withIntermediateDirectories: true)
        return u
    }
}
