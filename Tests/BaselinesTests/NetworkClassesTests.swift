import Baselines
import Foundation
import TestSupport
import Testing

@Suite("Network classes")
struct NetworkClassesTests {
    func key(_ ip: String) -> UInt64 { NetworkKey.of(ip: ip) ?? 0 }

    func name(_ c: NetworkClasses, _ ip: String) -> String? {
        c.classKey(ofNetwork: key(ip)).map { c.describe(classKey: $0) }
    }

    @Test("the most specific prefix wins where prefixes nest, in any order of the lines")
    func nesting() {
        let text = "13.64.0.0/16\tazure westus\n13.64.0.0/13\tazure global\n13.66.8.0/24\tazure eastus\n"
        let (c, issues) = NetworkClasses.parse(text)
        #expect(issues.isEmpty)
        #expect(name(c, "13.64.9.1") == "azure westus")
        #expect(name(c, "13.66.8.200") == "azure eastus")
        #expect(name(c, "13.66.9.1") == "azure global")
        #expect(name(c, "13.71.255.1") == "azure global")
        #expect(name(c, "13.72.0.1") == nil)
        #expect(c.classCount == 3)
    }

    @Test("IPv6 prefixes are looked up by /48; a prefix longer than the unit is widened to it")
    func ipv6AndWidening() {
        let (c, _) = NetworkClasses.parse("2600:1f18::/36\taws us-east-1\n198.51.100.16/28\tgcp us-central1\n")
        #expect(name(c, "2600:1f18:234::1") == "aws us-east-1")
        #expect(name(c, "2600:1f19::1") == nil)
        #expect(name(c, "198.51.100.200") == "gcp us-central1")
    }

    @Test("private IPv4 is classed by its enclosing /16 without any snapshot; the AWS-service key has no class")
    func privateEnclosure() {
        let c = NetworkClasses.none
        #expect(name(c, "10.244.7.1") == "private 10.244.0.0/16")
        #expect(name(c, "172.31.200.9") == "private 172.31.0.0/16")
        #expect(name(c, "100.64.3.3") == "private 100.64.0.0/16")
        #expect(name(c, "172.32.0.1") == nil)
        #expect(c.classKey(ofNetwork: NetworkKey.awsService) == nil)
    }

    @Test("bad lines are reported with their line number and the rest loads; headers are kept")
    func badLines() {
        let text =
            "# date: 2026-10-26\n# source: test\nnot a line\n52.0.0.0/11\taws us-east-1\n300.1.1.1/8\tx\n1.2.3.0/99\ty\n"
        let (c, issues) = NetworkClasses.parse(text)
        #expect(issues.map(\.line) == [3, 5, 6])
        #expect(c.date == "2026-10-26")
        #expect(c.sources == ["test"])
        #expect(name(c, "52.1.1.1") == "aws us-east-1")
    }

    @Test("hostile text never traps and stays bounded")
    func hostile() {
        let long = String(repeating: "x", count: 100_000)
        let text = "1.0.0.0/8\t\(long)\n\u{0}\u{FFFF}\t\t\n/\n1.2.3.4/\n::/0\tall\n"
        let (c, issues) = NetworkClasses.parse(text)
        #expect(issues.count == 3)
        #expect((name(c, "1.9.9.9") ?? "").utf8.count <= 64)
        #expect(name(c, "2001:db8::1") == "all")
    }

    @Test("the bundled snapshot loads: a known AWS, Azure and GCP address each get their provider")
    func bundled() throws {
        let path = Repository.root.appendingPathComponent("detectors/networks/cloud-ranges.tsv.gz").path
        let gz = try #require(FileManager.default.contents(atPath: path))
        let text = try #require(String(data: try gunzip(gz), encoding: .utf8))
        let (c, issues) = NetworkClasses.parse(text)
        #expect(issues.isEmpty)
        #expect(c.intervalCount > 10_000)
        #expect(!c.date.isEmpty)
        #expect(name(c, "52.94.76.1")?.hasPrefix("aws ") == true)
        #expect(name(c, "13.64.9.1")?.hasPrefix("azure ") == true)
        #expect(name(c, "34.60.1.1")?.hasPrefix("gcp ") == true)
        #expect(name(c, "192.0.2.1") == nil)
    }

    /// The real `gzip -dc`, so the test reads the file the way a user's tools do.
    func gunzip(_ data: Data) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "gzip -dc"]
        let inPipe = Pipe()
        let outPipe = Pipe()
        p.standardInput = inPipe
        p.standardOutput = outPipe
        let exit = try p.start()
        DispatchQueue.global().async {
            inPipe.fileHandleForWriting.write(data)
            try? inPipe.fileHandleForWriting.close()
        }
        let out = outPipe.fileHandleForReading.readDataToEndOfFile()
        try exit.wait()
        return out
    }
}
