import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The loopback receiver of `Fixtures/receiver.py`, run as a real python3 process (plain HTTP,
/// or HTTPS with a server certificate signed by a CA made for the test with the openssl CLI).
final class ReceiverProcess: @unchecked Sendable {
    /// One request the receiver got.
    struct Received {
        var path: String
        var headers: [String: String]
        var body: String
    }

    let dir: URL
    let port: Int
    let scheme: String
    private let process: Process
    private var exit: ChildExit?
    private let log: URL

    /// Starts the receiver answering as `script` says (path → answers, see receiver.py), or with
    /// `fixture: "proxy.py"` the CONNECT proxy (which logs to `requests.jsonl` the targets it tunnels).
    init(script: [String: [[String: Any]]], tls: TestCA? = nil, fixture: String = "receiver.py") throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("th-recv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let scriptURL = dir.appendingPathComponent("script.json")
        try JSONSerialization.data(withJSONObject: script).write(to: scriptURL)
        log = dir.appendingPathComponent("requests.jsonl")
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/\(fixture)")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            fixture.lastPathComponent == "proxy.py"
            ? ["python3", fixture.path, log.path]
            : ["python3", fixture.path, scriptURL.path, log.path] + (tls.map { [$0.serverCert, $0.serverKey] } ?? [])
        let out = Pipe()
        process.standardOutput = out
        // A file, never the runner's own stderr: a child holding that open kept `swift test`
        // waiting for ever once the runner had crashed.
        let errURL = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: errURL)
        process.standardInput = FileHandle.nullDevice
        exit = try process.start()
        var line = Data()
        while !line.contains(0x0a) {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("PORT "), let p = Int(text.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            kill(process.processIdentifier, SIGKILL)
            let err = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
            throw ReceiverFailure(message: "\(fixture.lastPathComponent) did not start: \(text) \(err)")
        }
        port = p
        scheme = tls == nil ? "http" : "https"
    }

    deinit { stop() }

    /// `scheme://127.0.0.1:port` + `path`.
    func url(_ path: String) -> String { "\(scheme)://127.0.0.1:\(port)\(path)" }

    /// Stops the process (SIGKILL: a test runner may hand its children a blocked SIGTERM).
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            _ = try? exit?.wait(timeout: 10)
        }
    }

    /// Lines of the log (the proxy's `CONNECT host:port auth` lines).
    var logLines: [String] {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Requests received so far, in order.
    var received: [Received] {
        guard let text = try? String(contentsOf: log, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { line in
            guard let o = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
                return nil
            }
            return Received(
                path: o["path"] as? String ?? "", headers: o["headers"] as? [String: String] ?? [:],
                body: o["body"] as? String ?? "")
        }
    }
}

/// A receiver that could not start.
struct ReceiverFailure: Error { var message: String }

/// A private CA and a server certificate for 127.0.0.1 and localhost, made with the openssl CLI.
struct TestCA {
    let caCert: String
    let serverCert: String
    let serverKey: String

    /// Nil (and the test skips visibly) when openssl is not installed.
    static func make() throws -> TestCA? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") else { return nil }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("th-ca-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        func p(_ n: String) -> String { dir.appendingPathComponent(n).path }
        try FileManager.default.createFile(
            atPath: p("ext.cnf"), contents: Data("subjectAltName=IP:127.0.0.1,DNS:localhost\n".utf8))
        try run([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", p("ca.key"), "-out", p("ca.pem"), "-days", "2",
            "-subj", "/CN=Trailhound Test CA",
        ])
        try run([
            "req", "-newkey", "rsa:2048", "-nodes", "-keyout", p("server.key"), "-out", p("server.csr"),
            "-subj", "/CN=127.0.0.1",
        ])
        try run([
            "x509", "-req", "-in", p("server.csr"), "-CA", p("ca.pem"), "-CAkey", p("ca.key"), "-CAcreateserial",
            "-out", p("server.pem"), "-days", "2", "-extfile", p("ext.cnf"),
        ])
        return TestCA(caCert: p("ca.pem"), serverCert: p("server.pem"), serverKey: p("server.key"))
    }

    private static func run(_ args: [String]) throws {
        let proc = Process()
        proc.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        proc.arguments = args
        proc.standardOutput = FileHandle.nullDevice
        proc.standardError = FileHandle.nullDevice
        try proc.runToExit()
        guard proc.terminationStatus == 0 else {
            throw ReceiverFailure(message: "openssl \(args.prefix(2).joined(separator: " ")) failed")
        }
    }
}
