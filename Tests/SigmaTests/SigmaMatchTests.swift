import EventModel
import Foundation
import Testing

@testable import Sigma

/// Values, modifiers and field paths, on hand-written records.
@Suite("Sigma matching")
struct SigmaMatchTests {
    /// A one-selection AWS rule over `detection` (YAML lines under `selection:`).
    static func rule(_ selection: String, condition: String = "selection", extra: String = "") -> SigmaRule? {
        let yaml = """
            title: test
            logsource: {product: aws, service: cloudtrail}
            detection:
                selection:
            \(selection.split(separator: "\n").map { "        " + $0 }.joined(separator: "\n"))
            \(extra.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
                condition: \(condition)
            """
        return SigmaParser.parse(yaml: yaml, file: "t.yml").rule
    }

    static func matches(_ selection: String, _ record: String, condition: String = "selection", extra: String = "")
        -> Bool
    {
        guard let r = rule(selection, condition: condition, extra: extra) else {
            Issue.record("rule did not load: \(selection)")
            return false
        }
        var b = Array(record.utf8)
        return b.withUnsafeMutableBytes { r.matches(raw: UnsafeRawBufferPointer($0)) }
    }

    @Test func plainValuesAreCaseInsensitiveWholeMatches() {
        #expect(Self.matches("eventName: ConsoleLogin", #"{"eventName":"consolelogin"}"#))
        #expect(!Self.matches("eventName: ConsoleLogin", #"{"eventName":"ConsoleLoginX"}"#))
        #expect(!Self.matches("eventName|cased: ConsoleLogin", #"{"eventName":"consolelogin"}"#))
        #expect(Self.matches("eventName:\n  - A\n  - B", #"{"eventName":"b"}"#))
    }

    @Test func wildcardsAndEscapes() {
        #expect(Self.matches("userAgent: 'aws-cli/*'", #"{"userAgent":"AWS-CLI/2.15"}"#))
        #expect(Self.matches("userAgent: '*Boto3*Linux'", #"{"userAgent":"x Boto3/1 on Linux"}"#))
        #expect(Self.matches("userAgent: 'a?c'", #"{"userAgent":"abc"}"#))
        #expect(!Self.matches("userAgent: 'a?c'", #"{"userAgent":"ac"}"#))
        #expect(Self.matches(#"userAgent: 'a\*c'"#, #"{"userAgent":"a*c"}"#))
        #expect(!Self.matches(#"userAgent: 'a\*c'"#, #"{"userAgent":"abc"}"#))
        #expect(Self.matches(#"userAgent: 'a\?c'"#, #"{"userAgent":"a?c"}"#))
        #expect(Self.matches("userAgent: '*'", #"{"userAgent":"anything"}"#))
        #expect(!Self.matches("userAgent: '*'", #"{"userAgent":null}"#))
        // Escaped JSON text is compared decoded.
        #expect(Self.matches("userAgent: 'a\"b/c'", #"{"userAgent":"a\"b\/c"}"#))
    }

    @Test func stringModifiers() {
        #expect(Self.matches("userAgent|contains: Browser", #"{"userAgent":"S3 browser 1.0"}"#))
        #expect(Self.matches("userAgent|startswith: S3", #"{"userAgent":"s3 Browser"}"#))
        #expect(Self.matches("userAgent|endswith: '1.0'", #"{"userAgent":"S3 Browser 1.0"}"#))
        #expect(Self.matches("userAgent|contains|all:\n  - S3\n  - '1.0'", #"{"userAgent":"S3 Browser 1.0"}"#))
        #expect(!Self.matches("userAgent|contains|all:\n  - S3\n  - '2.0'", #"{"userAgent":"S3 Browser 1.0"}"#))
        #expect(Self.matches("userAgent|windash|contains: ' -enc'", #"{"userAgent":"ps /enc x"}"#))
        // base64("secret") = c2VjcmV0
        #expect(Self.matches("userAgent|base64|contains: secret", #"{"userAgent":"xx c2VjcmV0 yy"}"#))
        // base64offset finds the text at any byte offset of an encoded stream.
        let encoded = Data("xxsecretyy".utf8).base64EncodedString()
        #expect(Self.matches("userAgent|base64offset|contains: secret", "{\"userAgent\":\"\(encoded)\"}"))
    }

    @Test func regexCidrNumbersExistsNullFieldref() {
        #expect(
            Self.matches(
                "userIdentity.arn|re: '.+:assumed-role/aws:.+'",
                #"{"userIdentity":{"arn":"arn:aws:sts::1:assumed-role/aws:ec2-instance/i-1"}}"#))
        #expect(!Self.matches("userIdentity.arn|re: '^ARN'", #"{"userIdentity":{"arn":"arn:x"}}"#))
        #expect(Self.matches("userIdentity.arn|re|i: '^ARN'", #"{"userIdentity":{"arn":"arn:x"}}"#))
        #expect(Self.matches("sourceIPAddress|cidr: 10.0.0.0/8", #"{"sourceIPAddress":"10.1.2.3"}"#))
        #expect(!Self.matches("sourceIPAddress|cidr: 10.0.0.0/8", #"{"sourceIPAddress":"11.1.2.3"}"#))
        #expect(Self.matches("sourceIPAddress|cidr: '2001:db8::/32'", #"{"sourceIPAddress":"2001:db8::7"}"#))
        #expect(Self.matches("responseElements.count|gt: 10", #"{"responseElements":{"count":11}}"#))
        #expect(!Self.matches("responseElements.count|gt: 10", #"{"responseElements":{"count":10}}"#))
        #expect(Self.matches("responseElements.count|lte: 10", #"{"responseElements":{"count":"10"}}"#))
        #expect(Self.matches("errorCode|exists: true", #"{"errorCode":"AccessDenied"}"#))
        #expect(Self.matches("errorCode|exists: false", #"{"eventName":"x"}"#))
        #expect(Self.matches("errorCode: null", #"{"eventName":"x"}"#))
        #expect(Self.matches("errorCode: null", #"{"errorCode":null}"#))
        #expect(!Self.matches("errorCode: null", #"{"errorCode":"x"}"#))
        #expect(
            Self.matches(
                "userIdentity.arn|fieldref: requestParameters.userName",
                #"{"userIdentity":{"arn":"Bob"},"requestParameters":{"userName":"bob"}}"#))
        #expect(
            !Self.matches(
                "userIdentity.arn|fieldref: requestParameters.userName",
                #"{"userIdentity":{"arn":"a"},"requestParameters":{"userName":"b"}}"#))
    }

    @Test func regexPrefilterLiteralIsOnlyWhatEveryMatchContains() {
        #expect(SigmaRegex.requiredLiteral(".+:assumed-role/aws:.+") == ":assumed-role/aws:")
        #expect(SigmaRegex.requiredLiteral(#"^arn:aws:iam::\d+:user/adm"#) == "arn:aws:iam::")
        #expect(SigmaRegex.requiredLiteral("abcd?ef") == "abc")
        #expect(SigmaRegex.requiredLiteral("(foo|barbaz)") == "")
        #expect(SigmaRegex.requiredLiteral("(?i)secret") == "")
        #expect(SigmaRegex.requiredLiteral(#"a\.b\.c[xyz]{2}"#) == "a.b.c")
        // The prefilter never hides a match: case-insensitive patterns fold the literal.
        #expect(Self.matches("userAgent|re|i: 'BOTO3/[0-9]+'", #"{"userAgent":"boto3/1"}"#))
        #expect(!Self.matches("userAgent|re: 'BOTO3/[0-9]+'", #"{"userAgent":"boto3/1"}"#))
    }

    @Test func numbersAndBooleansCompareAsTheirJSONText() {
        #expect(Self.matches("readOnly: 'false'", #"{"readOnly":false}"#))
        #expect(Self.matches("responseElements.code: 403", #"{"responseElements":{"code":403}}"#))
        #expect(!Self.matches("responseElements.code: 403", #"{"responseElements":{"code":4030}}"#))
    }

    @Test func pathsDescendObjectsArraysAndDottedKeys() {
        #expect(
            Self.matches(
                "resources.ARN|endswith: ':key/k1'", #"{"resources":[{"ARN":"a"},{"ARN":"arn:aws:kms:r:1:key/k1"}]}"#))
        #expect(
            Self.matches(
                "requestParameters.layers|contains: evil", #"{"requestParameters":{"layers":["ok","arn:evil:1"]}}"#))
        #expect(Self.matches("additionalEventData.a.b: 'yes'", #"{"additionalEventData":{"a.b":"yes"}}"#))
        // A whole object compares as its JSON text.
        #expect(
            Self.matches(
                "requestParameters|contains: Suspended",
                #"{"requestParameters":{"VersioningConfiguration":{"Status":"Suspended"}}}"#))
    }

    @Test func keywordsSearchEveryValue() {
        let kw = "keywords:\n    - 'break-glass'"
        #expect(
            Self.matches(
                "eventName: X", #"{"eventName":"x","requestParameters":{"a":["image-policy.k8s.io/break-glass"]}}"#,
                condition: "selection and keywords", extra: kw))
        #expect(
            !Self.matches(
                "eventName: X", #"{"eventName":"x","requestParameters":{"a":"nothing"}}"#,
                condition: "selection and keywords", extra: kw))
    }

    @Test func conditionsCombineSelections() {
        let extra = "filter_main_a:\n    userAgent: a\nfilter_main_b:\n    userAgent: b"
        #expect(
            Self.matches(
                "eventName: X", #"{"eventName":"x","userAgent":"c"}"#,
                condition: "selection and not 1 of filter_main_*", extra: extra))
        #expect(
            !Self.matches(
                "eventName: X", #"{"eventName":"x","userAgent":"b"}"#,
                condition: "selection and not 1 of filter_main_*", extra: extra))
        // A list of maps is an OR of ANDs.
        #expect(Self.matches("- eventName: A\n  userAgent: u\n- eventName: B", #"{"eventName":"b"}"#))
        #expect(!Self.matches("- eventName: A\n  userAgent: u\n- eventName: B", #"{"eventName":"a"}"#))
    }

    @Test func hostileRecordsAreBoundedAndNeverCrash() {
        let huge = String(repeating: "a", count: 1 << 20)
        #expect(!Self.matches("userAgent|contains: zzz", "{\"userAgent\":\"\(huge)\"}"))
        #expect(Self.matches("userAgent|startswith: aaa", "{\"userAgent\":\"\(huge)\"}"))
        // A pathological glob against a long value stays bounded.
        #expect(
            !Self.matches(
                "userAgent: '*a*a*a*a*a*a*a*a*b'", "{\"userAgent\":\"\(String(repeating: "a", count: 100_000))\"}"))
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(!Self.matches("userAgent: x", "{\"userAgent\":\(deep)}"))
        #expect(!Self.matches("userAgent: x", "not json"))
        let many = "[" + Array(repeating: "\"b\"", count: 10_000).joined(separator: ",") + ",\"x\"]"
        // Only the first 256 values of one field are looked at.
        #expect(!Self.matches("userAgent: x", "{\"userAgent\":\(many)}"))
    }

    /// `contains` searches a word at a time from the literal's rarest byte: compared with a
    /// byte-by-byte search on random texts over a small alphabet (so matches, near misses and
    /// case variants are common), at every length around the word size, cased and not.
    @Test func containsAgreesWithANaiveSearch() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("aAwW:/-1zZ".utf8)
        func text(_ n: Int) -> [UInt8] { (0..<n).map { _ in alphabet.randomElement(using: &rng)! } }
        func fold(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }
        func naive(_ hay: [UInt8], _ lit: [UInt8], cased: Bool) -> Bool {
            guard hay.count >= lit.count else { return false }
            return (0...(hay.count - lit.count)).contains { i in
                lit.indices.allSatisfy { k in cased ? hay[i + k] == lit[k] : fold(hay[i + k]) == fold(lit[k]) }
            }
        }
        for _ in 0..<3000 {
            let lit = text(Int.random(in: 1...6, using: &rng))
            let cased = Bool.random(using: &rng)
            let pattern = SigmaPattern("*" + String(decoding: lit, as: UTF8.self) + "*", cased: cased)
            #expect(pattern.shape == .contains)
            let hay = text(Int.random(in: 0...40, using: &rng))
            let got = hay.withUnsafeBytes { pattern.matches($0) }
            #expect(
                got == naive(hay, lit, cased: cased),
                "\(String(decoding: lit, as: UTF8.self)) in \(String(decoding: hay, as: UTF8.self)) cased \(cased)")
        }
    }

    /// The anchor is never punctuation or a digit that ARNs and user agents are full of, when the
    /// literal has a letter to anchor on.
    @Test func containsAnchorsOnALetterOverPunctuation() {
        for literal in [":assumed-role/aws:", "123/abc", "aws-cli/2.", "/Jersey/"] {
            let bytes = Array(literal.utf8)
            let anchor = bytes[SigmaPattern.rarest(bytes)]
            #expect((anchor | 0x20) >= 0x61 && (anchor | 0x20) <= 0x7A, "\(literal)")
        }
        #expect(SigmaPattern.rarest(Array("::".utf8)) == 0)
    }
}
