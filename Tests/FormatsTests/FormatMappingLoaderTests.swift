import Config
import Formats
import Foundation
import TestSupport
import Testing

@Suite struct FormatMappingLoaderTests {
    static var root: String { Repository.root.path }

    func load(_ yaml: String) -> (WorkflowMapping?, [ConfigIssue]) {
        let sink = IssueSink()
        let m = FormatMappingLoader.load(yaml: yaml, file: "m.yaml", sink: sink)
        return (m, sink.issues)
    }

    @Test func shippedMappingsLoadCleanly() throws {
        let set = FormatMappingLoader.load(directory: Self.root + "/formats")
        #expect(set.issues.isEmpty, "\(set.issues.map(\.description))")
        let lf = try #require(set.mappings.first { $0.name == "langflow-container" })
        #expect(lf.fields.first?.0 == .timestamp)
        #expect(lf.extracts.count == 1)
        #expect(lf.actions.first?.1 == "validate_code")
        #expect(lf.skip?.keys.count == 3)
        #expect(FormatMappingLoader.load(directory: nil).mappings.isEmpty)
    }

    @Test func aCompleteMappingReadsEverySection() throws {
        let (m, issues) = load(
            """
            version: 1
            name: agent
            description: in-house agent
            match:
              keys: [ts, req.path]
              equals: [{path: kind, value: access}]
              contains: [{path: msg, text: "HTTP/"}]
            fields: {timestamp: ts, path: req.path, principal: user.email, authenticated: user.authenticated}
            extract:
              - {from: msg, template: '{method} {path} {status}'}
            defaults: {server: agent-1}
            actions:
              - {path: "/run/*", action: run_flow}
            """)
        #expect(issues.isEmpty, "\(issues)")
        let map = try #require(m)
        #expect(map.requireKeys == [["ts"], ["req", "path"]])
        #expect(map.requireEquals.first?.1 == "access")
        #expect(map.requireContains.first?.0 == ["msg"])
        #expect(map.fields.map(\.0) == [.timestamp, .path, .authenticated, .principal])
        #expect(map.defaults.first?.1 == "agent-1")
        #expect(map.actions.first?.0.matches("/run/x") == true)
    }

    @Test func problemsAreReportedWithPositionsAndCodes() {
        let (m, issues) = load(
            """
            version: 1
            name: bad
            match:
              keys: [ts]
              colour: red
            fields:
              timestamp: ts
              pathh: req.path
            extract:
              - from: msg
                template: '{method}{path}'
            """)
        #expect(m == nil)
        #expect(issues.contains { $0.code == "config.unknown_key" && $0.line == 8 && $0.message.contains("pathh") })
        #expect(issues.contains { $0.code == "config.unknown_key" && $0.line == 5 })
        #expect(issues.contains { $0.code == "config.value" && $0.message.contains("two captures") })
    }

    @Test func matchAndTimestampAreRequired() {
        let (m, issues) = load("version: 1\nname: loose\nfields: {path: p}\n")
        #expect(m == nil)
        #expect(issues.contains { $0.message.contains("match") && $0.code == "config.missing_key" })
        #expect(issues.contains { $0.message.contains("timestamp") })
        let (_, empty) = load("version: 1\nname: x\nmatch: {keys: []}\nfields: {timestamp: t}\n")
        #expect(empty.contains { $0.message.contains("at least one of keys") })
        let (_, version) = load("version: 2\nname: x\nmatch: {keys: [t]}\nfields: {timestamp: t}\n")
        #expect(version.contains { $0.code == "config.version" })
    }

    @Test func duplicateNamesAcrossFiles() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = "version: 1\nname: same\nmatch: {keys: [t]}\nfields: {timestamp: t}\n"
        try text.write(to: dir.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        try text.write(to: dir.appendingPathComponent("b.yml"), atomically: true, encoding: .utf8)
        let set = FormatMappingLoader.load(directory: dir.path)
        #expect(set.files.count == 2)
        #expect(set.issues.map(\.code) == ["config.duplicate_id"])
    }
}

@Suite struct FormatMappingSkipWarningTests {
    static let mapping = """
        version: 1
        name: lf
        match:
          keys: [record.time.timestamp]
          equals: [{path: record.message, value: "Error executing function code"}]
        fields: {timestamp: record.time.timestamp}
        skip:
          keys: [record.time.timestamp, record.message]

        """

    @Test func aSkipThatOnlyRequiresKeysIsAWarningWithItsPosition() throws {
        let sink = IssueSink()
        let warnings = IssueSink()
        let m = FormatMappingLoader.load(yaml: Self.mapping, file: "lf.yaml", sink: sink, warnings: warnings)
        #expect(m != nil)
        #expect(sink.issues.isEmpty)
        let w = try #require(warnings.issues.first)
        #expect(w.code == FormatMappingLoader.broadSkipCode)
        #expect(w.line == 8 && w.column > 0)
        #expect(w.message.contains("record.time.timestamp, record.message"))
        let narrowed = Self.mapping + "  contains: [{path: record.name, text: \"langflow.\"}]\n"
        let quiet = IssueSink()
        #expect(FormatMappingLoader.load(yaml: narrowed, file: "lf.yaml", sink: IssueSink(), warnings: quiet) != nil)
        #expect(quiet.issues.isEmpty)
    }

    @Test func theShippedMappingsHaveNoWarnings() {
        let set = FormatMappingLoader.load(directory: FormatMappingLoaderTests.root + "/formats")
        #expect(set.issues.isEmpty)
        #expect(set.warnings.isEmpty, "\(set.warnings.map(\.description))")
        #expect(set.mappings.map(\.name).filter { $0.hasPrefix("langflow-app") }.count == 3)
    }
}
