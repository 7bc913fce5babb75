import EventModel
import Testing

@testable import Formats

@Suite struct ALBFormatTests {
    static let full =
        #"https 2026-12-07T00:01:03.123456Z app/ai-lb/50dc6c495c0c9188 203.0.113.7:4711 10.0.3.15:7860 0.001 0.050 0.002 200 200 530 112 "POST https://langflow.example.com:443/api/v1/validate/code?debug=1 HTTP/1.1" "python-requests/2.31.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/langflow-tg/73e2d6bc24d8a067 "Root=1-6753a3ff-7a9b0c1d2e3f405162738495" "langflow.example.com" "arn:aws:acm:us-east-1:111122223333:certificate/12345678" 10 2026-12-07T00:01:03.070000Z "forward" "-" "-" "10.0.3.15:7860" "200" "-" "-" TID_0a1b2c3d"#
    static let old =
        #"http 2026-12-07T00:02:00.000000Z app/ai-lb/50dc6c495c0c9188 198.51.100.3:1234 10.0.3.15:7860 0.000 0.004 0.000 404 404 80 20 "GET http://10.0.0.1:80/.env HTTP/1.1" "curl/8.0" - - arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/langflow-tg/73e2d6bc24d8a067 "Root=1-6753a440-aaaaaaaaaaaaaaaaaaaaaaaa""#

    @Test func documentedFieldsMapOntoTheEvent() throws {
        let e = try #require(theEvent(decodeLine(Self.full).0))
        #expect(e.time == Timestamp.parse("2026-12-07T00:01:03.123Z"))
        #expect(e.account == "langflow.example.com")
        #expect(e.action.operation == "validate_code")
        #expect(e.parameter("path") == "/api/v1/validate/code" && e.parameter("query") == "debug=1")
        #expect(e.source.ips == ["203.0.113.7"])
        #expect(e.parameter("duration_ms") == "53")
        #expect(e.parameter("bytes_in") == "530" && e.parameter("bytes_out") == "112")
        #expect(e.parameter("backend")?.hasSuffix("targetgroup/langflow-tg/73e2d6bc24d8a067") == true)
        #expect(e.parameter("upstream_addr") == "10.0.3.15:7860")
        #expect(e.parameter("target_status") == "200")
        #expect(e.parameter("front_door") == "alb")
        #expect(e.parameter("authenticated") == nil)
        #expect(e.eventId == "alb:Root=1-6753a3ff-7a9b0c1d2e3f405162738495")
    }

    @Test func olderLinesWithoutTrailingFieldsStillDecode() throws {
        let e = try #require(theEvent(decodeLine(Self.old).0))
        #expect(e.parameter("status") == "404")
        #expect(e.parameter("host") == "10.0.0.1")
        #expect(e.action.operation == "GET /.env")
    }

    @Test func targetGroupDeploymentAndOIDCAuthentication() throws {
        let d = [FrontDoorDeployment(name: "langflow-prod", kind: "langflow", backend: "*:targetgroup/langflow-tg/*")]
        let line = Self.full.replacingOccurrences(of: #""forward""#, with: #""authenticate,forward""#)
        let e = try #require(theEvent(decodeLine(line, deployments: d).0))
        #expect(e.account == "langflow-prod")
        #expect(e.parameter("authenticated") == "true")
    }

    @Test func notAnALBLine() throws {
        let d = theDiagnostic(
            decodeLine("https not-a-time app/x 1.2.3.4:1 - 0 0 0 200 200 0 0 \"GET / HTTP/1.1\" \"x\"").0)
        #expect(d?.code == "frame.not_json")
    }
}

@Suite struct EnvoyFormatTests {
    static let istio =
        #"{"start_time":"2026-12-07T00:01:03.120Z","method":"POST","path":"/api/v1/validate/code","protocol":"HTTP/1.1","response_code":200,"response_flags":"-","bytes_received":530,"bytes_sent":112,"duration":52,"upstream_service_time":"50","x_forwarded_for":"203.0.113.7","user_agent":"python-requests/2.31.0","request_id":"7c1a4b0e-3f2d-9c8b-a1e2-5f6d7c8b9a0e","authority":"langflow.ai.svc.cluster.local:7860","upstream_host":"10.2.0.14:7860","upstream_cluster":"inbound|7860||","downstream_remote_address":"10.2.1.5:43210","route_name":"default"}"#

    @Test func istioDefaultKeysMapOntoTheEvent() throws {
        let e = try #require(theEvent(decodeFrontDoorJSON(Self.istio)))
        #expect(e.time == Timestamp.parse("2026-12-07T00:01:03.120Z"))
        #expect(e.account == "langflow.ai.svc.cluster.local")
        #expect(e.action.operation == "validate_code")
        // The peer is the ingress gateway (private): the client is its X-Forwarded-For hop.
        #expect(e.source.ips == ["203.0.113.7"])
        #expect(e.parameter("peer") == "10.2.1.5:43210")
        #expect(e.parameter("duration_ms") == "52")
        #expect(e.parameter("backend") == "inbound|7860||")
        #expect(e.parameter("front_door") == "envoy")
        #expect(e.parameter("response_flags") == nil)
        #expect(e.eventId == "envoy:7c1a4b0e-3f2d-9c8b-a1e2-5f6d7c8b9a0e")
    }

    @Test func responseFlagsAndMissingTime() throws {
        let denied = Self.istio.replacingOccurrences(of: #""response_flags":"-""#, with: #""response_flags":"UAEX""#)
        #expect(theEvent(decodeFrontDoorJSON(denied))?.parameter("response_flags") == "UAEX")
        let noTime = Self.istio.replacingOccurrences(
            of: #""start_time":"2026-12-07T00:01:03.120Z""#, with: #""start_time":null"#)
        #expect(theDiagnostic(decodeFrontDoorJSON(noTime))?.code == DecodeCode.missingField)
    }
}

@Suite struct GCPLoadBalancerFormatTests {
    static let entry =
        #"{"insertId":"1oek5rg3l3fxj7","jsonPayload":{"@type":"type.googleapis.com/google.cloud.loadbalancing.type.LoadBalancerLogEntry","statusDetails":"response_sent_by_backend","enforcedSecurityPolicy":{"outcome":"ACCEPT"}},"httpRequest":{"requestMethod":"POST","requestUrl":"https://flowise.example.com/api/v1/node-load-method/customMCP","requestSize":"811","status":200,"responseSize":"95","userAgent":"Go-http-client/1.1","remoteIp":"203.0.113.9","serverIp":"10.128.0.7","latency":"0.081342s","protocol":"HTTP/1.1"},"resource":{"type":"http_load_balancer","labels":{"backend_service_name":"flowise-backend","forwarding_rule_name":"fr","project_id":"ai-prod","target_proxy_name":"tp","url_map_name":"um","zone":"global"}},"timestamp":"2026-12-07T00:05:00.123456Z","severity":"INFO","logName":"projects/ai-prod/logs/requests","receiveTimestamp":"2026-12-07T00:05:01Z"}"#

    @Test func loadBalancerEntryIsAFrontDoorEvent() throws {
        let e = try #require(theEvent(decodeFrontDoorJSON(Self.entry)))
        #expect(e.parameter("front_door") == "gcp-lb")
        #expect(e.account == "flowise.example.com")
        #expect(e.source.ips == ["203.0.113.9"])
        #expect(e.parameter("duration_ms") == "81")
        #expect(e.parameter("backend") == "flowise-backend")
        #expect(e.parameter("status_details") == "response_sent_by_backend")
        #expect(e.parameter("security_policy_outcome") == "ACCEPT")
        #expect(e.parameter("project") == "ai-prod")
        #expect(e.eventId == "gcp-lb:1oek5rg3l3fxj7")
    }

    @Test func auditEntriesAreNotClaimed() {
        // A Cloud Audit LogEntry may carry httpRequest too; protoPayload makes it an audit record.
        let audit =
            #"{"protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog","methodName":"storage.objects.get","serviceName":"storage.googleapis.com","authenticationInfo":{"principalEmail":"a@b.c"}},"httpRequest":{"requestMethod":"GET"},"resource":{"type":"gcs_bucket"},"timestamp":"2026-12-07T00:05:00Z","insertId":"x"}"#
        #expect(sniffFormat(audit) == "gcp-audit")
        #expect(sniffFormat(Self.entry) == "gcp-lb")
        let regional = Self.entry.replacingOccurrences(of: "http_load_balancer", with: "http_external_regional_lb_rule")
        #expect(sniffFormat(regional) == "gcp-lb")
    }
}

@Suite struct AppGatewayFormatTests {
    static let v2 =
        #"{"resourceId":"/SUBSCRIPTIONS/X/RESOURCEGROUPS/AI/PROVIDERS/MICROSOFT.NETWORK/APPLICATIONGATEWAYS/AI-GW","operationName":"ApplicationGatewayAccess","time":"2026-12-07T00:06:00Z","category":"ApplicationGatewayAccessLog","properties":{"instanceId":"appgw_1","clientIP":"203.0.113.11","clientPort":50123,"httpMethod":"POST","requestUri":"/api/v1/validate/code","requestQuery":"x=1","userAgent":"python-requests/2.31.0","httpStatus":200,"httpVersion":"HTTP/1.1","receivedBytes":530,"sentBytes":112,"timeTaken":0.052,"host":"langflow.internal","originalHost":"langflow.example.com","serverRouted":"10.1.0.4:7860","serverStatus":"200","backendPoolName":"langflow-pool","transactionId":"a1b2c3d4e5f6"}}"#

    @Test func accessRecordMapsOntoTheEvent() throws {
        let e = try #require(theEvent(decodeFrontDoorJSON(Self.v2)))
        #expect(e.parameter("front_door") == "azure-appgw")
        #expect(e.account == "langflow.example.com")
        #expect(e.action.operation == "validate_code")
        #expect(e.parameter("query") == "x=1")
        #expect(e.parameter("duration_ms") == "52")
        #expect(e.parameter("backend") == "langflow-pool")
        #expect(e.parameter("upstream_addr") == "10.1.0.4:7860")
        #expect(e.source.ips == ["203.0.113.11"])
        #expect(e.eventId == "azure-appgw:a1b2c3d4e5f6")
    }

    @Test func v1MillisecondsAndSniffOrder() throws {
        let v1 = Self.v2.replacingOccurrences(of: #""timeTaken":0.052"#, with: #""timeTaken":52"#)
        #expect(theEvent(decodeFrontDoorJSON(v1))?.parameter("duration_ms") == "52")
        #expect(sniffFormat(Self.v2) == "azure-appgw")
        let activity = Self.v2.replacingOccurrences(of: "ApplicationGatewayAccessLog", with: "Administrative")
        #expect(sniffFormat(activity) == "azure-activity")
    }
}

@Suite struct EnvoyCredentialTests {
    @Test(
        arguments: [
            (#","authorization":"Bearer secret-token""#, "true"), (#","authorization":"-""#, "false"),
            (#","has_auth":"0""#, "false"), ("", nil),
        ] as [(String, String?)])
    func credentialMarkerAddedToTheFormat(marker: String, expected: String?) throws {
        let json = EnvoyFormatTests.istio.replacingOccurrences(of: #","route_name":"default""#, with: marker)
        let e = try #require(theEvent(decodeFrontDoorJSON(json)))
        #expect(e.parameter("authenticated") == expected)
        #expect(!e.parameters.values.contains { $0.contains("secret-token") })
    }
}
