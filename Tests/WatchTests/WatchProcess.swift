import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The real `trailhound` binary running `watch` (or any subcommand) as a
/// child process, stdout and stderr going to files that the test polls.
final class WatchProcess {
    /// Repository root (`TestSupport.Repository`).
    static var root: URL { Repository.root }
    /// The built binary (`TestSupport.Repository`).
    static var binary: URL { Repository.binary }

    let process = Process()
    let outURL: URL
    let errURL: URL

    /// Starts the binary with `args` in the repository root.
    init(_ args: [String], dir: URL, env: [String: String] = [:], tag: String = UUID().uuidString) throws {
        outURL = dir.appendingPathComponent("stdout-\(tag)")
        errURL = dir.appendingPathComponent("stderr-\(tag)")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.executableURL = Self.binary
        process.arguments = args
        process.currentDirectoryURL = Self.root
        var environment = ProcessInfo.processInfo.environment
        environment["TRAILHOUND_TOKEN"] = nil
        for (k, v) in env { environment[k] = v }
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning && Date() < deadline { usleep(10_000) }
        }
        process.releaseExited()
    }

    var pid: Int32 { process.processIdentifier }
    var stdout: String { (try? String(contentsOf: outURL, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: errURL, encoding: .utf8)) ?? "" }

    /// Findings printed on stdout (JSON objects).
    var findings: [[String: Any]] { Self.parse(stdout) }

    static func parse(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
        }
    }

    func signal(_ sig: Int32) { kill(pid, sig) }

    /// Waits for the process to exit; its status, or nil after `timeout` seconds.
    func waitForExit(timeout: Double) async -> Int32? {
        let ok = await poll(timeout: timeout) { !self.process.isRunning }
        guard ok else { return nil }
        process.releaseExited()
        return process.terminationStatus
    }

    /// Waits until the start-up line is printed (inputs opened, state restored).
    func waitUntilStarted() async throws {
        let ok = await poll(timeout: 20) { self.stderr.contains("watch started") || !self.process.isRunning }
        #expect(ok && process.isRunning, "watch did not start: \(stderr)")
    }

    /// The HTTP port printed on stderr.
    func port() async -> UInt16? {
        var port: UInt16?
        _ = await poll(timeout: 20) {
            guard let r = self.stderr.range(of: "listening on http://127.0.0.1:") else { return false }
            port = UInt16(self.stderr[r.upperBound...].prefix { $0.isNumber })
            return true
        }
        return port
    }
}

/// Polls `condition` every 25 ms until it holds (true) or `timeout` seconds pass (false).
func poll(timeout: Double, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if condition() { return true }
        try? await Task.sleep(nanoseconds: 25_000_000)
    }
    return condition()
}

/// A fresh temporary directory.
func tempDir() throws -> URL { try Repository.temporaryDirectory("trailhound-watch") }

/// Appends text to a file (created if missing), the way a log writer does.
func append(_ text: String, to url: URL) throws {
    if !FileManager.default.fileExists(atPath: url.path) {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
    }
    let h = try FileHandle(forWritingTo: url)
    try h.seekToEnd()
    try h.write(contentsOf: Data(text.utf8))
    try h.close()
}

/// Runs a tool (gzip, cp) and waits.
func sh(_ tool: String, _ args: [String]) throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: tool)
    p.arguments = args
    try p.runToExit()
    #expect(p.terminationStatus == 0, "\(tool) \(args) failed")
}

/// Runs `trailhound` to completion (for `scan`); stdout and exit status.
func runTrailhound(_ args: [String], dir: URL) async throws -> (Int32, String, String) {
    let p = try WatchProcess(args, dir: dir)
    let status = await p.waitForExit(timeout: 120) ?? -1
    return (status, p.stdout, p.stderr)
}

/// Event ids of findings (the evidence), flattened.
func evidence(_ findings: [[String: Any]]) -> [String] {
    findings.flatMap { ($0["event_ids"] as? [String]) ?? [] }
}

extension WatchProcess {
    /// Writes a service config: the common head (version, `state.db`, the repository's
    /// detectors, the input `app.jsonl`, all relative to the config's folder) and `rest`
    /// (sinks, http, …) as YAML lines at the top level.
    static func writeConfig(to url: URL, _ rest: String) throws {
        let head = """
            version: 1
            state: state.db
            detectors: \(root.appendingPathComponent("detectors").path)
            inputs:
              - path: app.jsonl

            """
        try (head + rest).write(to: url, atomically: true, encoding: .utf8)
    }
}
