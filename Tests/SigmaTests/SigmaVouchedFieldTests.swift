import EventModel
import Formats
import Testing

@testable import Sigma

/// Rules on `userIdentity.type` and `userIdentity.sessionContext.sessionIssuer.type` are decided
/// on the decoded identity when the CloudTrail decoder vouches for those fields, without parsing
/// the record again. That must never change a verdict: on records shaped to make the decoder and
/// a raw reader disagree (repeated, escaped or dotted keys, odd value types, inferred types), the
/// event's verdict equals the raw record's, and the decoder stops vouching where it cannot.
@Suite struct SigmaVouchedFieldTests {
    static func record(_ identity: String, top: String = "") -> String {
        #"{"eventVersion":"1.09","eventTime":"2026-11-02T10:00:00Z","eventSource":"s3.amazonaws.com","#
            + #""eventName":"GetObject","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","#
            + #""userAgent":"aws-cli/2","eventID":"e1","recipientAccountId":"111122223333"\#(top),"#
            + #""userIdentity":\#(identity)}"#
    }

    static let role =
        #""arn":"arn:aws:sts::111122223333:assumed-role/app/i-0abc","accountId":"111122223333","#
        + #""principalId":"AROA:i-0abc""#
    static let issuer = #""sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/app"}"#

    /// (name, record, expected loggedType, expected issuerType).
    static let records: [(String, String, Bool, SessionIssuerType)] = [
        ("plain", record(#"{"type":"AssumedRole",\#(role),"sessionContext":{\#(issuer)}}"#), true, .role),
        (
            "iam user",
            record(#"{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/bob","userName":"bob"}"#), true,
            .absent
        ),
        (
            "repeated type",
            record(#"{"type":"Root","type":"AssumedRole",\#(role),"sessionContext":{\#(issuer)}}"#), false, .unknown
        ),
        (
            "dotted key in identity",
            record(#"{"type":"AssumedRole",\#(role),"sessionContext.sessionIssuer.type":"Root"}"#), false, .unknown
        ),
        (
            "dotted key at top",
            record(
                #"{"type":"AssumedRole",\#(role),"sessionContext":{\#(issuer)}}"#, top: #","userIdentity.type":"Root""#),
            false, .unknown
        ),
        (
            "second userIdentity",
            record(
                #"{"type":"AssumedRole",\#(role),"sessionContext":{\#(issuer)}}"#,
                top: #","userIdentity":{"type":"Root","sessionContext":{"sessionIssuer":{"type":"Root"}}}"#), false,
            .unknown
        ),
        ("escaped key", record(#"{"\u0074ype":"Root","type":"AssumedRole",\#(role)}"#), false, .unknown),
        ("inferred type", record(#"{\#(role),"sessionContext":{\#(issuer)}}"#), false, .unknown),
        (
            "issuer type not a string",
            record(#"{"type":"AssumedRole",\#(role),"sessionContext":{"sessionIssuer":{"type":5}}}"#), true, .unknown
        ),
        (
            "session context array",
            record(#"{"type":"AssumedRole",\#(role),"sessionContext":[{\#(issuer)}]}"#), false, .unknown
        ),
        (
            "repeated issuer",
            record(#"{"type":"AssumedRole",\#(role),"sessionContext":{\#(issuer),"sessionIssuer":{"type":"Root"}}}"#),
            false, .unknown
        ),
        (
            "escaped value",
            record(#"{"type":"Assumed\u0052ole",\#(role),"sessionContext":{"sessionIssuer":{"type":"R\u006fle"}}}"#),
            true, .role
        ),
        (
            "unusual issuer type",
            record(#"{"type":"AssumedRole",\#(role),"sessionContext":{"sessionIssuer":{"type":"Group"}}}"#), true,
            .unknown
        ),
    ]

    static let rules: [(String, String)] = [
        ("userIdentity.type: AssumedRole", "selection"), ("userIdentity.type: Root", "selection"),
        ("userIdentity.type|contains: role", "selection"), ("userIdentity.type|re: '^Assumed'", "selection"),
        ("userIdentity.sessionContext.sessionIssuer.type: Role", "selection"),
        ("userIdentity.sessionContext.sessionIssuer.type: Root", "selection"),
        ("userIdentity.sessionContext.sessionIssuer.type|startswith: R", "selection"),
        ("userIdentity.sessionContext.sessionIssuer.type: Role", "not selection"),
        ("userIdentity.type: AssumedRole\nuserIdentity.sessionContext.sessionIssuer.type: Role", "selection"),
        ("userIdentity.sessionContext.sessionIssuer.type|contains|all:\n  - R\n  - e", "selection"),
    ]

    static func event(_ json: String) -> Event? {
        var interest = RawInterest()
        interest.addAll(.aws)
        return RawRecordTests.decode(json, interest).first
    }

    @Test func theDecoderVouchesOnlyForPlainShapes() throws {
        for (name, json, logged, issuer) in Self.records {
            let e = try #require(Self.event(json), "\(name) did not decode")
            #expect(e.identity.loggedType == logged, "\(name): loggedType")
            #expect(e.identity.issuerType == issuer, "\(name): issuerType")
        }
    }

    @Test func verdictsOnTheEventEqualVerdictsOnTheRecord() throws {
        var decidedWithoutRecord = 0
        var matched = 0
        for (selection, condition) in Self.rules {
            let rule = try #require(SigmaMatchTests.rule(selection, condition: condition), "\(selection)")
            for (name, json, _, _) in Self.records {
                let e = try #require(Self.event(json))
                let raw = try #require(e.raw)
                let onRecord = rule.matches(raw: raw.buffer)
                #expect(rule.matches(e) == onRecord, "\(selection) [\(condition)] on \(name)")
                if raw.memo == nil { decidedWithoutRecord += 1 }
                if onRecord { matched += 1 }
            }
        }
        #expect(decidedWithoutRecord > 20, "vouched fields spared the second parse")
        #expect(matched > 10)
    }

    /// The same rules run by the decoder on the record's bytes (`SigmaPrematcher`, how `scan`
    /// runs them) give the record's verdicts too, and the event then keeps no copy of the record.
    @Test func decoderVerdictsEqualVerdictsOnTheRecord() throws {
        let rules = try Self.rules.map { (s, c) in try #require(SigmaMatchTests.rule(s, condition: c), "\(s)") }
        let set = SigmaPrematcher(rules)
        var interest = RawInterest()
        interest.addAll(.aws)
        interest.prematcher = set
        var matched = 0
        for (name, json, _, _) in Self.records {
            let e = try #require(RawRecordTests.decode(json, interest).first)
            let hits = try #require(e.ruleHits, "\(name): no verdicts")
            #expect(hits.set == set.serial && e.raw == nil)
            let bytes = Array(json.utf8)
            let expected = rules.indices.filter { i in bytes.withUnsafeBytes { rules[i].matches(raw: $0) } }
            #expect(hits.rules.map(Int.init) == expected, "\(name)")
            matched += expected.count
        }
        #expect(matched > 10)
    }
}
