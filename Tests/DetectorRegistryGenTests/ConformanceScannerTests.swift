import DetectorRegistryGenCore
import Testing

/// Scans sources given as text, as the build tool does for each file of the Detectors module.
func scan(_ files: [(String, String)]) -> Result<[Conformance], GeneratorErrors> {
    var g = RegistryGenerator(protocolName: "BuiltInDetector", functionName: "list", imports: ["Detection"])
    for (name, text) in files { g.add(file: name, source: Array(text.utf8)) }
    return g.conformances()
}

func names(_ files: [(String, String)]) -> [String] {
    (try? scan(files).get())?.map(\.typeName) ?? ["<errors: \(errorLines(files))>"]
}

func errorLines(_ files: [(String, String)]) -> [String] {
    guard case .failure(let f) = scan(files) else { return [] }
    return f.errors.map(\.description)
}

/// The scanner behind the generated detector registry: what it must find, what it must not be
/// fooled by, and what it must refuse with a position rather than skip.
@Suite struct ConformanceScannerTests {
    @Test func findsEveryDeclarationFormAcrossLines() {
        let source = """
            @available(macOS 15, *)
            public final class Alpha: BuiltInDetector {}
            struct Beta:
                Sendable,
                Detection.BuiltInDetector
            {
                enum Nested: Equatable, BuiltInDetector { case a }
            }
            @MainActor actor Gamma: Sendable & BuiltInDetector {}
            final class Delta {}
            extension Delta: @retroactive BuiltInDetector {}
            enum Epsilon: String, BuiltInDetector { case x = "}" }
            """
        #expect(names([("A.swift", source)]) == ["Alpha", "Beta", "Beta.Nested", "Delta", "Epsilon", "Gamma"])
    }

    @Test func positionsAreThoseOfTheKeyword() throws {
        let found = try scan([("Dir/X.swift", "import Detection\n\n  public final class X: BuiltInDetector {}\n")])
            .get()
        #expect(found == [Conformance(typeName: "X", file: "Dir/X.swift", line: 3, column: 16, viaExtension: false)])
    }

    @Test func commentsAndLiteralsDeclareNothing() {
        let source = #"""
            // final class InLineComment: BuiltInDetector {}
            /* outer /* nested */ class InBlockComment: BuiltInDetector {} */
            let a = "class InString: BuiltInDetector {"
            let b = """
                struct InMultiline: BuiltInDetector { "quoted" }
                """
            let c = #"raw " class InRaw: BuiltInDetector { \(not interpolated)"#
            let d = "\(flag ? "}" : "{") struct InInterpolation: BuiltInDetector {}"
            let e = #/class InRegex: BuiltInDetector {/#
            struct Outer {
                final class Real: BuiltInDetector {}
            }
            """#
        #expect(names([("A.swift", source)]) == ["Outer.Real"])
    }

    @Test func otherUsesOfTheWordsAreNotConformances() {
        let source = """
            import class Foundation.ProcessInfo
            extension BuiltInDetector { var x: Int { 1 } }
            extension Detector where Self: BuiltInDetector {}
            let all: [any BuiltInDetector.Type] = []
            struct Box: Wrapper<BuiltInDetector> {}
            struct Kind: BuiltInDetectorKind {}
            class Base { class func make() {} ; class var name: String { "" } }
            func f(_ d: some BuiltInDetector) {}
            """
        #expect(names([("A.swift", source)]) == [])
    }

    @Test(arguments: [
        ("struct G<T>: BuiltInDetector {}", "1:1: error: generic type 'G' conforms"),
        ("struct Outer<T> {\n  final class Inner: BuiltInDetector {}\n}", "2:9: error: generic type 'Outer.Inner'"),
        ("func f() {\n  struct L: BuiltInDetector {}\n}", "2:3: error: local type 'L'"),
        ("private final class P: BuiltInDetector {}", "1:15: error: 'P' conforms to BuiltInDetector but is private"),
        (
            "#if os(Linux)\nstruct C: BuiltInDetector {}\n#endif",
            "2:1: error: 'C' conforms to BuiltInDetector inside #if"
        ),
        ("extension E: BuiltInDetector where T == Int {}", "1:1: error: 'E' conforms to BuiltInDetector under a where"),
        ("protocol Sub: BuiltInDetector {}", "1:1: error: protocol 'Sub' refines BuiltInDetector"),
        ("typealias Alias = Detector & BuiltInDetector", "1:1: error: typealias 'Alias' names BuiltInDetector"),
        ("let s = \"open\nstruct S: BuiltInDetector {}", "1:9: error: unterminated string literal"),
        ("/* open /* */\nstruct S: BuiltInDetector {}", "1:1: error: unterminated comment"),
    ])
    func refusesWhatItCannotListWithItsPosition(_ source: String, _ expected: String) {
        let lines = errorLines([("Bad.swift", source)])
        #expect(lines.count == 1 && lines[0].hasPrefix("Bad.swift:" + expected), "\(lines)")
    }

    @Test func crossFileProblemsAreFound() {
        let generic = [("A.swift", "struct G<T> {}"), ("B.swift", "\n extension G: BuiltInDetector {}")]
        #expect(errorLines(generic).map { $0.hasPrefix("B.swift:2:2: error: generic type 'G'") } == [true])
        let twice = [("A.swift", "final class D: BuiltInDetector {}"), ("B.swift", "extension D: BuiltInDetector {}")]
        #expect(
            errorLines(twice) == [
                "B.swift:1:1: error: 'D' is declared to conform to BuiltInDetector twice (first at A.swift:1:7)"
            ])
    }

    @Test func everyProblemIsReportedNotOnlyTheFirst() {
        let files = [
            ("A.swift", "struct G<T>: BuiltInDetector {}"), ("B.swift", "private struct P: BuiltInDetector {}"),
        ]
        #expect(errorLines(files).count == 2)
    }

    @Test func rendersASortedListOfTypes() throws {
        var g = RegistryGenerator(
            protocolName: "BuiltInDetector", functionName: "generatedBuiltInDetectors", imports: ["Detection"])
        g.add(file: "Z.swift", source: Array("final class Zeta: BuiltInDetector {}".utf8))
        g.add(file: "A.swift", source: Array("struct Outer { struct Alpha: BuiltInDetector {} }".utf8))
        let text = try g.render().get()
        #expect(text.contains("import Detection\n"))
        #expect(
            text.hasSuffix(
                "func generatedBuiltInDetectors() -> [any BuiltInDetector.Type] {\n"
                    + "    [\n        Outer.Alpha.self,\n        Zeta.self,\n    ]\n}\n"))
    }
}
