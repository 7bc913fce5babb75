import Detection
import Testing

@Suite struct CIDRTests {
    @Test(
        arguments: [
            ("10.0.0.0/8", "10.255.1.2", true),
            ("10.0.0.0/8", "11.0.0.1", false),
            ("192.168.1.0/24", "192.168.1.255", true),
            ("192.168.1.0/24", "192.168.2.0", false),
            ("192.168.1.7/32", "192.168.1.7", true),
            ("192.168.1.7/32", "192.168.1.8", false),
            ("192.168.1.7", "192.168.1.7", true),
            ("0.0.0.0/0", "203.0.113.9", true),
            ("172.16.0.0/12", "172.31.255.255", true),
            ("172.16.0.0/12", "172.32.0.0", false),
            ("10.0.0.0/8", "2001:db8::1", false),
            ("10.0.0.0/8", "not an ip", false),
            ("2001:db8::/32", "2001:db8:1234::1", true),
            ("2001:db8::/32", "2001:db9::1", false),
            ("::1/128", "::1", true),
            ("::/0", "fe80::1", true),
            ("2001:db8::/32", "10.0.0.1", false),
            ("2001:0db8:0000:0000:0000:0000:0000:0000/48", "2001:db8:0:ffff::", true),
            ("fe80::/10", "febf::1", true),
            ("fe80::/10", "fec0::1", false),
        ] as [(String, String, Bool)])
    func contains(network: String, ip: String, expected: Bool) throws {
        let net = try #require(CIDR(network))
        #expect(net.contains(ip) == expected)
    }

    @Test(arguments: [
        "", "10.0.0.0/33", "10.0.0/8", "256.0.0.0/8", "10.0.0.0/x", "1.2.3.4.5", "2001:db8::/129",
        "2001:db8:::1", "1:2:3:4:5:6:7:8:9", "12345::", "g::1", "*.amazonaws.com",
    ])
    func rejectsInvalid(text: String) {
        #expect(CIDR(text) == nil)
    }

    @Test func parsesFamilyAndPrefix() throws {
        let v4 = try #require(CIDR("10.1.0.0/16"))
        #expect(v4.isV4 && v4.prefix == 16)
        #expect(Array(v4.address.suffix(4)) == [10, 1, 0, 0])
        let v6 = try #require(CIDR("2001:db8::"))
        #expect(!v6.isV4 && v6.prefix == 128)
        #expect(Array(v6.address.prefix(4)) == [0x20, 0x01, 0x0d, 0xb8])
    }
}
