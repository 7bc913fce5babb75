#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

import EventModel

/// Unbuffered-enough writes to stdout/stderr without Foundation, plus tty detection.
public enum Terminal {
    /// True when stderr is a terminal (progress bars only then).
    public static var stderrIsTTY: Bool { isatty(2) == 1 }

    /// Writes a line to stderr.
    public static func err(_ line: String) {
        var s = line
        s += "\n"
        s.withUTF8 { _ = writeAll(2, $0) }
    }

    /// Writes raw text to stderr (no newline added).
    public static func errRaw(_ text: String) {
        var s = text
        s.withUTF8 { _ = writeAll(2, $0) }
    }

    /// Writes to a descriptor until all bytes are out; false on error (e.g. EPIPE).
    @discardableResult
    public static func writeAll(_ fd: Int32, _ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        var off = 0
        while off < buf.count {
            let n = write(fd, buf.baseAddress! + off, buf.count - off)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            off += n
        }
        return true
    }
}

/// Buffered stdout writer (findings can be many; one syscall per line is slow).
public final class OutputBuffer {
    private var buffer = ByteWriter(capacity: 1 << 16 + 8192)
    private let fd: Int32
    /// Set when a write failed (closed pipe, full disk); further output is dropped.
    public private(set) var failed = false
    /// Why the write failed, unless the reader went away (EPIPE: `| head` is no error worth a message).
    public private(set) var failure: String?

    /// Creates a buffer over a file descriptor (1 = stdout).
    public init(fd: Int32 = 1) {
        self.fd = fd
    }

    /// Appends a line.
    public func line(_ s: String) {
        buffer.append(utf8: s)
        buffer.append(10)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Appends a line that `write` puts straight into the buffer (no string in between: a
    /// finding's JSON is built in place).
    public func line(_ write: (inout ByteWriter) -> Void) {
        write(&buffer)
        buffer.append(10)
        if buffer.count >= 1 << 16 { flush() }
    }

    /// Writes out what is buffered.
    public func flush() {
        guard !failed, !buffer.isEmpty else { buffer.removeAll(); return }
        let ok = buffer.withBytes { Terminal.writeAll(fd, $0) }
        if !ok {
            failed = true
            if errno != EPIPE { failure = String(cString: strerror(errno)) }
        }
        buffer.removeAll()
    }
}
