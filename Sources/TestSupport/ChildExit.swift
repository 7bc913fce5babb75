import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child process that had not exited when its test stopped waiting: it was killed, and the
/// error names it, so a hang fails one test with its command line instead of stalling the run.
public struct ChildTimeout: Error, CustomStringConvertible {
    /// The command line, for the failure message.
    public let command: String
    /// How long the test waited.
    public let seconds: Double

    /// What the failing test prints.
    public var description: String { "\(command) did not exit within \(String(format: "%g", seconds)) s; killed" }
}

/// The exit of a child started by `Process.start()`: the termination handler, installed before
/// the start so that a fast exit cannot be missed, signals a semaphore that `wait` takes.
///
/// Why not `Process.waitUntilExit` alone: it has no bound, so one child that never exits stalls
/// the whole run (CI's 90 minutes ran out once with every test green so far). Every synchronous
/// wait in the tests goes through here, is bounded, and ends with `releaseExited`.
public final class ChildExit: @unchecked Sendable {
    /// Generous for the slowest child (a release-tarball demo on a loaded CI machine); a hang
    /// still leaves most of CI's time to the other tests.
    public static let defaultTimeout: Double = 600

    /// The started process.
    public let process: Process
    private let exited: DispatchSemaphore

    fileprivate init(_ process: Process, exited: DispatchSemaphore) {
        self.process = process
        self.exited = exited
    }

    /// Waits for the exit and returns the status. After `timeout` seconds the child is killed
    /// (SIGKILL) and `ChildTimeout` thrown. Waiting again after an exit returns at once.
    @discardableResult
    public func wait(timeout: Double = ChildExit.defaultTimeout) throws -> Int32 {
        let deadline = DispatchTime.now() + timeout
        // The handler's signal is the expected wake-up; `isRunning` is checked as well, so a
        // missed handler costs a tenth of a second, not the whole timeout.
        while exited.wait(timeout: .now() + 0.1) == .timedOut {
            if !process.isRunning { return finish() }
            if DispatchTime.now() >= deadline { return try kill(after: timeout) }
        }
        exited.signal()  // later waits return at once
        return finish()
    }

    private func finish() -> Int32 {
        // `isRunning` turns false just before the handler runs; the status is set by then.
        process.releaseExited()
        return process.terminationStatus
    }

    private func kill(after timeout: Double) throws -> Int32 {
        Glibc.kill(process.processIdentifier, SIGKILL)
        _ = exited.wait(timeout: .now() + 10)
        let words = [process.executableURL?.path ?? "?"] + (process.arguments ?? [])
        throw ChildTimeout(command: words.joined(separator: " "), seconds: timeout)
    }
}

extension Process {
    /// Frees what Foundation keeps for a child until someone calls `waitUntilExit`: a process
    /// waited for any other way (a termination handler, polling `isRunning`) was kept for ever
    /// with its pipes, and the suite's children made `Process.run` crash once about 4,000
    /// descriptors were open (measured: 200 children with a pipe, polled → 200 descriptors; with
    /// this, 0).
    /// Does nothing while the child runs, so it never blocks.
    public func releaseExited() {
        if !isRunning { waitUntilExit() }
    }

    /// Starts the process with its exit signalled rather than polled (`ChildExit`).
    public func start() throws -> ChildExit {
        // The handler holds the semaphore only, not the `ChildExit`: that holds the process, which
        // holds the handler, a reference cycle. (What kept processes and their pipes open was
        // the missing `waitUntilExit`; `finish` calls `releaseExited` for that.)
        let exited = DispatchSemaphore(value: 0)
        let previous = terminationHandler
        terminationHandler = { p in
            previous?(p)
            exited.signal()
        }
        try run()
        return ChildExit(self, exited: exited)
    }

    /// Starts the process and waits, at most `timeout` seconds, for its exit status.
    @discardableResult
    public func runToExit(timeout: Double = ChildExit.defaultTimeout) throws -> Int32 {
        try start().wait(timeout: timeout)
    }
}
