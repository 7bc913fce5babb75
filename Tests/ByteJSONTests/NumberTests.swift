import Testing

@testable import ByteJSON

@Suite struct NumberTests {
    @Test(arguments: [
        ("0", Int64(0)), ("-0", 0), ("42", 42), ("-17", -17),
        ("9223372036854775807", Int64.max), ("-9223372036854775808", Int64.min),
    ])
    func integers(text: String, expected: Int64) throws {
        #expect(try withJSON(text) { try $0.root().int64 } == expected)
    }

    @Test(arguments: ["9223372036854775808", "1.5", "1e3", "-9223372036854775809"])
    func nonIntegersAreNotInt64(text: String) throws {
        #expect(try withJSON(text) { try $0.root().int64 } == nil)
        #expect(try withJSON(text) { try $0.root().double } != nil)
    }

    @Test(arguments: [
        ("1.5", 1.5), ("-0.25", -0.25), ("1e3", 1000.0), ("1E+2", 100.0), ("2.5e-3", 0.0025),
        ("123456789012345678901234567890", 1.2345678901234568e29), ("1e300", 1e300),
        ("2.2250738585072014e-308", 2.2250738585072014e-308),
        ("0.1", 0.1), ("3.141592653589793", 3.141592653589793),
    ])
    func doubles(text: String, expected: Double) throws {
        #expect(try withJSON(text) { try $0.root().double } == expected)
    }

    @Test func lenientAccessorsAcceptText() throws {
        #expect(try withJSON(#""42""#) { try $0.root().lenientInt64 } == 42)
        #expect(try withJSON(#""4x""#) { try $0.root().lenientInt64 } == nil)
        #expect(try withJSON(#""TRUE""#) { try $0.root().lenientBool } == true)
        #expect(try withJSON(#""false""#) { try $0.root().lenientBool } == false)
        #expect(try withJSON(#""yes""#) { try $0.root().lenientBool } == nil)
        #expect(try withJSON("true") { try $0.root().lenientBool } == true)
        #expect(try withJSON("null") { try $0.root().lenientBool } == nil)
    }
}
