import EventModel
import Foundation
import TestSupport
import Testing

/// The diagnostics reference is generated from `DiagnosticCatalog`, and every
/// code the program can print is in it (issue 15: the hand-written table had
/// fallen behind the code).
@Suite("Diagnostic catalogue")
struct DiagnosticCatalogTests {
    static let root = Repository.root

    /// Every `"area.code"` literal in Sources/, for the areas diagnostics and errors use.
    static func codesInSources() throws -> [String: String] {
        let areas = "(gzip|frame|decode|input|state|config|tail|output|webhook|sink|preflight|rule|aws|sqs)"
        // A code is a string literal of its own, or the `[code]` that ends a printed message.
        let pattern = try NSRegularExpression(pattern: "\"(\(areas)\\.[a-z0-9_]+)\"|\\[(\(areas)\\.[a-z0-9_]+)\\]\"")
        var found: [String: String] = [:]
        let sources = root.appendingPathComponent("Sources")
        let walker = FileManager.default.enumerator(atPath: sources.path)
        while let rel = walker?.nextObject() as? String {
            guard rel.hasSuffix(".swift"), !rel.hasPrefix("TestSupport"), !rel.hasSuffix("DiagnosticCatalog.swift")
            else { continue }
            // Comment lines quote log samples (`"source":"aws.iam"`), not codes.
            let text = try String(contentsOf: sources.appendingPathComponent(rel), encoding: .utf8)
                .split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("//") }.joined(separator: "\n")
            for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let group = m.range(at: 1).location != NSNotFound ? 1 : 3
                let code = String(text[Range(m.range(at: group), in: text)!])
                found[code] = rel
            }
        }
        return found
    }

    @Test func everyCodeInTheSourcesIsCatalogued() throws {
        let used = try Self.codesInSources()
        #expect(used.count > 40, "the scan of Sources/ found too little: \(used.count)")
        for (code, file) in used.sorted(by: { $0.key < $1.key }) {
            #expect(DiagnosticCatalog.codes.contains(code), "\(code) (\(file)) is not in DiagnosticCatalog")
        }
        for code in DiagnosticCatalog.codes.sorted() {
            #expect(used[code] != nil, "\(code) is catalogued but no source file uses it")
        }
    }

    @Test func codesAreUniqueAndDescribed() {
        let all = DiagnosticCatalog.sections.flatMap(\.entries)
        #expect(Set(all.map(\.code)).count == all.count)
        for e in all { #expect(!e.meaning.isEmpty && !e.meaning.contains("|"), "\(e.code)") }
    }

    @Test("docs/diagnostics.md is generated from the catalogue")
    func docsTableIsGenerated() throws {
        let path = Self.root.appendingPathComponent("docs/diagnostics.md")
        let generated = DiagnosticCatalog.markdown()
        if ProcessInfo.processInfo.environment["TRAILHOUND_RECORD"] == "1" {
            try FileManager.default.createDirectory(
                at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
            try generated.write(to: path, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOf: path, encoding: .utf8)
        #expect(
            committed == generated,
            "docs/diagnostics.md differs: TRAILHOUND_RECORD=1 swift test --filter DiagnosticCatalog")
    }
}
