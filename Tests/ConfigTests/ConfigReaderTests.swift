import Config
import EventModel
import Testing

@Suite struct ConfigReaderTests {
    func reader(_ yaml: String) throws -> (ConfigReader, IssueSink) {
        let sink = IssueSink()
        let r = try #require(ConfigReader.parse(yaml: yaml, file: "c.yaml", sink: sink))
        return (r, sink)
    }

    @Test func unknownKeyIsReportedWithLineAndColumn() throws {
        let (r, sink) = try reader("threshold: 3\nsettings:\n  ratio: 0.2\n  treshold: 4\n")
        _ = r.int("threshold", default: 0)
        let s = try #require(r.child("settings"))
        _ = s.double("ratio", default: 0)
        s.finish()
        r.finish()
        #expect(sink.issues.count == 1)
        let issue = try #require(sink.issues.first)
        #expect(issue.code == "config.unknown_key")
        #expect(issue.line == 4)
        #expect(issue.column == 3)
        #expect(issue.message.contains("'settings.treshold'"))
        #expect(issue.message.contains("known here: ratio"))
        #expect(issue.description == "c.yaml:4:3: error: \(issue.message) [config.unknown_key]")
    }

    @Test func wrongTypesFallBackToDefaultsAndAreReported() throws {
        let (r, sink) = try reader("n: abc\nb: maybe\ns: {a: 1}\nd: high\nl: [a, {b: 1}, c]\nm: [1]\n")
        #expect(r.int("n", default: 7) == 7)
        #expect(r.bool("b", default: true))
        #expect(r.string("s", default: "x") == "x")
        #expect(r.double("d", default: 1.5) == 1.5)
        #expect(r.strings("l", default: []) == ["a", "c"])
        #expect(r.numberMap("m", default: ["k": 1]) == ["k": 1])
        r.finish()
        #expect(sink.issues.map(\.code) == Array(repeating: "config.type", count: 6))
        #expect(sink.issues.map(\.line) == [1, 2, 3, 4, 5, 6])
    }

    @Test func typedValuesAreRead() throws {
        let (r, sink) = try reader("n: 4\nx: 0.25\nb: false\ns: hello\nl: one\nw: {a: 1, b: 2.5}\nsev: Critical\n")
        #expect(r.int("n", default: 0, in: 1...10) == 4)
        #expect(r.double("x", default: 0, in: 0...1) == 0.25)
        #expect(r.bool("b", default: true) == false)
        #expect(r.string("s", default: "") == "hello")
        #expect(r.strings("l", default: []) == ["one"])
        #expect(r.numberMap("w", default: [:]) == ["a": 1, "b": 2.5])
        #expect(r.severity("sev", default: .low) == .critical)
        #expect(r.severity("absent", default: .medium) == .medium)
        r.finish()
        #expect(sink.issues.isEmpty)
    }

    @Test func rangesAreChecked() throws {
        let (r, sink) = try reader("n: 11\nx: 1.5\nw: 400d\n")
        #expect(r.int("n", default: 5, in: 1...10) == 5)
        #expect(r.double("x", default: 0.5, in: 0...1) == 0.5)
        #expect(r.duration("w", default: 1000) == 1000)
        #expect(sink.issues.map(\.code) == ["config.range", "config.range", "config.range"])
        #expect(sink.issues.first?.message.contains("11 is outside 1...10") == true)
    }

    @Test(
        arguments: [
            ("30s", 30_000), ("10m", 600_000), ("2h", 7_200_000), ("7d", 604_800_000), ("1w", 604_800_000),
            ("45", 45_000), (" 5m ", 300_000), ("0s", 0),
        ] as [(String, Int64)])
    func durationsParse(text: String, ms: Int64) {
        #expect(ConfigReader.parseDuration(text) == ms)
    }

    @Test(arguments: ["", "h", "1.5h", "-1s", "10x", "ten minutes", "5 m"])
    func badDurationsAreRejected(text: String) {
        #expect(ConfigReader.parseDuration(text) == nil)
    }

    @Test func badDurationIsReported() throws {
        let (r, sink) = try reader("w: soon\n")
        #expect(r.duration("w", default: 60_000) == 60_000)
        #expect(sink.issues.map(\.code) == ["config.type"])
        #expect(sink.issues.first?.message.contains("'soon'") == true)
    }

    @Test func missingRequiredKeyIsReported() throws {
        let (r, sink) = try reader("version: 1\n")
        #expect(r.int("version", default: 0) == 1)
        #expect(r.requiredString("id") == nil)
        r.finish()
        #expect(sink.issues.count == 1)
        #expect(sink.issues.first?.code == "config.missing_key")
        #expect(sink.issues.first?.message == "id: is required")
        #expect(sink.issues.first?.line == 1)
    }

    @Test func unknownSeverityIsReported() throws {
        let (r, sink) = try reader("severity: severe\n")
        #expect(r.severity("severity", default: .high) == .high)
        #expect(sink.issues.map(\.code) == ["config.value"])
    }

    @Test func badYAMLSyntaxIsReportedWithLine() {
        let sink = IssueSink()
        #expect(
            ConfigReader.parse(yaml: "version: 1\nid: x\nsettings: [a, b\nfoo: 1\n", file: "bad.yaml", sink: sink)
                == nil)
        #expect(sink.issues.count == 1)
        let issue = sink.issues[0]
        #expect(issue.code == "config.yaml")
        #expect(issue.line >= 3)
        #expect(issue.description.hasPrefix("bad.yaml:\(issue.line):"))

        let tabs = IssueSink()
        #expect(ConfigReader.parse(yaml: "a: 1\n\tb: 2\n", file: "tab.yaml", sink: tabs) == nil)
        #expect(tabs.issues.first?.code == "config.yaml")
        #expect(tabs.issues.first?.line == 2)
    }

    @Test func emptyFileAndNonMappingDocument() {
        let sink = IssueSink()
        #expect(ConfigReader.parse(yaml: "", file: "e.yaml", sink: sink) == nil)
        #expect(sink.issues.map(\.code) == ["config.empty"])
        let list = IssueSink()
        let r = ConfigReader.parse(yaml: "- a\n- b\n", file: "l.yaml", sink: list)
        #expect(r != nil)
        #expect(list.issues.map(\.code) == ["config.type"])
    }

    @Test func listsOfMappingsCarryPathsAndLines() throws {
        let (r, sink) = try reader("allowlist:\n  - reason: a\n  - reason: b\n    extra: 1\nother: x\n")
        let items = r.list("allowlist")
        #expect(items.map(\.path) == ["allowlist[0]", "allowlist[1]"])
        #expect(items.map(\.line) == [2, 3])
        for i in items {
            _ = i.string("reason", default: "")
            i.finish()
        }
        #expect(r.list("other").isEmpty)
        #expect(sink.issues.map(\.code) == ["config.unknown_key", "config.type"])
        #expect(sink.issues.first?.message.contains("'allowlist[1].extra'") == true)
        #expect(sink.issues.first?.line == 4)
    }

    @Test func nullChildAndListAreAbsent() throws {
        let (r, sink) = try reader("settings:\nallowlist: ~\n")
        #expect(r.child("settings") == nil)
        #expect(r.list("allowlist").isEmpty)
        r.finish()
        #expect(sink.issues.isEmpty)
    }

    @Test func duplicateKeysAreRejected() {
        let sink = IssueSink()
        #expect(ConfigReader.parse(yaml: "a: 1\nb: 2\na: 3\n", file: "d.yaml", sink: sink) == nil)
        #expect(sink.issues.map(\.code) == ["config.duplicate_key"])
        #expect((sink.issues.first?.line ?? 0) >= 1)
        #expect(sink.issues.first?.message.contains("'a'") == true)
    }
}
