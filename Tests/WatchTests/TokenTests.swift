import Foundation
import Testing

extension WatchE2E {
    /// `watch --check-config` on a config whose `http:` mapping is `http`; exit status and stderr.
    static func checkHTTPConfig(_ http: String, flags: [String] = [], env: [String: String] = [:]) async throws -> (
        Int32?, String
    ) {
        let dir = try tempDir()
        let config = dir.appendingPathComponent("watch.yaml")
        try WatchProcess.writeConfig(
            to: config,
            """
            http:
            \(http)
            """)
        let p = try WatchProcess(["watch", "--config", config.path, "--check-config"] + flags, dir: dir, env: env)
        return (await p.waitForExit(timeout: 10), p.stderr)
    }

    @Test func aShortOrBlankTokenIsRefusedBeyondLoopbackWithItsPosition() async throws {
        // From the file: reported at the token's line and column.
        let (s1, e1) = try await Self.checkHTTPConfig("  listen: 0.0.0.0:9464\n  token: x")
        #expect(s1 == 64)
        #expect(e1.contains("watch.yaml:8:10: error: http.token: a token of 1 character(s) is too weak"), "\(e1)")
        #expect(e1.contains("[config.weak_token]"))
        // Whitespace is no token, on any listener.
        let (s2, e2) = try await Self.checkHTTPConfig("  listen: 127.0.0.1:9464\n  token: \"   \"")
        #expect(s2 == 64)
        #expect(e2.contains("watch.yaml:8:10: error: http.token: the token has surrounding whitespace"), "\(e2)")
        // From an environment variable named in the file: reported at token_env.
        let (s3, e3) = try await Self.checkHTTPConfig(
            "  listen: \"[::]:9464\"\n  token_env: HOOK_TOKEN", env: ["HOOK_TOKEN": "short-token"])
        #expect(s3 == 64)
        #expect(
            e3.contains("watch.yaml:8:14: error: environment variable HOOK_TOKEN (http.token_env): a token of 11"),
            "\(e3)")
        // From TRAILHOUND_TOKEN with --listen.
        let (s4, e4) = try await Self.checkHTTPConfig(
            "  recent_findings: 10", flags: ["--listen", "0.0.0.0:0"], env: ["TRAILHOUND_TOKEN": "0123456789abcde"])
        #expect(s4 == 64)
        #expect(
            e4.contains("environment variable TRAILHOUND_TOKEN: a token of 15") && e4.contains("[config.weak_token]"))
        // Long enough: accepted; a short token on loopback stays the operator's choice.
        let (s5, e5) = try await Self.checkHTTPConfig("  listen: 0.0.0.0:9464\n  token: 0123456789abcdef")
        #expect(s5 == 0, "\(e5)")
        let (s6, e6) = try await Self.checkHTTPConfig("  listen: 127.0.0.1:9464\n  token: x")
        #expect(s6 == 0, "\(e6)")
    }
}
