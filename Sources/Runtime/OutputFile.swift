#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

import EventModel

/// A file the user named for output (`scan --events-out`, `investigate --output`).
///
/// Output paths are written as an operator would expect, never destructively:
/// - a regular file (or a new one) is written to a temporary file beside it and
///   renamed over it on `commit()`, keeping the old file's mode (a 0600 file stays
///   0600); a failed write leaves the old file untouched;
/// - a symbolic link is followed: its target is replaced, the link stays;
/// - a device, FIFO or socket (`/dev/null`, `/dev/stdout`, a named pipe) and `-`
///   (stdout) are written as a stream and never replaced by a regular file.
///
/// Every I/O error is kept (the first one) and reported by `commit()` as a
/// `Failure` naming the file; nothing here traps.
public final class OutputFile {
    /// An output error, with the path the user gave and the system's reason.
    public struct Failure: Error, CustomStringConvertible, Equatable {
        /// The path as given on the command line.
        public var path: String
        /// What went wrong (`strerror` text or a sentence).
        public var reason: String
        /// The stable code of every output error.
        public static let code = "output.write"
        /// One line for stderr, in the diagnostics' form.
        public var description: String {
            TerminalText.escape(path) + ": error: cannot write: \(reason) [\(Self.code)]"
        }
    }

    /// The path as given.
    public let path: String
    private let fd: Int32
    private let ownsFD: Bool
    /// Temporary file renamed over `target` on commit (regular files only).
    private let temp: String?
    private let target: String
    private let mode: mode_t
    private var buffer: [UInt8] = []
    private var failure: Failure?
    private var finished = false

    private init(path: String, fd: Int32, ownsFD: Bool, temp: String?, target: String, mode: mode_t) {
        self.path = path
        self.fd = fd
        self.ownsFD = ownsFD
        self.temp = temp
        self.target = target
        self.mode = mode
        buffer.reserveCapacity(1 << 16)
    }

    /// Opens `path` for output as described on the type. Throws when it cannot be
    /// written at all (directory missing, permission, a directory named).
    public static func open(_ path: String) throws(Failure) -> OutputFile {
        if path == "-" { return OutputFile(path: path, fd: 1, ownsFD: false, temp: nil, target: path, mode: 0) }
        let target = try resolve(path)
        var st = stat()
        if stat(target, &st) == 0 {
            let kind = st.st_mode & S_IFMT
            if kind == S_IFDIR { throw Failure(path: path, reason: "is a directory") }
            if kind != S_IFREG { return try stream(path, target) }
            return try replacing(path, target, mode: st.st_mode & 0o7777)
        }
        let mask = umask(0)
        umask(mask)
        return try replacing(path, target, mode: 0o666 & ~mask)
    }

    /// Follows symbolic links so the link survives; a dangling link is refused.
    private static func resolve(_ path: String) throws(Failure) -> String {
        var lst = stat()
        guard lstat(path, &lst) == 0, lst.st_mode & S_IFMT == S_IFLNK else { return path }
        guard let real = realpath(path, nil) else {
            throw Failure(path: path, reason: "a symbolic link whose target does not exist")
        }
        defer { free(real) }
        return String(cString: real)
    }

    private static func stream(_ path: String, _ target: String) throws(Failure) -> OutputFile {
        let fd = posixOpen(target, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(path: path, reason: lastError()) }
        return OutputFile(path: path, fd: fd, ownsFD: true, temp: nil, target: target, mode: 0)
    }

    private static func replacing(_ path: String, _ target: String, mode: mode_t) throws(Failure) -> OutputFile {
        let slash = target.lastIndex(of: "/")
        let dir = slash.map { String(target[..<$0]) } ?? "."
        let base = slash.map { String(target[target.index(after: $0)...]) } ?? target
        var template = Array("\(dir.isEmpty ? "/" : dir)/.\(base).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw Failure(path: path, reason: lastError()) }
        let temp = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return OutputFile(path: path, fd: fd, ownsFD: true, temp: temp, target: target, mode: mode)
    }

    /// Appends bytes (buffered); after an error further writes are dropped.
    public func write<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        guard failure == nil else { return }
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { flush() }
    }

    /// Appends a string's UTF-8.
    public func write(_ text: String) { write(text.utf8) }

    /// True once a write has failed (the message comes from `commit()`).
    public var failed: Bool { failure != nil }

    /// Writes out the buffer; keeps the first error.
    public func flush() {
        guard failure == nil, !buffer.isEmpty else { return }
        let ok = buffer.withUnsafeBufferPointer { Terminal.writeAll(fd, $0) }
        buffer.removeAll(keepingCapacity: true)
        if !ok { failure = Failure(path: path, reason: OutputFile.lastError()) }
    }

    /// Flushes, syncs and puts the file in place; throws the first error of the
    /// whole write. On error a temporary file is removed and the old file kept.
    public func commit() throws(Failure) {
        guard !finished else { if let failure { throw failure }; return }
        finished = true
        flush()
        if failure == nil, temp != nil {
            if fchmod(fd, mode) != 0 || fsync(fd) != 0 {
                failure = Failure(path: path, reason: OutputFile.lastError())
            }
        }
        if ownsFD, close(fd) != 0, failure == nil { failure = Failure(path: path, reason: OutputFile.lastError()) }
        if let temp {
            if failure == nil, rename(temp, target) != 0 {
                failure = Failure(path: path, reason: OutputFile.lastError())
            }
            if failure != nil { unlink(temp) }
        }
        if let failure { throw failure }
    }

    /// Gives up: removes the temporary file, keeps whatever was there before.
    public func abandon() {
        guard !finished else { return }
        finished = true
        if ownsFD { close(fd) }
        if let temp { unlink(temp) }
    }

    deinit { abandon() }

    private static func lastError() -> String { String(cString: strerror(errno)) }
}

/// `open(2)`, reachable from inside `OutputFile` whose own `open` shadows it.
private func posixOpen(_ path: String, _ flags: Int32) -> Int32 { open(path, flags) }
