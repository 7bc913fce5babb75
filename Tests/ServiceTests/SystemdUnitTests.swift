import Foundation
import TestSupport
import Testing

/// `examples/trailhound.service`: the hardening keys are there, and `systemd-analyze verify`
/// accepts the unit (with ExecStart pointed at the built binary) where systemd is installed.
@Suite("systemd unit")
struct SystemdUnitTests {
    static let root = Repository.root
    static let unit = root.appendingPathComponent("examples/trailhound.service")
    static let analyze = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    static func settings() throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for line in try String(contentsOf: unit, encoding: .utf8).split(separator: "\n") {
            guard !line.hasPrefix("#"), let eq = line.firstIndex(of: "=") else { continue }
            out[String(line[..<eq]), default: []].append(String(line[line.index(after: eq)...]))
        }
        return out
    }

    @Test func hardeningKeysArePresent() throws {
        let s = try Self.settings()
        let required: [String: String] = [
            "NoNewPrivileges": "yes", "ProtectSystem": "strict", "PrivateTmp": "yes", "ProtectHome": "yes",
            "StateDirectory": "trailhound", "DynamicUser": "yes", "User": "trailhound", "Restart": "on-failure",
            "ExecReload": "/bin/kill -HUP $MAINPID", "CapabilityBoundingSet": "", "RestartPreventExitStatus": "64",
        ]
        for (key, value) in required.sorted(by: { $0.key < $1.key }) {
            #expect(s[key]?.contains(value) == true, "\(key)=\(value) missing (got \(s[key] ?? []))")
        }
        #expect(s["ExecStart"]?.first?.contains(" watch --config ") == true)
    }

    @Test(.enabled(if: analyze != nil, "systemd-analyze not installed: unit not verified"))
    func systemdAnalyzeVerifyAcceptsTheUnit() throws {
        let binary = Repository.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build trailhound first")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("th-unit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let text = try String(contentsOf: Self.unit, encoding: .utf8)
            .replacingOccurrences(of: "/usr/local/bin/trailhound", with: binary.path)
        let copy = dir.appendingPathComponent("trailhound.service")
        try text.write(to: copy, atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.analyze!)
        p.arguments = ["verify", copy.path]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = err
        let exit = try p.start()
        let output = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        try exit.wait()
        // Lines about other units on this machine are not ours; any line naming ours is a problem.
        let ours = output.split(separator: "\n").filter { $0.contains("trailhound.service") }
        #expect(p.terminationStatus == 0 && ours.isEmpty, "\(output)")
    }
}
