#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The exclusive lock a writer holds on a state file for its whole run.
///
/// Two writers on one state file (two `scan --state`, or a `scan` beside a
/// `watch`) would each save their own view and the last save would win, losing
/// baselines silently. The lock is `flock(2)` on `STATE.lock` beside the file,
/// which holds the writer's PID so the second process can say who has it. The
/// kernel drops the lock when the process dies (even by `kill -9`), so a stale
/// lock file never blocks a restart. Readers (`baseline show|list|export`) do not
/// take it: SQLite's WAL mode lets them read while a writer writes.
final class StateLock {
    private var fd: Int32
    /// Path of the lock file.
    let path: String

    /// Takes the lock or throws `state.locked` naming the holder's PID.
    init(statePath: String) throws(StateError) {
        path = statePath + ".lock"
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw StateError(
                code: "state.open", message: "cannot create lock file \(path): \(String(cString: strerror(errno)))",
                path: statePath)
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = Self.readPID(fd)
            close(fd)
            fd = -1
            throw StateError(
                code: "state.locked",
                message: "state file in use by PID \(holder.map(String.init) ?? "unknown") (lock \(path)); "
                    + "one writer at a time: wait for it or use another state file",
                path: statePath)
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    /// Releases the lock (also on deinit). The file stays: removing it would race a waiting writer.
    func release() {
        guard fd >= 0 else { return }
        _ = flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }

    private static func readPID(_ fd: Int32) -> Int32? {
        var buf = [UInt8](repeating: 0, count: 32)
        let n = buf.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 31, 0) }
        guard n > 0 else { return nil }
        let text = String(decoding: buf[..<n], as: UTF8.self).trimmingSpaces
        return Int32(text)
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(unicodeScalars.filter { !($0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r") })
    }
}
