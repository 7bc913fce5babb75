import EventModel
import Testing
import TestSupport

@testable import Formats

@Suite struct NginxFormatTests {
    static let combined =
        #"203.0.113.7 - - [07/Dec/2026:01:02:03 +0100] "POST /api/v1/validate/code?x=1 HTTP/1.1" 200 112 "-" "python-requests/2.31.0""#
    static let ingress =
        #"198.51.100.4 - - [07/Dec/2026:00:02:03 +0000] "POST /api/v1/run/f-1 HTTP/2.0" 500 19 "-" "Mozilla/5.0 (X11)" 734 0.250 [ai-langflow-7860] [] 10.2.0.14:7860, 10.2.0.15:7860 19 0.249 500 4f1c8e2a9b7d6c5e4f1c8e2a9b7d6c5e"#

    @Test func combinedLineIsAFrontDoorEvent() throws {
        let (r, warnings) = decodeLine(Self.combined, record: 4)
        let e = try #require(theEvent(r))
        #expect(warnings.isEmpty)
        #expect(e.provider == .workflow)
        #expect(e.time == Timestamp.parse("2026-12-07T00:02:03Z"))
        #expect(e.action.operation == "validate_code")
        #expect(e.parameter("path") == "/api/v1/validate/code")
        #expect(e.parameter("query") == "x=1")
        #expect(e.parameter("method") == "POST")
        #expect(e.parameter("status") == "200")
        #expect(e.parameter("bytes_out") == "112")
        #expect(e.parameter("front_door") == "nginx")
        #expect(e.parameter("server_kind") == "langflow")
        #expect(e.parameter("cve") == "CVE-2025-3248")
        // Combined lines do not say whether a token or cookie was sent.
        #expect(e.parameter("authenticated") == nil)
        #expect(e.identity.key == "workflow:nginx/anonymous")
        #expect(e.source.ips == ["203.0.113.7"])
        #expect(e.userAgent.family == .pythonRequests)
        #expect(e.eventId.hasPrefix("nginx:") && e.eventId.hasSuffix("-4"))
    }

    @Test func basicAuthUserMeansAuthenticated() throws {
        let line = Self.combined.replacingOccurrences(of: "203.0.113.7 - -", with: "203.0.113.7 - alice")
        let e = try #require(theEvent(decodeLine(line).0))
        #expect(e.parameter("authenticated") == "true")
        #expect(e.identity.key == "workflow:nginx/alice")
    }

    @Test func ingressUpstreamFormatNamesTheBackendAndDuration() throws {
        let e = try #require(theEvent(decodeLine(Self.ingress).0))
        #expect(e.parameter("backend") == "ai-langflow-7860")
        #expect(e.parameter("upstream_addr") == "10.2.0.14:7860")
        #expect(e.parameter("duration_ms") == "250")
        #expect(e.parameter("bytes_in") == "734")
        #expect(e.action.operation == "run_flow")
        #expect(e.outcome.errorMessage == "HTTP 500")
        #expect(e.eventId == "nginx:4f1c8e2a9b7d6c5e4f1c8e2a9b7d6c5e")
        // Unmapped and without a host: the server is named by its upstream.
        #expect(e.account == "ai-langflow-7860")
    }

    @Test func deploymentMappingNamesTheServerByBackend() throws {
        let d = [FrontDoorDeployment(name: "langflow-prod", kind: "langflow", backend: "ai-langflow-*")]
        let e = try #require(theEvent(decodeLine(Self.ingress, deployments: d).0))
        #expect(e.account == "langflow-prod")
        #expect(e.identity.key == "workflow:langflow-prod/anonymous")
        #expect(e.parameter("server_kind") == "langflow")
    }

    @Test func deploymentByFrontDoorForLinesWithoutHost() throws {
        let d = [FrontDoorDeployment(name: "lf-dev", kind: "langflow", frontDoor: "nginx")]
        #expect(theEvent(decodeLine(Self.combined, deployments: d).0)?.account == "lf-dev")
        let other = [FrontDoorDeployment(name: "lf-dev", kind: "langflow", frontDoor: "alb")]
        #expect(theEvent(decodeLine(Self.combined, deployments: other).0)?.account == "nginx")
    }

    @Test func mainFormatForwardedForIsUsedOnlyBehindAPrivatePeer() throws {
        let main =
            #"10.0.0.9 - - [07/Dec/2026:00:00:01 +0000] "GET /health HTTP/1.1" 200 2 "-" "kube-probe/1.30" "198.51.100.20, 203.0.113.50""#
        let e = try #require(theEvent(decodeLine(main).0))
        // Right-most public hop: the one our own proxy appended.
        #expect(e.source.ips == ["203.0.113.50"])
        #expect(e.parameter("peer") == "10.0.0.9")
        #expect(e.action.operation == "version_probe")
        #expect(e.parameter("server_kind") == nil)  // `any` probes do not tell the kind
        let publicPeer = main.replacingOccurrences(of: "10.0.0.9 -", with: "192.0.2.1 -")
        let p = try #require(theEvent(decodeLine(publicPeer).0))
        #expect(p.source.ips == ["192.0.2.1"])  // a public peer's X-Forwarded-For is not believed
        #expect(p.parameter("forwarded_for") == "198.51.100.20, 203.0.113.50")
    }

    @Test func ordinaryGetIsReadOnlyAndNamedByItsPath() throws {
        let line =
            #"203.0.113.7 - - [07/Dec/2026:00:00:01 +0000] "GET /assets/index-abc.js?v=3 HTTP/1.1" 200 9000 "-" "Mozilla/5.0""#
        let e = try #require(theEvent(decodeLine(line).0))
        #expect(e.action.operation == "GET /assets/index-abc.js")
        #expect(e.action.isReadOnly)
        #expect(e.parameter("cve") == nil)
    }

    @Test func garbageRequestLineStillCounts() throws {
        let line = #"203.0.113.7 - - [07/Dec/2026:00:00:01 +0000] "\x16\x03\x01\x02\x00" 400 157 "-" "-""#
        let e = try #require(theEvent(decodeLine(line).0))
        #expect(e.parameter("status") == "400")
        #expect(e.action.operation.hasPrefix("REQUEST "))
    }

    @Test(arguments: [
        "just some words here", "2026-12-07 00:00:01 INFO started", "203.0.113.7 - - no-time \"GET / HTTP/1.1\" 200",
        "",
    ])
    func linesNoFormatClaimsAreNotJSON(line: String) throws {
        let d = try #require(theDiagnostic(decodeLine(line, record: 9).0))
        #expect(d.code == "frame.not_json")
        #expect(d.origin == Origin(path: "access.log", record: 9))
        #expect(d.message.contains("nginx"))
    }

    @Test func badTimeIsReported() throws {
        let line = Self.combined.replacingOccurrences(of: "07/Dec/2026", with: "31/Feb/2026")
        let d = try #require(theDiagnostic(decodeLine(line).0))
        #expect(d.code == DecodeCode.badTime)
    }

    @Test func commonLogTimeOffsets() {
        func t(_ s: String) -> Int64? { Array(s.utf8).withUnsafeBytes { AccessTime.commonLog($0) } }
        #expect(t("07/Dec/2026:01:02:03 +0100") == Timestamp.parse("2026-12-07T00:02:03Z"))
        #expect(t("07/Dec/2026:01:02:03 -0230") == Timestamp.parse("2026-12-07T03:32:03Z"))
        #expect(t("07/Dec/2026:01:02:03") == Timestamp.parse("2026-12-07T01:02:03Z"))
        #expect(t("07/Foo/2026:01:02:03 +0000") == nil)
        #expect(t("7/Dec/2026:01:02:03 +0000") == nil)
    }

    @Test func longFieldsAreBounded() throws {
        let path = "/" + String(repeating: "a", count: 10_000)
        let line =
            #"203.0.113.7 - - [07/Dec/2026:00:00:01 +0000] "GET \#(path)?\#(path) HTTP/1.1" 200 1 "-" "\#(path)""#
        let e = try #require(theEvent(decodeLine(line).0))
        #expect((e.parameter("path")?.utf8.count ?? 0) <= 1024)
        #expect((e.parameter("query")?.utf8.count ?? 0) <= FrontDoor.maxQuery)
        #expect(e.userAgent.raw.utf8.count <= 512)
    }
}

/// Attacker-controlled lines: mutated real lines and random bytes never crash a text format,
/// and each line either decodes or is reported.
@Suite struct FrontDoorRobustnessTests {
    static let seeds = [
        NginxFormatTests.combined, NginxFormatTests.ingress, ALBFormatTests.full, ALBFormatTests.old,
    ]

    @Test func mutatedAndRandomLinesAreDecodedOrReported() {
        var rng = SplitMix64(seed: 0x5eed)
        let alphabet = Array(#" "[]-:/\?%.0123456789abcHTTP"#.utf8)
        var decoded = 0
        for round in 0..<4000 {
            var bytes = Array(Self.seeds[round % Self.seeds.count].utf8)
            let edits = Int(rng.next() % 8) + 1
            for _ in 0..<edits where !bytes.isEmpty {
                let at = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 4 {
                case 0: bytes.remove(at: at)
                case 1: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: at)
                case 2: bytes[at] = UInt8(truncatingIfNeeded: rng.next())
                default: bytes = Array(bytes[..<at])
                }
            }
            if round % 10 == 0 {
                bytes = (0..<Int(rng.next() % 300)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            }
            let line = String(decoding: bytes, as: UTF8.self)
            let (r, _) = decodeLine(line)
            switch r {
            case .event(let e):
                decoded += 1
                #expect(e.parameters.values.allSatisfy { $0.utf8.count <= 4096 })
                #expect(e.provider == .workflow)
            case .failed(let d):
                #expect(!d.code.isEmpty && !d.message.isEmpty)
            default:
                Issue.record("unexpected result for \(line)")
            }
        }
        #expect(decoded > 100)  // mutations that keep the shape still decode
    }
}
