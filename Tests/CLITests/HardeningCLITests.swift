import Foundation
import TestSupport
import Testing

/// What a hostile log line, a full disk or an unlucky operator can do to `scan`
/// and `investigate` (issue 15), checked on the real binary with real files,
/// devices, FIFOs, symbolic links and processes.
@Suite("Hardening (CLI)")
struct HardeningCLITests {
    let input: String

    init() throws {
        let dir = try CLI.tempDir()
        input = dir.appendingPathComponent("trail.json").path
        try CloudTrailRecord.file([Records.stopLogging()]).write(to: URL(fileURLWithPath: input))
    }

    func mode(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
    }

    func type(_ path: String) throws -> FileAttributeType? {
        try FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType
    }

    @Test("a full disk is exit 1 naming the file, and the device is not replaced")
    func fullDiskIsAnErrorNotACrash() throws {
        let r = try Repository.run(["scan", input, "--events-out", "/dev/full", "--quiet"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("/dev/full: error: cannot write: No space left on device [output.write]"))
        #expect(try type("/dev/full") == .typeCharacterSpecial)
        // Findings still reached stdout: the scan went on.
        #expect(r.detectors.contains("evasion.cloudtrail_tampering"))
    }

    @Test("--events-out keeps a 0600 file's mode and writes through a symbolic link")
    func eventsOutKeepsModeAndLinks() throws {
        let dir = try CLI.tempDir()
        let file = dir.appendingPathComponent("events.jsonl").path
        try Data("old\n".utf8).write(to: URL(fileURLWithPath: file))
        chmod(file, 0o600)
        var r = try Repository.run(["scan", input, "--events-out", file, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try mode(file) == 0o600)
        #expect(try String(contentsOfFile: file, encoding: .utf8).contains("\"StopLogging\""))

        let link = dir.appendingPathComponent("link.jsonl").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: file)
        try Data().write(to: URL(fileURLWithPath: file))
        r = try Repository.run(["scan", input, "--events-out", link, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try type(link) == .typeSymbolicLink)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == file)
        #expect(try String(contentsOfFile: file, encoding: .utf8).contains("\"StopLogging\""))
        #expect(try mode(file) == 0o600)
        // No temporary file is left beside it.
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["events.jsonl", "link.jsonl"])
    }

    @Test("--events-out to a FIFO streams into it and leaves the FIFO in place")
    func eventsOutToAFIFOStreams() throws {
        let dir = try CLI.tempDir()
        let fifo = dir.appendingPathComponent("events.fifo").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/bin/sh")
        let copy = dir.appendingPathComponent("copy").path
        reader.arguments = ["-c", "cat \"$0\" > \"$1\"", fifo, copy]
        reader.standardError = FileHandle.nullDevice
        let readerExit = try reader.start()
        let r = try Repository.run(["scan", input, "--events-out", fifo, "--quiet"])
        try readerExit.wait()
        #expect(r.status == 0, "\(r.stderr)")
        var st = stat()
        #expect(lstat(fifo, &st) == 0 && st.st_mode & S_IFMT == S_IFIFO, "the FIFO was replaced")
        #expect(try String(contentsOfFile: copy, encoding: .utf8).contains("\"StopLogging\""))
    }

    @Test("--events-out into a missing directory is exit 1 before scanning")
    func eventsOutIntoAMissingDirectory() throws {
        let r = try Repository.run(["scan", input, "--events-out", "/nonexistent-dir/events.jsonl", "--quiet"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("/nonexistent-dir/events.jsonl: error: cannot write: No such file or directory"))
        #expect(r.stdout.isEmpty)
    }

    @Test("investigate --output keeps a 0600 report's mode and a symbolic link")
    func investigateOutputKeepsModeAndLinks() throws {
        let dir = try CLI.tempDir()
        let report = dir.appendingPathComponent("report.md").path
        try Data("old".utf8).write(to: URL(fileURLWithPath: report))
        chmod(report, 0o600)
        let link = dir.appendingPathComponent("latest.md").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: report)
        let r = try Repository.run(["investigate", "role/web-app", input, "--output", link, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try type(link) == .typeSymbolicLink)
        #expect(try mode(report) == 0o600)
        #expect(try String(contentsOfFile: report, encoding: .utf8).contains("web-app"))
    }

    /// Runs the binary with stdin from `stdinPath`; kills it after `seconds` (nil = killed).
    func run(_ args: [String], stdinPath: String, seconds: Double) throws -> (status: Int32?, stderr: String) {
        let dir = try CLI.tempDir()
        let errURL = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let p = Process()
        p.executableURL = Repository.binary
        p.arguments = args
        p.standardInput = FileHandle(forReadingAtPath: stdinPath)
        p.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        p.standardError = try FileHandle(forWritingTo: errURL)
        let exit = try p.start()
        let deadline = Date().addingTimeInterval(seconds)
        while p.isRunning && Date() < deadline { usleep(50_000) }
        var status: Int32? = nil
        if p.isRunning {
            p.terminate()
            try exit.wait()
        } else {
            status = p.terminationStatus
        }
        return (status, String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    @Test("endless plain input ends at the size bound", arguments: ["file", "stdin"])
    func endlessPlainInputEnds(how: String) throws {
        let args =
            how == "file"
            ? ["scan", "/dev/zero", "--max-decompressed-mb", "16", "--quiet"]
            : ["scan", "-", "--max-decompressed-mb", "16", "--quiet"]
        let r = try run(args, stdinPath: "/dev/zero", seconds: 60)
        #expect(r.status == 0, "still running after 60 s: \(r.stderr.prefix(500))")
        #expect(r.stderr.contains("[input.too_large]"))
        #expect(r.stderr.contains("longer than 16777216 bytes"))
    }

    @Test("control characters in log text are escaped in diagnostics")
    func diagnosticsEscapeControlCharacters() throws {
        let dir = try CLI.tempDir()
        let path = dir.appendingPathComponent("hostile.jsonl").path
        let hostileTime =
            #"{"eventVersion":"1.09","eventTime":"\u001b]2;owned\u0007\u001b[2J\r\nfake.json:1: error: x [y]","eventSource":"iam.amazonaws.com","eventName":"ListUsers","eventID":"e1"}"#
        let hostileKey = #"{"\u001b[31mkey\u202e":1}"#
        try Data((hostileTime + "\n" + hostileKey + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let r = try Repository.run(["scan", path, "--quiet"])
        #expect(r.stderr.contains("[decode.bad_time]"), "\(r.stderr)")
        for bad: Character in ["\u{1B}", "\u{07}", "\r", "\u{202E}"] {
            #expect(!r.stderr.contains(bad), "raw \(bad.unicodeScalars.first!.value) in stderr")
        }
        #expect(r.stderr.contains("\\u{1B}]2;owned\\u{7}"))
        // Every stderr line is one diagnostic or the summary: no forged line.
        #expect(!r.stderr.split(separator: "\n").contains { $0.hasPrefix("fake.json") })
    }

    @Test(
        "impossible dates are decode.bad_time",
        arguments: ["2025-02-30T00:00:00Z", "0000-01-01T00:00:00Z", "2023-02-29T10:00:00Z"])
    func impossibleDates(time: String) throws {
        let dir = try CLI.tempDir()
        let path = dir.appendingPathComponent("dates.json").path
        try CloudTrailRecord.file([
            CloudTrailRecord.call("ListUsers", source: "iam.amazonaws.com", time: time, id: "bad")
        ])
        .write(to: URL(fileURLWithPath: path))
        let r = try Repository.run(["scan", path, "--events-out", "-", "--quiet"])
        #expect(r.stderr.contains("[decode.bad_time]"), "\(time): \(r.stderr)")
        #expect(!r.stdout.contains("\"bad\""))
    }
}

/// Two writers on one state file (issue 15): the second exits 1 at once naming
/// the first one's PID; the first finishes and saves normally.
@Suite("State lock (CLI)")
struct StateLockCLITests {
    @Test func secondScanOnOneStateFileExitsAtOnce() throws {
        let dir = try CLI.tempDir()
        let state = dir.appendingPathComponent("trail.db").path
        let fifo = dir.appendingPathComponent("slow.json").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let small = dir.appendingPathComponent("small.json")
        try CloudTrailRecord.file([Records.stopLogging(id: "ev-small")]).write(to: small)
        // The first scan holds the state while it waits for its input on a FIFO.
        let first = Process()
        first.executableURL = Repository.binary
        first.arguments = ["scan", fifo, "--state", state, "--quiet"]
        first.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        first.standardError = FileHandle(forWritingAtPath: "/dev/null")
        let firstExit = try first.start()
        var locked = false
        for _ in 0..<200 where !locked {
            usleep(50_000)
            locked =
                (try? String(contentsOfFile: state + ".lock", encoding: .utf8))?.contains("\(first.processIdentifier)")
                ?? false
        }
        #expect(locked, "the first scan never took the lock")
        let started = Date()
        let second = try Repository.run(["scan", small.path, "--state", state, "--quiet"])
        #expect(second.status == 1, "\(second.stderr)")
        #expect(second.stderr.contains("in use by PID \(first.processIdentifier)"), "\(second.stderr)")
        #expect(second.stderr.contains("[state.locked]"))
        #expect(Date().timeIntervalSince(started) < 10)
        // Baseline readers do not wait for the writer.
        let list = try Repository.run(["baseline", "list", "--state", state])
        #expect(list.status == 0, "\(list.stderr)")
        // Feed the first scan and let it finish normally.
        let w = FileHandle(forWritingAtPath: fifo)
        try w?.write(contentsOf: CloudTrailRecord.file([Records.stopLogging()]))
        try w?.close()
        #expect(try firstExit.wait() == 0)
        let again = try Repository.run(["scan", small.path, "--state", state, "--quiet"])
        #expect(again.status == 0, "\(again.stderr)")
    }
}

/// `investigate --state` with the state of the scan (or service) that already read
/// the same logs: the events must reach the investigation, not be dropped as
/// duplicate deliveries remembered by the engine.
@Suite("Investigate with a state file")
struct InvestigateWithStateTests {
    @Test func logsTheStateAlreadyScannedAreStillInvestigated() throws {
        let dir = try CLI.tempDir()
        let input = dir.appendingPathComponent("trail.json")
        try CloudTrailRecord.file([
            CloudTrailRecord.call("ListBuckets", source: "s3.amazonaws.com", id: "ev-a"),
            Records.stopLogging(id: "ev-b"),
        ]).write(to: input)
        let state = dir.appendingPathComponent("state.db").path
        let scan = try Repository.run(["scan", input.path, "--state", state, "--quiet"])
        #expect(scan.status == 0, "\(scan.stderr)")
        let r = try Repository.run([
            "investigate", "role/web-app", input.path, "--state", state, "--format", "json", "--quiet",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("ev-b"), "the StopLogging event is missing from the report")
    }
}

/// Regression for the first crash `Benchmarks/fuzz.sh` found (FuzzDecode): a
/// Kubernetes audit record whose timestamps stop after the hour trapped the
/// time parser. The record is now a diagnostic and the next one is read.
@Suite("Fuzz regressions (CLI)")
struct FuzzRegressionCLITests {
    @Test func kubernetesRecordWithATimeCutAfterTheHour() throws {
        let dir = try CLI.tempDir()
        let path = dir.appendingPathComponent("audit.jsonl")
        let cut =
            #"{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a-1","stage":"ResponseComplete","requestURI":"/api/v1/namespaces/shop/secrets/web-db","verb":"get","user":{"username":"system:serviceaccount:shop:web"},"sourceIPs":["10.0.0.7"],"objectRef":{"resource":"secrets","namespace":"shop","name":"web-db","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},"requestReceivedTimestamp":"2026-03-01T00","stageTimestamp":"2026-03-01T00"}"#
        let good = cut.replacingOccurrences(of: "\"2026-03-01T00\"", with: "\"2026-03-01T00:09:24.021000Z\"")
            .replacingOccurrences(of: "a-1", with: "a-2")
        try Data((cut + "\n" + good + "\n").utf8).write(to: path)
        let r = try Repository.run(["scan", path.path, "--events-out", "-", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        // Reported as a record without a usable time (the decoder's own code), then the next record is read.
        #expect(r.stderr.contains("audit.jsonl:1: error:"), "\(r.stderr)")
        #expect(r.stderr.contains("[decode.missing_field]") || r.stderr.contains("[decode.bad_time]"))
        #expect(r.stdout.contains("a-2"))
    }
}
