import DetectorRegistryGenCore
import Foundation
import Testing

/// The built `DetectorRegistryGen` executable run as the plugin runs it, on real files in a
/// temporary folder: what it writes, its exit status and the messages the build shows.
@Suite struct GeneratorProcessTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Next to the test bundle, else the debug or release build of this checkout (`swift build
    /// --build-tests` builds it, as every target).
    static var tool: URL? {
        let bundle = Bundle.main.bundleURL
        let candidates =
            [bundle, bundle.deletingLastPathComponent()].map { $0.appendingPathComponent("DetectorRegistryGen") }
            + ["debug", "release"].map { root.appendingPathComponent(".build/\($0)/DetectorRegistryGen") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    struct Run {
        var status: Int32
        var stderr: String
        var output: String?
    }

    /// Starts `p` and waits for it without blocking a thread of the shared pool (a blocked
    /// thread starves the loopback-server tests running beside these on two cores).
    static func exit(of p: Process) async throws {
        try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
            p.terminationHandler = { _ in c.resume() }
            do { try p.run() } catch { c.resume(throwing: error) }
        }
        // Returns at once (the child has exited); frees the descriptor Foundation keeps for a
        // child until `waitUntilExit` is called (see TestSupport's `Process.releaseExited`).
        if !p.isRunning { p.waitUntilExit() }
    }

    func run(_ files: [String: String], extra: [String] = []) async throws -> Run {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("reggen-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var paths: [String] = []
        for (name, text) in files.sorted(by: { $0.key < $1.key }) {
            let url = dir.appendingPathComponent(name)
            try Data(text.utf8).write(to: url)
            paths.append(url.path)
        }
        let out = dir.appendingPathComponent("RegistryGenerated.swift")
        let p = Process()
        let tool = try #require(Self.tool, "DetectorRegistryGen is not built (swift build --build-tests)")
        p.executableURL = tool
        p.arguments =
            ["--output", out.path, "--protocol", "BuiltInDetector", "--function", "generated", "--import", "Detection"]
            + paths + extra.map { dir.appendingPathComponent($0).path }
        let err = Pipe()
        p.standardError = err
        try await Self.exit(of: p)
        let data = err.fileHandleForReading.readDataToEndOfFile()  // small; read at exit
        let written = try? String(contentsOf: out, encoding: .utf8)
        return Run(status: p.terminationStatus, stderr: String(decoding: data, as: UTF8.self), output: written)
    }

    @Test func writesTheSortedListAndExitsZero() async throws {
        let r = try await run([
            "B.swift": "public final class Bravo:\n    BuiltInDetector {}\n",
            "A.swift": "// class Fake: BuiltInDetector\nstruct Alpha: BuiltInDetector {}\n",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.isEmpty)
        let text = try #require(r.output)
        #expect(text.contains("import Detection\n"))
        #expect(
            text.hasSuffix(
                "func generated() -> [any BuiltInDetector.Type] {\n    [\n        Alpha.self,\n        Bravo.self,\n    ]\n}\n"
            ))
    }

    @Test func failsTheBuildWithCompilerStyleMessagesAndWritesNothing() async throws {
        let r = try await run(
            ["G.swift": "import Detection\nstruct Generic<T>: BuiltInDetector {}\n"], extra: ["Missing.swift"])
        #expect(r.status == 1)
        #expect(r.output == nil)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(lines)")
        #expect(
            lines.contains {
                $0.hasSuffix(
                    "/G.swift:2:1: error: generic type 'Generic' conforms to BuiltInDetector: the generated list can hold only concrete types; declare a non-generic type for the detector"
                )
            })
        #expect(
            lines.contains {
                $0.hasSuffix("/Missing.swift:1:1: error: cannot read the file: No such file or directory")
            })
    }

    @Test func usageErrorsExit64() async throws {
        let p = Process()
        let tool = try #require(Self.tool, "DetectorRegistryGen is not built (swift build --build-tests)")
        p.executableURL = tool
        p.arguments = ["--output"]
        p.standardError = Pipe()
        try await Self.exit(of: p)
        #expect(p.terminationStatus == 64)
    }

    /// The real Detectors module: one conformance per detector YAML file, no problem reported
    /// (so the plugin's list is complete the same way `RegistryTests` checks it from the other side).
    @Test func theDetectorsModuleScansCleanlyWithOneTypePerYAML() throws {
        let sources = Self.root.appendingPathComponent("Sources/Detectors")
        var g = RegistryGenerator(protocolName: "BuiltInDetector", functionName: "v", imports: [])
        let walker = try #require(FileManager.default.enumerator(atPath: sources.path))
        while let rel = walker.nextObject() as? String {
            guard rel.hasSuffix(".swift") else { continue }
            g.add(file: rel, source: Array(try Data(contentsOf: sources.appendingPathComponent(rel))))
        }
        let found = try g.conformances().get()
        let yamls = try FileManager.default.contentsOfDirectory(
            atPath: Self.root.appendingPathComponent("detectors").path
        )
        .filter { $0.hasSuffix(".yaml") }
        #expect(found.count == yamls.count)
        #expect(found.contains { $0.typeName == "DiscoveryBurst" && $0.file == "Baselines/DiscoveryBurst.swift" })
    }
}
