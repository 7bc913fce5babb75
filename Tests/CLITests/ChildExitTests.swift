import Foundation
import TestSupport
import Testing

/// The tests' one way of waiting for a child process (`ChildExit`): it returns the real status,
/// survives many children exiting at once, and turns a hang into a named failure.
@Suite("Waiting for child processes") struct ChildExitTests {
    private static func shell(_ script: String) -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", script]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        return p
    }

    @Test func theExitStatusIsTheChildsOwn() throws {
        #expect(try Self.shell("exit 0").runToExit(timeout: 30) == 0)
        #expect(try Self.shell("exit 3").runToExit(timeout: 30) == 3)
        let exit = try Self.shell("exit 7").start()
        #expect(try exit.wait(timeout: 30) == 7)
        #expect(try exit.wait(timeout: 1) == 7, "a second wait returns at once")
    }

    @Test func manyChildrenExitingTogetherAreAllSeen() async throws {
        // 8 threads × 25 children, each exiting at once with its own status: every wait returns it.
        let statuses = try await withThrowingTaskGroup(of: [Int32].self) { group in
            for t in 0..<8 {
                group.addTask {
                    try (0..<25).map { i in try Self.shell("exit \((t * 25 + i) % 200)").runToExit(timeout: 60) }
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(statuses.sorted() == (0..<200).map { Int32($0) })
    }

    /// Foundation keeps each child (and so its pipes) until `waitUntilExit` is called; waited for
    /// any other way, the suite's children once held 4,000 descriptors and `Process.run` crashed.
    @Test func waitedChildrenLeaveNoDescriptorBehind() throws {
        func open() -> Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0 }
        let before = open()
        for _ in 0..<400 {
            // With a pipe, as the tests that read a child's output have: a process Foundation
            // keeps holds its pipe open.
            let p = Self.shell("exec echo hi")
            let out = Pipe()
            p.standardOutput = out
            let exit = try p.start()
            _ = out.fileHandleForReading.readDataToEndOfFile()
            #expect(try exit.wait(timeout: 60) == 0)
        }
        // Other tests open files meanwhile (the whole suite peaks near 100); a leak adds 400.
        #expect(open() - before < 200, "\(open() - before) descriptors more after 400 children")
    }

    @Test func aChildThatDoesNotExitIsKilledAndNamed() throws {
        let p = Self.shell("exec sleep 30")
        let started = Date()
        #expect {
            try p.runToExit(timeout: 0.5)
        } throws: { error in
            "\(error)" == "/bin/sh -c exec sleep 30 did not exit within 0.5 s; killed"
        }
        #expect(Date().timeIntervalSince(started) < 15)
        #expect(!p.isRunning)
    }
}
