import EventModel
import Testing

@testable import Formats

@Suite struct NginxJSONFormatTests {
    static let record =
        #"{"time_iso8601":"2026-12-07T00:01:03+00:00","remote_addr":"10.0.0.2","request":"POST /api/v1/validate/code HTTP/1.1","status":"200","body_bytes_sent":"112","request_length":"530","request_time":"0.052","http_user_agent":"curl/8.5.0","http_x_forwarded_for":"198.51.100.9","host":"LangFlow.example.com:443","has_auth":"false","upstream_addr":"127.0.0.1:7860","request_id":"9f1c"}"#

    @Test func recommendedFormatMapsEveryField() throws {
        let e = try #require(theEvent(decodeFrontDoorJSON(Self.record)))
        #expect(e.time == Timestamp.parse("2026-12-07T00:01:03Z"))
        #expect(e.account == "langflow.example.com")
        #expect(e.parameter("authenticated") == "false")
        #expect(e.action.operation == "validate_code")
        #expect(e.source.ips == ["198.51.100.9"])
        #expect(e.parameter("peer") == "10.0.0.2")
        #expect(e.parameter("duration_ms") == "52")
        #expect(e.parameter("bytes_in") == "530")
        #expect(e.parameter("front_door") == "nginx-json")
        #expect(e.parameter("upstream_addr") == "127.0.0.1:7860")
        #expect(e.eventId == "nginx-json:9f1c")
    }

    @Test func methodAndURIKeysAndMsecTime() throws {
        let json =
            #"{"msec":"1796601663.250","remote_addr":"203.0.113.8","request_method":"GET","request_uri":"/health?probe=1","status":200,"http_authorization":"Bearer abc"}"#
        let e = try #require(theEvent(decodeFrontDoorJSON(json)))
        #expect(e.time == 1_796_601_663_250)
        #expect(e.parameter("method") == "GET")
        #expect(e.parameter("path") == "/health")
        #expect(e.parameter("query") == "probe=1")
        #expect(e.parameter("authenticated") == "true")
        // The credential itself is never kept.
        #expect(!e.parameters.values.contains { $0.contains("abc") })
    }

    @Test(
        arguments: [
            (#""has_auth":"1""#, "true"), (#""has_auth":"0""#, "false"), (#""auth":"yes""#, "true"),
            (#""http_authorization":"""#, "false"), (#""http_authorization":"-""#, "false"), (#""x":1"#, nil),
        ] as [(String, String?)])
    func credentialMarkers(marker: String, expected: String?) throws {
        let json =
            #"{"time_local":"07/Dec/2026:00:00:01 +0000","remote_addr":"203.0.113.8","request":"GET / HTTP/1.1","status":"200",\#(marker)}"#
        let e = try #require(theEvent(decodeFrontDoorJSON(json)))
        #expect(e.parameter("authenticated") == expected)
        #expect(e.time == Timestamp.parse("2026-12-07T00:00:01Z"))
    }

    @Test func missingOrBadTime() throws {
        let none = #"{"remote_addr":"203.0.113.8","request":"GET / HTTP/1.1","status":"200"}"#
        #expect(theDiagnostic(decodeFrontDoorJSON(none))?.code == DecodeCode.missingField)
        let bad = #"{"time_iso8601":"yesterday","remote_addr":"203.0.113.8","request":"GET / HTTP/1.1","status":"200"}"#
        #expect(theDiagnostic(decodeFrontDoorJSON(bad))?.code == DecodeCode.badTime)
    }

    @Test func deploymentByHostAndMethodFilteredEndpoints() throws {
        let d = [FrontDoorDeployment(name: "n8n-prod", kind: "n8n", host: "n8n.example.com")]
        let post =
            #"{"time_iso8601":"2026-12-07T00:01:03Z","remote_addr":"203.0.113.8","request":"POST /rest/workflows HTTP/1.1","status":"200","host":"n8n.example.com"}"#
        let e = try #require(theEvent(decodeFrontDoorJSON(post, deployments: d)))
        #expect(e.account == "n8n-prod")
        #expect(e.action.operation == "edit_flow")
        let get = post.replacingOccurrences(of: "POST /rest", with: "GET /rest")
        let g = try #require(theEvent(decodeFrontDoorJSON(get, deployments: d)))
        #expect(g.action.operation == "GET /rest/workflows")
        // A Langflow path on a server mapped as n8n is not given Langflow's action.
        let lf = post.replacingOccurrences(of: "/rest/workflows", with: "/api/v1/validate/code")
        #expect(theEvent(decodeFrontDoorJSON(lf, deployments: d))?.action.operation == "POST /api/v1/validate")
    }
}

@Suite struct FrontDoorSupportTests {
    @Test(arguments: [
        ("/a/b?c=d#e", "/a/b", "c=d", ""), ("https://h.example:8443/x?y", "/x", "y", "h.example:8443"),
        ("http://h.example", "/", "", "h.example"), ("?only", "/", "only", ""), ("", "/", "", ""),
    ])
    func splitTarget(target: String, path: String, query: String, host: String) {
        let (p, q, h) = FrontDoor.splitTarget(target)
        #expect(p == path && q == query && h == host)
    }

    @Test(arguments: [
        ("10.1.2.3", true), ("172.20.0.1", true), ("172.32.0.1", false), ("192.168.1.1", true), ("127.0.0.1", true),
        ("100.64.0.1", true), ("8.8.8.8", false), ("::1", true), ("fd00::1", true), ("2001:db8::1", false),
    ])
    func privateAddresses(ip: String, isPrivate: Bool) {
        #expect(FrontDoor.isPrivate(ip) == isPrivate)
    }

    @Test func forgedLeftMostHopIsIgnored() {
        // The client sent "1.2.3.4" itself; our proxy appended the address it saw.
        #expect(FrontDoor.clientAddress(peer: "10.0.0.1:5555", forwardedFor: "1.2.3.4, 198.51.100.7") == "198.51.100.7")
        #expect(FrontDoor.clientAddress(peer: "10.0.0.1", forwardedFor: "10.0.0.7") == "10.0.0.1")
    }
}
