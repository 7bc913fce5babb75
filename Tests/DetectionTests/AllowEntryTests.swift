import Detection
import EventModel
import Testing

@Suite struct AllowEntryTests {
    let signal = Signal(
        severity: .high, title: "t", explanation: "e", key: "org-trail", resource: "arn:trail/org-trail")

    @Test func everySetFieldMustMatch() {
        let e = Events.make("StopLogging", role: "terraform-ci", ip: "10.2.3.4")
        #expect(AllowEntry(identity: "arn:aws:iam::*:role/terraform-*", reason: "r").matches(e, signal))
        #expect(!AllowEntry(identity: "arn:aws:iam::*:role/app", reason: "r").matches(e, signal))
        #expect(AllowEntry(account: "1111*", reason: "r").matches(e, signal))
        #expect(!AllowEntry(account: "999988887777", reason: "r").matches(e, signal))
        #expect(AllowEntry(userAgentFamily: "aws-cli", reason: "r").matches(e, signal))
        #expect(!AllowEntry(userAgentFamily: "terraform", reason: "r").matches(e, signal))
        #expect(AllowEntry(operation: "Stop*", reason: "r").matches(e, signal))
        #expect(!AllowEntry(operation: "Delete*", reason: "r").matches(e, signal))
        #expect(AllowEntry(resource: "*/org-trail", reason: "r").matches(e, signal))
        #expect(!AllowEntry(resource: "other", reason: "r").matches(e, signal))
        #expect(AllowEntry(key: "org-*", reason: "r").matches(e, signal))
        #expect(!AllowEntry(key: "x", reason: "r").matches(e, signal))
        #expect(
            !AllowEntry(identity: "arn:aws:iam::*:role/terraform-*", operation: "Delete*", reason: "r").matches(
                e, signal))
    }

    @Test func sourceIsACIDROrAGlob() {
        let inside = Events.make("X", ip: "10.2.3.4")
        let outside = Events.make("X", ip: "203.0.113.1")
        #expect(AllowEntry(source: "10.0.0.0/8", reason: "r").matches(inside, signal))
        #expect(!AllowEntry(source: "10.0.0.0/8", reason: "r").matches(outside, signal))
        var service = Events.make("X")
        service.source = Source(kind: .awsService, raw: "cloudformation.amazonaws.com")
        #expect(AllowEntry(source: "*.amazonaws.com", reason: "r").matches(service, signal))
        #expect(!AllowEntry(source: "10.0.0.0/8", reason: "r").matches(service, signal), "no IPs: a CIDR cannot match")
        var list = Events.make("X")
        list.source = Source(kind: .ip, raw: "10.0.0.1, 203.0.113.1", ips: ["10.0.0.1", "203.0.113.1"])
        #expect(!AllowEntry(source: "10.0.0.0/8", reason: "r").matches(list, signal), "every IP must be inside")
    }

    @Test func expiryIsByEventTime() throws {
        let expires = try #require(Timestamp.parse("2026-01-01T01:00:00Z"))
        let entry = AllowEntry(operation: "*", reason: "temporary", expires: expires)
        #expect(entry.matches(Events.make("X", minute: 0), signal))
        #expect(entry.matches(Events.make("X", minute: 60), signal))
        #expect(!entry.matches(Events.make("X", minute: 61), signal))
    }
}
