import Testing

@testable import Sigma

@Suite("Sigma rule_file in findings")
struct SigmaDisplayFileTests {
    @Test("named relative to the rules directory, so an installed tree gives the same finding")
    func relative() {
        #expect(
            SigmaLoader.display("/opt/th/detectors/rules/aws/x.yml", under: "/opt/th/detectors/rules")
                == "rules/aws/x.yml")
        #expect(SigmaLoader.display("/a/rules/x.yml", under: "/a/rules/") == "rules/x.yml")
        #expect(SigmaLoader.display("/elsewhere/x.yml", under: "/a/rules") == "/elsewhere/x.yml")
    }
}
