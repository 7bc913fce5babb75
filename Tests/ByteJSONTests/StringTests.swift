import Testing

@testable import ByteJSON

@Suite struct StringTests {
    @Test(arguments: [
        (#""plain""#, "plain"),
        (#""a\"b""#, "a\"b"),
        (#""back\\slash""#, "back\\slash"),
        (#""sl\/ash""#, "sl/ash"),
        (#""\b\f\n\r\t""#, "\u{8}\u{C}\n\r\t"),
        (#""\u0041\u00e9\u20AC""#, "Aé€"),
        (#""\ud83d\ude00 smile""#, "😀 smile"),
        (#""caf\u00e9 ☕""#, "café ☕"),
        (#""""#, ""),
    ])
    func escapesDecode(json: String, expected: String) throws {
        let d = try #require(try decodeRootString(json))
        #expect(d.string == expected)
        #expect(!d.invalidUTF8)
        #expect(!d.truncated)
    }

    @Test(arguments: [#""\ud83d""#, #""x\ude00y""#, #""\ud83d\u0041""#, #""\ud83dabc""#])
    func loneSurrogatesBecomeReplacement(json: String) throws {
        let d = try #require(try decodeRootString(json))
        #expect(d.string.contains("\u{FFFD}"))
        #expect(d.invalidUTF8)
    }

    @Test func loneHighSurrogateKeepsFollowingEscape() throws {
        let d = try #require(try decodeRootString(#""\ud83d\u0041""#))
        #expect(d.string == "\u{FFFD}A")
    }

    @Test(arguments: [#""\x""#, #""\u12""#, #""\u12G4""#])
    func invalidEscapesThrowSyntax(json: String) {
        let e = jsonError { _ = try withJSON(json) { r in try r.root().decodeString() } }
        #expect(e?.code == .syntax)
    }

    @Test func invalidUTF8IsReplacedAndFlagged() throws {
        let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0x62, 0xC3, 0x28, 0x22]
        let d = try withBytes(bytes) { try #require(try $0.root().decodeString()) }
        #expect(d.invalidUTF8)
        #expect(d.string.hasPrefix("a\u{FFFD}b"))
        #expect(!d.string.utf8.contains(0xFF))
    }

    @Test func invalidUTF8NextToEscapeIsFlagged() throws {
        let bytes: [UInt8] = Array(#""\n"#.utf8) + [0xED, 0xA0, 0x80] + [0x22]  // encoded surrogate
        let d = try withBytes(bytes) { try #require(try $0.root().decodeString()) }
        #expect(d.invalidUTF8)
        #expect(d.string.hasPrefix("\n"))
    }

    @Test func validMultibyteIsNotFlagged() throws {
        let d = try #require(try decodeRootString("\"日本語テキスト and more text to pass eight bytes\""))
        #expect(d.string == "日本語テキスト and more text to pass eight bytes")
        #expect(!d.invalidUTF8)
    }

    @Test func truncationKeepsCharacterBoundary() throws {
        let d = try #require(try decodeRootString("\"ab€cd\"", maxBytes: 3))  // € is 3 bytes
        #expect(d.string == "ab")
        #expect(d.truncated)
        let e = try #require(try decodeRootString(#""ab\u20accd""#, maxBytes: 5))
        #expect(e.string == "ab€")
        #expect(e.truncated)
        let f = try #require(try decodeRootString(#""a\nbcdef""#, maxBytes: 3))
        #expect(f.string == "a\nb")
        #expect(f.truncated)
    }

    @Test func hugeStringIsBounded() throws {
        let big = "\"" + String(repeating: "x", count: 5_000_000) + "\""
        let d = try #require(try decodeRootString(big, maxBytes: 1024))
        #expect(d.string.utf8.count == 1024)
        #expect(d.truncated)
    }

    @Test func escapedQuotesDoNotEndStringWhileSkipping() throws {
        let s = try memberSummary(#"{"a":"x\"}{[\\","b":{"c":"\\\"]"},"d":1}"#)
        #expect(s == ["a=string", "b=object", "d=number"])
    }

    @Test func keysCompareWithoutDecodingUnlessEscaped() throws {
        try withJSON(#"{"eventName":1,"event\u004eame":2,"eventNam":3}"#) { r in
            var it = try r.rootMembers()
            var hits: [Int64] = []
            while let m = try it.next() {
                if m.key == "eventName" { hits.append(m.value.int64 ?? -1) }
            }
            #expect(hits == [1, 2])
        }
    }
}
