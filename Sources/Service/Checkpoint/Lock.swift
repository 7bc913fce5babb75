import Foundation

/// A value guarded by a lock, shared between the engine thread, the sink
/// threads and the HTTP server's tasks.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value.
    func with<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

/// Wakes a waiting thread early (new outbox rows, stop, reload) or lets it
/// sleep until a deadline.
final class Wakeup: @unchecked Sendable {
    private let cond = NSCondition()
    private var signalled = false

    /// Wakes the waiter (or makes its next wait return at once).
    func signal() {
        cond.lock()
        signalled = true
        cond.broadcast()
        cond.unlock()
    }

    /// Waits until signalled or `seconds` have passed.
    func wait(seconds: Double) {
        cond.lock()
        if !signalled { _ = cond.wait(until: Date(timeIntervalSinceNow: seconds)) }
        signalled = false
        cond.unlock()
    }
}
