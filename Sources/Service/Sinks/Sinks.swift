import EventModel
import Foundation
import Runtime

#if canImport(Glibc)
    import Glibc
#endif

/// Where committed findings go. A sink delivers outbox entries in sequence
/// order and reports its progress as a `SinkMark`, which the worker stores in
/// the state file after each delivery.
protocol FindingSink: AnyObject {
    /// Stable name (the key of its mark, the `sink` metric label).
    var name: String { get }
    /// Entries below this severity are skipped (counted as delivered).
    var minSeverity: Severity { get }
    /// Reconciles the output with the saved mark after a start or a crash; returns the mark to start from.
    func prepare(saved: SinkMark?, startAfter: Int64) throws -> SinkMark
    /// Delivers `entries` in order, calling `commit` after each durable step.
    /// Returns nil when all were delivered, else a retry delay (seconds).
    func deliver(_ entries: [OutboxEntry], mark: SinkMark, commit: (SinkMark) -> Void) -> Double?
}

/// JSON lines on stdout (the service's default output). Lines are written
/// after the checkpoint that covers them; the mark is stored right after the
/// write, so only a crash between the two (microseconds) can repeat a batch;
/// each line carries `seq` for a consumer that wants to drop such repeats.
final class StdoutSink: FindingSink {
    let name = "stdout"
    let minSeverity: Severity

    init(minSeverity: Severity) { self.minSeverity = minSeverity }

    func prepare(saved: SinkMark?, startAfter: Int64) throws -> SinkMark {
        saved ?? SinkMark(delivered: startAfter)
    }

    func deliver(_ entries: [OutboxEntry], mark: SinkMark, commit: (SinkMark) -> Void) -> Double? {
        var text = ""
        for e in entries where e.severity >= minSeverity.rawValue { text += e.json + "\n" }
        if !text.isEmpty {
            var t = text
            let ok = t.withUTF8 { Terminal.writeAll(1, $0) }
            if !ok { return 1 }  // stdout closed or full: keep the findings in the outbox
        }
        var m = mark
        m.delivered = entries.last!.seq
        commit(m)
        return nil
    }
}

/// JSON lines appended to a file, rotated by size (`path.1` … `path.N`).
/// Exactly once in the file: the mark holds the file's inode and size after
/// each delivery, and lines written after the last stored mark (a crash
/// between the write and the mark) are cut off on start, then written again.
final class FileSinkWriter: FindingSink {
    let name = "file"
    let minSeverity: Severity
    private let config: WatchConfig.FileSink
    private var fd: Int32 = -1
    private var inode: Int64 = 0

    init(config: WatchConfig.FileSink) {
        self.config = config
        self.minSeverity = config.minSeverity
    }

    deinit { if fd >= 0 { close(fd) } }

    func prepare(saved: SinkMark?, startAfter: Int64) throws -> SinkMark {
        try reopen()
        var size = currentSize()
        if let saved, saved.inode == inode, size > saved.size {
            guard ftruncate(fd, off_t(saved.size)) == 0 else { throw SinkError("cannot truncate \(config.path)") }
            size = saved.size
        }
        return SinkMark(delivered: saved?.delivered ?? startAfter, inode: inode, size: size)
    }

    func deliver(_ entries: [OutboxEntry], mark: SinkMark, commit: (SinkMark) -> Void) -> Double? {
        var st = stat()
        if stat(config.path, &st) != 0 || Int64(st.st_ino) != inode { try? reopen() }  // moved away by someone else
        var size = currentSize()
        var text = ""
        var last = mark.delivered
        for e in entries {
            if e.severity >= minSeverity.rawValue {
                let line = e.json + "\n"
                // Rotate before a line that would take the file past the limit (never leave an empty file).
                if size + Int64(text.utf8.count + line.utf8.count) > config.maxBytes
                    && size + Int64(text.utf8.count) > 0
                {
                    guard write(&text, through: last, commit) else { return 1 }
                    guard (try? rotate()) != nil else { return 1 }
                    commit(SinkMark(delivered: last, inode: inode, size: 0))
                    size = 0
                }
                text += line
            }
            last = e.seq
        }
        return write(&text, through: last, commit) ? nil : 1
    }

    /// Appends `text`, then stores the mark (seq, inode, size after the write).
    private func write(_ text: inout String, through seq: Int64, _ commit: (SinkMark) -> Void) -> Bool {
        if !text.isEmpty {
            guard text.withUTF8({ Terminal.writeAll(fd, $0) }) else { return false }
            text = ""
        }
        commit(SinkMark(delivered: seq, inode: inode, size: currentSize()))
        return true
    }

    private func reopen() throws {
        if fd >= 0 { close(fd) }
        fd = open(config.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw SinkError("cannot open \(config.path): \(String(cString: strerror(errno)))") }
        var st = stat()
        fstat(fd, &st)
        inode = Int64(st.st_ino)
    }

    private func currentSize() -> Int64 {
        var st = stat()
        fstat(fd, &st)
        return Int64(st.st_size)
    }

    private func rotate() throws {
        if config.keep == 0 {
            _ = unlink(config.path)
        } else {
            for i in stride(from: config.keep - 1, through: 1, by: -1) {
                _ = rename("\(config.path).\(i)", "\(config.path).\(i + 1)")
            }
            _ = rename(config.path, "\(config.path).1")
        }
        try reopen()
    }
}

/// A sink failure at start.
struct SinkError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
