import Testing

@testable import ByteJSON

@Suite struct StructureTests {
    @Test func membersReportKindsAndRanges() throws {
        let text = #" { "o": {"x": [1, 2]}, "a": [], "s": "v", "n": -1.5e3, "t": true, "f": false, "z": null } "#
        #expect(
            try memberSummary(text) == [
                "o=object", "a=array", "s=string", "n=number", "t=true", "f=false", "z=null",
            ])
        try withJSON(text) { r in
            var it = try r.rootMembers()
            let o = try #require(try it.next()).value
            let raw = String(decoding: o.bytes, as: UTF8.self)
            #expect(raw == #"{"x": [1, 2]}"#)
            let x = try #require(try o.member("x"))
            var els = x.elements()
            var nums: [Int64] = []
            while let v = try els.next() { nums.append(v.int64 ?? 0) }
            #expect(nums == [1, 2])
        }
    }

    @Test func emptyContainers() throws {
        #expect(try memberSummary("{}") == [])
        try withJSON("[ ]") { r in
            var it = try r.root().elements()
            #expect(try it.next() == nil)
        }
    }

    @Test(arguments: [
        ("", JSONError.Code.notJSON),
        ("   ", .notJSON),
        ("hello world", .notJSON),
        ("<xml/>", .notJSON),
        ("{", .syntax),
        (#"{"a":"#, .syntax),
        (#"{"a":1"#, .syntax),
        (#"{"a":"unterminated"#, .syntax),
        (#"{"a":{"b":[1,2}}"#, .syntax),
        (#"{"a" 1}"#, .syntax),
        (#"{"a":1,}"#, .syntax),
        (#"{"a":1 "b":2}"#, .syntax),
        (#"{a:1}"#, .syntax),
        (#"{"a":tru}"#, .syntax),
        (#"{"a":01}"#, .syntax),
        (#"{"a":-}"#, .syntax),
        (#"{"a":1.}"#, .syntax),
        (#"{"a":1} x"#, .syntax),
        (#"{"a":"\"#, .syntax),
    ])
    func malformedInputFailsWithCode(text: String, code: JSONError.Code) {
        let e = jsonError {
            try withJSON(text) { r in
                var it = try r.rootMembers()
                while try it.next() != nil {}
            }
        }
        #expect(e?.code == code)
    }

    @Test func truncatedInputReportsOffset() {
        let text = #"{"eventName":"CreateUser","requestParameters":{"userName":"bo"#
        let e = jsonError {
            try withJSON(text) { r in
                var it = try r.rootMembers()
                while try it.next() != nil {}
            }
        }
        #expect(e?.code == .syntax)
        #expect(e?.offset == text.utf8.count)
    }

    @Test func depthLimitIsEnforced() {
        func nested(_ n: Int) -> String {
            String(repeating: #"{"a":"#, count: n) + "1" + String(repeating: "}", count: n)
        }
        #expect(jsonError { _ = try withJSON(nested(64)) { r in try r.root() } } == nil)
        let e = jsonError { _ = try withJSON(nested(65)) { r in try r.root() } }
        #expect(e?.code == .tooDeep)
        let deepArrays = "[" + String(repeating: "[", count: 100_000)
        let f = jsonError { _ = try withJSON(deepArrays) { r in try r.root() } }
        #expect(f?.code == .tooDeep)
        let g = jsonError {
            _ = try withBytes(Array(nested(5).utf8), maxDepth: 4) { r in try r.root() }
        }
        #expect(g?.code == .tooDeep)
    }

    @Test func depthCountsFromRootInsideNestedIteration() throws {
        // 64 levels total: root + 63 nested. Iterating the root then descending must agree with root().
        let inner = String(repeating: "[", count: 63) + String(repeating: "]", count: 63)
        try withJSON(#"{"a":"# + inner + "}") { r in
            var it = try r.rootMembers()
            let a = try #require(try it.next()).value
            #expect(a.depth == 1)
        }
        let tooDeep = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        let e = jsonError {
            try withJSON(#"{"a":"# + tooDeep + "}") { r in
                var it = try r.rootMembers()
                while try it.next() != nil {}
            }
        }
        #expect(e?.code == .tooDeep)
    }

    @Test func skipHandlesTrickyStrings() throws {
        let text = #"{"a":["]","}","\\",{"k\"}":"[{"}],"b":"\u005d","c":[[],{},[{}]],"d":"tail"}"#
        try withJSON(text) { r in
            var it = try r.rootMembers()
            var keys: [String] = []
            var last = ""
            while let m = try it.next() {
                keys.append(try m.key.decoded())
                if m.value.kind == .string { last = try m.value.decodeString()?.string ?? "" }
            }
            #expect(keys == ["a", "b", "c", "d"])
            #expect(last == "tail")
        }
    }

    @Test func stringsAcrossWordBoundaries() throws {
        // Quotes and backslashes at every position of an 8-byte word.
        for pad in 0..<17 {
            let p = String(repeating: "x", count: pad)
            let text = #"{"k":""# + p + #"\"q","n":""# + p + #"","m":1}"#
            #expect(try memberSummary(text) == ["k=string", "n=string", "m=number"])
            let d = try withJSON(text) { try $0.root().member("k")?.decodeString()?.string }
            #expect(d == p + "\"q")
        }
    }

    @Test(arguments: ["nul", "nullx", "trueish", "fals", "hello"])
    func wordsThatAreNotLiteralsAreNotJSON(text: String) {
        #expect(jsonError { _ = try withJSON(text) { try $0.rootKind() } }?.code == .notJSON)
    }

    @Test func bomAndWhitespaceAreAccepted() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(" \n\t{\"a\":1}\r\n".utf8)
        let k = try withBytes(bytes) { try $0.rootKind() }
        #expect(k == .object)
    }

    @Test func keyTableFindsKeys() throws {
        let table = JSONKeyTable(["eventTime", "eventName", "eventSource", "awsRegion", ""])
        #expect(table.count == 5)
        try withJSON(#"{"eventName":1,"awsRegion":2,"nope":3,"eventNam":4,"":5,"event\u0054ime":6}"#) { r in
            var it = try r.rootMembers()
            var found: [Int?] = []
            while let m = try it.next() { found.append(table.index(of: m.key)) }
            #expect(found == [1, 3, nil, nil, 4, 0])
        }
    }
}
