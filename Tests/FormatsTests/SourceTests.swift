import EventModel
import Testing

@testable import Formats

@Suite struct SourceTests {
    @Test(arguments: [
        ("198.51.100.7", Source.Kind.ip, ["198.51.100.7"]),
        ("2001:db8::8a2e:370:7334", .ip, ["2001:db8::8a2e:370:7334"]),
        ("2001:0db8:85a3:0000:0000:8a2e:0370:7334", .ip, ["2001:0db8:85a3:0000:0000:8a2e:0370:7334"]),
        ("::1", .ip, ["::1"]),
        ("::ffff:192.0.2.128", .ip, ["::ffff:192.0.2.128"]),
        ("fe80::1%eth0", .ip, ["fe80::1%eth0"]),
        ("203.0.113.5, 10.0.0.1", .ip, ["203.0.113.5", "10.0.0.1"]),
        ("1.1.1.1,2.2.2.2,3.3.3.3,4.4.4.4,5.5.5.5", .ip, ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"]),
        ("ec2.amazonaws.com", .awsService, []),
        ("AWS Internal", .awsService, []),
        ("256.1.1.1", .unknown, []),
        ("1.2.3", .unknown, []),
        ("2001:db8:::1", .unknown, []),
        ("1:2:3:4:5:6:7:8:9", .unknown, []),
        ("example.com", .unknown, []),
        ("", .unknown, []),
    ])
    func sourceAddresses(raw: String, kind: Source.Kind, ips: [String]) {
        let s = SourceAddress.parse(raw)
        #expect(s.kind == kind)
        #expect(s.ips == ips)
        #expect(s.raw == raw)
    }

    @Test func sourceFromRecord() throws {
        let e = try #require(event(["sourceIPAddress": #""2600:1f18:4a3:6902:616:a0b3:e2d2:1c1b""#]))
        #expect(e.source.kind == .ip)
        #expect(e.source.ips == ["2600:1f18:4a3:6902:616:a0b3:e2d2:1c1b"])
        let list = try #require(event(["sourceIPAddress": #""203.0.113.5, 198.51.100.1""#]))
        #expect(list.source.ips == ["203.0.113.5", "198.51.100.1"])
        let svc = try #require(event(["sourceIPAddress": #""lambda.amazonaws.com""#]))
        #expect(svc.source.kind == .awsService)
    }

    @Test func longSourceIsBounded() throws {
        let e = try #require(event(["sourceIPAddress": "\"" + String(repeating: "9", count: 5000) + "\""]))
        #expect(e.source.raw.utf8.count == SourceAddress.maxRaw)
        #expect(e.source.kind == .unknown)
    }
}
