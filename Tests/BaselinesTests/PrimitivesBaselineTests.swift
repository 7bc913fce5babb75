import Baselines
import EventModel
import Testing

@Suite("Baseline primitives")
struct PrimitivesBaselineTests {
    @Test("networks: IPv4 /24, IPv6 /48, mapped IPv4, zones, rejects")
    func networks() {
        func net(_ s: String) -> String? { NetworkKey.of(ip: s).map(NetworkKey.describe) }
        #expect(net("203.0.113.7") == "203.0.113.0/24")
        #expect(net("2001:db8:1:2::1") == "2001:db8:1::/48")
        #expect(net("2001:0db8:0001:ffff:0:0:0:1") == "2001:db8:1::/48")
        #expect(net("::ffff:198.51.100.9") == "198.51.100.0/24")
        #expect(net("fe80::1%eth0") == "fe80:0:0::/48")
        #expect(net("::1") == "0:0:0::/48")
        #expect(net("2001:db8::") == "2001:db8:0::/48")
        for bad in [
            "", "1.2.3", "300.1.1.1", "1.2.3.4.5", "abc", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::1", "1.2.3.4 ",
        ] {
            #expect(net(bad) == nil, "\(bad)")
        }
        #expect(NetworkKey.describe(NetworkKey.awsService) == "via AWS service")
    }

    @Test("hashes are stable across runs (they are persisted)")
    func hashes() {
        #expect(Hash64.of("") == Hash64.of(""))
        #expect(Hash64.api(service: "s3", operation: "GetObject") == Hash64.api("s3:GetObject"))
        #expect(Hash64.of("a") != Hash64.of("b"))
        #expect(Hash64.of("arn:aws:iam::111122223333:role/x") != Hash64.of("arn:aws:iam::111122223333:role/y"))
        // Pinned: changing the hash function would silently invalidate saved state files.
        #expect(Hash64.of("secretsmanager") == 0xb3b8_46d3_b346_75bf)
    }

    @Test("window maxima age out over two generations")
    func windowAging() {
        var w = WindowMax()
        w.add(50, bucket: 10, generation: 1)
        w.add(1, bucket: 12, generation: 1)
        #expect(w.priorMax(atBucket: 12, generation: 1) == 50)
        w.add(1, bucket: 100, generation: 2)
        #expect(w.priorMax(atBucket: 100, generation: 2) == 50)
        w.add(1, bucket: 200, generation: 3)
        #expect(w.priorMax(atBucket: 200, generation: 3) == 1)
        // Only the last counted bucket remains once its generation's peaks are gone.
        #expect(w.priorMax(atBucket: 300, generation: 5) == 1)
    }

    @Test("feature maps refuse past capacity and index large sets")
    func featureMap() {
        var m = FeatureMap()
        for i in 0..<40 { m.touch(UInt64(i + 1), at: Int64(i), capacity: 30) }
        #expect(m.count == 30)
        #expect(m.overflow == 10)
        #expect(m.find(30) != nil && m.find(31) == nil)
        m.forget(before: 20)
        #expect(m.count == 10)
        #expect(m.find(25) != nil && m.find(5) == nil)
        #expect(m.touch(25, at: 100, capacity: 30) == .known(previousLastSeen: 24))
    }

    @Test("numbers and durations in words")
    func words() {
        #expect(BaselineText.count(14203) == "14,203")
        #expect(BaselineText.count(999) == "999")
        #expect(BaselineText.count(1_000_000) == "1,000,000")
        #expect(BaselineText.duration(240_000) == "4 min")
        #expect(BaselineText.days(9.4) == "9 days")
        #expect(BaselineText.shortIdentity("arn:aws:iam::1:role/web-app") == "role/web-app")
    }
}
