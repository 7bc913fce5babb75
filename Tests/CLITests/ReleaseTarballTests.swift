import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The release tarball (scripts/release.sh) unpacked into an empty directory and run the way a
/// machine without Swift would: PATH holds no toolchain, LD_LIBRARY_PATH is empty, and, when the
/// test runs as root, the toolchain's directory is hidden under an empty tmpfs in a private mount
/// namespace. Runs only when TRAILHOUND_RELEASE_TARBALL names the tarball (scripts/test.sh builds
/// it and sets it); otherwise each test reports itself skipped with the reason.
@Suite("release tarball, unpacked on a machine without Swift", .serialized)
struct ReleaseTarballTests {
    static let tarball = ProcessInfo.processInfo.environment["TRAILHOUND_RELEASE_TARBALL"].flatMap {
        $0.isEmpty ? nil : $0.hasPrefix("/") ? $0 : CLI.root.appendingPathComponent($0).path
    }
    static let skipped: Comment =
        "skipped: no release tarball; scripts/test.sh builds one (scripts/release.sh) and sets TRAILHOUND_RELEASE_TARBALL"

    /// Libraries the binary may load: what a stock Debian/Ubuntu has (glibc, libstdc++, zlib, SQLite).
    static let systemLibraries: Set<String> = [
        "linux-vdso.so.1", "libc.so.6", "libm.so.6", "libpthread.so.0", "libdl.so.2", "librt.so.1",
        "libutil.so.1", "libstdc++.so.6", "libgcc_s.so.1", "libz.so.1", "libsqlite3.so.0",
        "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1",
    ]

    /// The unpacked tree (`…/trailhound-VERSION-linux-ARCH`) in a fresh, otherwise empty directory.
    static func unpack() throws -> URL {
        let tarball = try #require(tarball)
        let dir = try CLI.tempDir()
        let r = try run("/bin/tar", ["-xzf", tarball, "-C", dir.path], in: dir, env: ["PATH": "/usr/bin:/bin"])
        try #require(r.status == 0, "tar: \(r.stderr)")
        let entries = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        try #require(entries.count == 1, "one top directory expected: \(entries)")
        let name = URL(fileURLWithPath: tarball).lastPathComponent.replacingOccurrences(of: ".tar.gz", with: "")
        #expect(entries == [name])
        return dir.appendingPathComponent(entries[0])
    }

    /// A PATH with nothing from the toolchain: a fresh directory holding only a link to the binary.
    static func bareBin(linkingTo binary: URL) throws -> URL {
        let bin = try CLI.tempDir()
        try FileManager.default.createSymbolicLink(
            at: bin.appendingPathComponent("trailhound"), withDestinationURL: binary)
        return bin
    }

    /// Runs `tool` with exactly `env` (nothing inherited) in `dir`.
    static func run(_ tool: String, _ args: [String], in dir: URL, env: [String: String]) throws -> CLIResult {
        let tmp = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: tmp) }
        let out = tmp.appendingPathComponent("out")
        let err = tmp.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        p.currentDirectoryURL = dir
        p.environment = env
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        p.standardInput = FileHandle.nullDevice
        try p.runToExit()
        return CLIResult(
            status: p.terminationStatus, stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }

    /// The toolchain this test runs under (`/opt/swift` for `/opt/swift/usr/bin/swift`), if apart from the system's.
    static var toolchainRoot: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for dir in path.split(separator: ":") {
            let swift = URL(fileURLWithPath: String(dir)).appendingPathComponent("swift")
            guard FileManager.default.isExecutableFile(atPath: swift.path) else { continue }
            let root = swift.resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().path
            return ["/", "/usr", "/usr/local"].contains(root) ? nil : root
        }
        return nil
    }

    static let demoScan = ["scan", "corpora/cloudtrail/demo/AWSLogs", "--no-progress", "--quiet"]

    @Test(.enabled(if: tarball != nil, skipped))
    func holdsTheBinaryItsDataDocsCompletionsAndManual() throws {
        let root = try Self.unpack()
        for path in [
            "trailhound", "LICENSE", "THIRD-PARTY-NOTICES", "README.md", "docs/install.md", "examples/watch.yaml",
            "docs/usage.md", "detectors/evasion.cloudtrail_tampering.yaml", "formats/langflow-container.yaml",
            "corpora/cloudtrail/demo/labels.json", "completions/trailhound.bash", "completions/_trailhound",
            "completions/trailhound.fish", "man/man1/trailhound.1",
        ] {
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(path).path), "\(path) missing")
        }
        let detectors = try FileManager.default.contentsOfDirectory(
            atPath: CLI.root.appendingPathComponent("detectors").path)
        let shipped = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("detectors").path)
        #expect(Set(shipped) == Set(detectors))
        let license = try String(contentsOf: root.appendingPathComponent("LICENSE"), encoding: .utf8)
        #expect(license.contains("Apache License") && license.contains("Version 2.0"))
        let bash = try Self.run(
            "/bin/bash", ["-n", "completions/trailhound.bash"], in: root, env: ["PATH": "/usr/bin:/bin"])
        #expect(bash.status == 0, "\(bash.stderr)")
        let completion = try String(
            contentsOf: root.appendingPathComponent("completions/trailhound.bash"), encoding: .utf8)
        #expect(completion.contains("trailhound") && completion.contains("--exit-when-idle"))
        let zsh = try String(contentsOf: root.appendingPathComponent("completions/_trailhound"), encoding: .utf8)
        #expect(zsh.hasPrefix("#compdef trailhound"))
        let fish = try String(contentsOf: root.appendingPathComponent("completions/trailhound.fish"), encoding: .utf8)
        #expect(fish.contains("complete -c 'trailhound'"), "\(fish.prefix(300))")
        let man = try String(contentsOf: root.appendingPathComponent("man/man1/trailhound.1"), encoding: .utf8)
        #expect(man.contains(".Dt TRAILHOUND 1"), "\(man.prefix(300))")
        for sub in ["Em scan", "Em watch", "Em investigate", "Em baseline", "Fl -check-config"] {
            #expect(man.contains(sub), "man page lacks \(sub)")
        }
    }

    @Test(.enabled(if: tarball != nil, skipped))
    func binaryNeedsOnlyStockSystemLibraries() throws {
        let root = try Self.unpack()
        let ldd = try Self.run(
            "/usr/bin/ldd", [root.appendingPathComponent("trailhound").path], in: root,
            env: ["PATH": "/usr/bin:/bin", "LD_LIBRARY_PATH": ""])
        #expect(ldd.status == 0, "\(ldd.stderr)")
        var names: [String] = []
        for line in ldd.stdout.split(separator: "\n") {
            let text = line.trimmingCharacters(in: .whitespaces)
            #expect(!text.contains("not found"), "\(text)")
            #expect(!text.contains("swift") && !(Self.toolchainRoot.map { text.contains($0) } ?? false), "\(text)")
            let name = String(text.split(separator: " ")[0])
            names.append(URL(fileURLWithPath: name).lastPathComponent)
        }
        let unexpected = Set(names).subtracting(Self.systemLibraries)
        #expect(unexpected.isEmpty, "libraries beyond glibc, libstdc++, zlib and SQLite: \(unexpected)\n\(ldd.stdout)")
        #expect(names.contains("libz.so.1") && names.contains("libsqlite3.so.0"))
        let readelf = try Self.run(
            "/usr/bin/readelf", ["-d", "trailhound"], in: root, env: ["PATH": "/usr/bin:/bin"])
        if readelf.status == 0 {
            #expect(!readelf.stdout.contains("RPATH") && !readelf.stdout.contains("RUNPATH"), "\(readelf.stdout)")
        }
    }

    @Test(.enabled(if: tarball != nil, skipped))
    func demoScanFromTheUnpackedTreeWithoutTheToolchainMatchesTheDevelopmentBuild() throws {
        let root = try Self.unpack()
        let bin = try Self.bareBin(linkingTo: root.appendingPathComponent("trailhound"))
        let env = ["PATH": bin.path, "LD_LIBRARY_PATH": "", "HOME": root.path]
        let released = try Self.run(root.appendingPathComponent("trailhound").path, Self.demoScan, in: root, env: env)
        #expect(released.status == 0, "\(released.stderr)")
        let labels = try JSONSerialization.jsonObject(
            with: Data(contentsOf: root.appendingPathComponent("corpora/cloudtrail/demo/labels.json")))
        let expected = Set(
            ((labels as? [String: Any])?["attacks"] as? [[String: Any]] ?? []).flatMap {
                $0["expected_detectors"] as? [String] ?? []
            })
        #expect(!expected.isEmpty)
        #expect(expected.isSubset(of: released.detectors), "missing: \(expected.subtracting(released.detectors))")
        // The same findings, byte for byte, as the development build in the repository.
        let dev = try Repository.run(Self.demoScan)
        #expect(dev.status == 0)
        #expect(released.stdout == dev.stdout, "release and development builds disagree on the demo")

        // Started through PATH (a symlink) from an empty directory: detectors/ and formats/ are
        // found beside the real binary, not in the working directory.
        let empty = try CLI.tempDir()
        let viaPath = try Self.run(
            "/usr/bin/env",
            [
                "trailhound", "scan", root.appendingPathComponent("corpora/cloudtrail/demo/AWSLogs").path,
                "--no-progress", "--quiet",
            ], in: empty, env: env)
        #expect(viaPath.status == 0, "\(viaPath.stderr)")
        #expect(viaPath.findings.count == released.findings.count)
        let validate = try Self.run("/usr/bin/env", ["trailhound", "validate"], in: empty, env: env)
        #expect(
            validate.status == 0 && validate.stdout.contains(root.appendingPathComponent("detectors").path),
            "\(validate.stdout) \(validate.stderr)")

        let text = try Self.run(
            root.appendingPathComponent("trailhound").path, Self.demoScan + ["--format", "text", "--fail-on", "high"],
            in: root, env: env)
        #expect(text.status == 3 && text.stdout.contains("CRITICAL"), "\(text.stderr)")
    }

    /// Hiding the toolchain takes a mount namespace: root, unshare(1), and a toolchain apart from /usr.
    static let canHideToolchain =
        geteuid() == 0 && toolchainRoot != nil && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare")

    @Test(
        .enabled(if: tarball != nil, skipped),
        .enabled(
            if: canHideToolchain,
            "skipped: hiding the toolchain needs root, /usr/bin/unshare and a toolchain outside /usr (the PATH-only test still ran)"
        ))
    func withTheToolchainHiddenTheDemoAndTheExampleStillRun() throws {
        let root = try Self.unpack()
        let toolchain = try #require(Self.toolchainRoot)
        // A private mount namespace with an empty tmpfs over the toolchain: as on a machine without Swift.
        let script = """
            mount -t tmpfs none "$1" || exit 90
            shift
            [ -z "$(ls -A "$0")" ] || exit 91
            exec "$@"
            """
        func hidden(_ args: [String]) throws -> CLIResult {
            try Self.run(
                "/usr/bin/unshare",
                ["--mount", "--propagation", "private", "/bin/sh", "-c", script, toolchain, toolchain] + args,
                in: root, env: ["PATH": "/usr/bin:/bin", "LD_LIBRARY_PATH": ""])
        }
        let scan = try hidden(["./trailhound"] + Self.demoScan)
        #expect(scan.status == 0, "status \(scan.status): \(scan.stderr)")
        #expect(scan.detectors.contains("evasion.cloudtrail_tampering"))
        let version = try hidden(["./trailhound", "--version"])
        let name = root.lastPathComponent  // trailhound-VERSION-linux-ARCH
        let versionText = name.split(separator: "-")[1]
        #expect(version.stdout.hasPrefix("trailhound \(versionText) (commit "), "\(version.stdout)")
        #expect(!version.stdout.contains("commit dev") && !version.stdout.contains("built dev"), "\(version.stdout)")
        let check = try hidden(["./trailhound", "watch", "--config", "examples/watch.yaml", "--check-config"])
        #expect(check.status == 0, "\(check.stderr)")
        let watch = try hidden([
            "./trailhound", "watch", "--config", "examples/watch.yaml", "--exit-when-idle", "--no-stdout",
            "--listen", "127.0.0.1:0",  // the example's 9464 may be taken on a shared machine
        ])
        #expect(watch.status == 0, "\(watch.stderr)")
        let findings = try String(
            contentsOf: root.appendingPathComponent("trailhound-findings.jsonl"), encoding: .utf8)
        #expect(findings.contains("\"evasion.cloudtrail_tampering\""))
        #expect(findings.contains("\"trailhound_version\":\"\(versionText)\""))
    }
}
