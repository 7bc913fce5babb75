import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `watch --check-config` checks what the start will need from the machine, and the start
/// fails the same way (exit 1 instead of 64), each problem with its code.
@Suite("watch: examples and preflight checks", .timeLimit(.minutes(2)))
struct PreflightTests {
    /// A directory nobody can create files in, root included (`access(2)` would say yes to root).
    static let unwritable = "/proc"

    /// Runs `watch ... --check-config` (or the real start) on a config file in `dir`.
    static func check(_ yaml: String, dir: URL, start: Bool = false, env: [String: String] = [:]) async throws -> (
        Int32, String
    ) {
        let config = dir.appendingPathComponent("watch.yaml")
        try yaml.write(to: config, atomically: true, encoding: .utf8)
        let p = try WatchProcess(
            ["watch", "--config", config.path, "--detectors", "detectors"] + (start ? [] : ["--check-config"]),
            dir: dir, env: env)
        let status = await p.waitForExit(timeout: 20) ?? -1
        return (status, p.stderr)
    }

    static func config(state: String, input: String, kind: String = "auto", extra: String = "") -> String {
        "version: 1\nstate: \(state)\ninputs:\n  - path: \(input)\n    kind: \(kind)\n" + extra
    }

    @Test func everyExamplePassesItsOwnCheck() async throws {
        let examples = WatchProcess.root.appendingPathComponent("examples")
        let files = try FileManager.default.contentsOfDirectory(atPath: examples.path).filter {
            $0.hasSuffix(".yaml") || $0.hasSuffix(".yml")
        }.sorted()
        #expect(!files.isEmpty)
        for name in files {
            let dir = try tempDir()
            // Out of the box: no token variables set.
            let p = try WatchProcess(
                ["watch", "--config", "examples/\(name)", "--check-config"], dir: dir,
                env: ["TRAILHOUND_WEBHOOK_TOKEN": "", "TRAILHOUND_TOKEN": ""])
            #expect(await p.waitForExit(timeout: 20) == 0, "examples/\(name): \(p.stderr)")
            #expect(p.stdout.contains("are fine"), "examples/\(name): \(p.stdout)")
        }
    }

    @Test func theExamplesCommentedWebhookIsValidOnceUncommentedWithItsToken() async throws {
        let dir = try tempDir()
        let root = WatchProcess.root
        var text = try String(contentsOf: root.appendingPathComponent("examples/watch.yaml"), encoding: .utf8)
        text = text.replacingOccurrences(of: "  # webhook:", with: "  webhook:")
            .replacingOccurrences(of: "  #   ", with: "    ")
            // The copy lives elsewhere: its relative paths must still point into the repository.
            .replacingOccurrences(of: ": ../", with: ": \(root.path)/")
        #expect(text.contains("\n  webhook:\n    url: http://"))
        let (ok, okErr) = try await Self.check(text, dir: dir, env: ["TRAILHOUND_WEBHOOK_TOKEN": "t0ken"])
        #expect(ok == 0, "\(okErr)")
        let (bad, badErr) = try await Self.check(text, dir: dir, env: ["TRAILHOUND_WEBHOOK_TOKEN": ""])
        #expect(bad == 64 && badErr.contains("TRAILHOUND_WEBHOOK_TOKEN"), "\(badErr)")
    }

    @Test func aFollowedFileMayAppearLaterInADirectoryThatExists() async throws {
        let dir = try tempDir()
        let (status, err) = try await Self.check(
            Self.config(state: "state.db", input: "later.jsonl", kind: "tail"), dir: dir)
        #expect(status == 0, "\(err)")
    }

    @Test func missingStateDirectoryFailsTheCheckAndTheStart() async throws {
        let dir = try tempDir()
        let yaml = Self.config(state: "nowhere/state.db", input: ".", kind: "directory")
        let (status, err) = try await Self.check(yaml, dir: dir)
        #expect(status == 64)
        #expect(err.contains("nowhere does not exist") && err.contains("[preflight.state_dir_missing]"), "\(err)")
        let (started, startErr) = try await Self.check(yaml, dir: dir, start: true)
        #expect(started == 1)
        #expect(startErr.contains("[preflight.state_dir_missing]") && startErr.contains("not started"), "\(startErr)")
    }

    @Test func unwritableStateDirectoryFailsTheCheckAndTheStart() async throws {
        let dir = try tempDir()
        let yaml = Self.config(state: "\(Self.unwritable)/trailhound.db", input: ".", kind: "directory")
        let (status, err) = try await Self.check(yaml, dir: dir)
        #expect(status == 64)
        #expect(
            err.contains("cannot create files in /proc") && err.contains("[preflight.state_not_writable]"), "\(err)")
        let (started, startErr) = try await Self.check(yaml, dir: dir, start: true)
        #expect(started == 1 && startErr.contains("[preflight.state_not_writable]"), "\(startErr)")
    }

    @Test func missingInputsFailTheCheck() async throws {
        let dir = try tempDir()
        let (d, dErr) = try await Self.check(
            Self.config(state: "state.db", input: "no-such-dir", kind: "directory"), dir: dir)
        #expect(d == 64 && dErr.contains("[preflight.input_missing]"), "\(dErr)")
        #expect(dErr.contains("input directory \(dir.path)/no-such-dir does not exist"), "\(dErr)")
        let (t, tErr) = try await Self.check(
            Self.config(state: "state.db", input: "no-such-dir/app.jsonl", kind: "tail"), dir: dir)
        #expect(t == 64 && tErr.contains("[preflight.input_missing]") && tErr.contains("its directory"), "\(tErr)")
        let (k, kErr) = try await Self.check(
            Self.config(state: "state.db", input: ".", kind: "tail"), dir: dir)
        #expect(k == 64 && kErr.contains("kind: tail follows a file"), "\(kErr)")
    }

    @Test(.enabled(if: geteuid() != 0, "skipped: running as root, who can read a mode-000 file"))
    func unreadableInputFailsTheCheck() async throws {
        let dir = try tempDir()
        let file = dir.appendingPathComponent("secret.jsonl")
        _ = FileManager.default.createFile(atPath: file.path, contents: Data(), attributes: [.posixPermissions: 0])
        let (status, err) = try await Self.check(Self.config(state: "state.db", input: file.path), dir: dir)
        #expect(status == 64 && err.contains("[preflight.input_unreadable]"), "\(err)")
    }

    @Test func findingsFileInAMissingOrUnwritableDirectoryFailsTheCheck() async throws {
        let dir = try tempDir()
        let base = Self.config(state: "state.db", input: ".", kind: "directory")
        let (m, mErr) = try await Self.check(base + "sinks:\n  file:\n    path: gone/findings.jsonl\n", dir: dir)
        #expect(m == 64 && mErr.contains("[preflight.output_dir_missing]"), "\(mErr)")
        let (u, uErr) = try await Self.check(
            base + "sinks:\n  file:\n    path: \(Self.unwritable)/findings.jsonl\n", dir: dir)
        #expect(u == 64 && uErr.contains("[preflight.output_not_writable]"), "\(uErr)")
    }

    @Test func aListenAddressInUseFailsTheCheckAndTheStart() async throws {
        let dir = try tempDir()
        // Hold a port: a listening socket on loopback, port chosen by the kernel.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var sa = sockaddr_in()
        sa.sin_family = sa_family_t(AF_INET)
        sa.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &sa) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, len) == 0 && listen(fd, 1) == 0 && getsockname(fd, $0, &len) == 0
            }
        }
        try #require(bound)
        let port = UInt16(bigEndian: sa.sin_port)
        let yaml =
            Self.config(state: "state.db", input: ".", kind: "directory") + "http:\n  listen: 127.0.0.1:\(port)\n"
        let (status, err) = try await Self.check(yaml, dir: dir)
        #expect(status == 64)
        #expect(
            err.contains("cannot listen on 127.0.0.1:\(port)") && err.contains("[preflight.listen_unavailable]"),
            "\(err)")
        let (started, startErr) = try await Self.check(yaml, dir: dir, start: true)
        #expect(started == 1 && startErr.contains("[preflight.listen_unavailable]"), "\(startErr)")
    }
}
