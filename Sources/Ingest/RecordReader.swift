import EventModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What reading one input produced.
public struct FileStats: Sendable, Hashable {
    /// Bytes read from the file (less than its size if reading stopped early).
    public var compressedBytes: Int64 = 0
    /// Bytes after decompression (equal to `compressedBytes` for plain input).
    public var decompressedBytes: Int64 = 0
    /// Records handed to `onRecord`.
    public var records = 0
    /// Diagnostics handed to `onDiagnostic`.
    public var diagnostics = 0
    /// Framing diagnostics over `IngestOptions.maxDiagnosticsPerFile`, counted but not handed out.
    public var suppressedDiagnostics = 0
    /// Whether the input was gzip.
    public var wasGzip = false

    /// Creates empty stats.
    public init() {}
}

/// Reads inputs end to end: file descriptor → `Inflater` → `Framer` →
/// `onRecord`, in `chunkSize` steps, so memory stays bounded by
/// `2 * chunkSize + maxRecordBytes` whatever the file size.
///
/// Buffers and zlib state are allocated once and reused for every file, which
/// matters for archives of millions of small files. Not thread-safe: use one
/// reader per thread.
public final class RecordReader {
    /// Limits in force.
    public let options: IngestOptions
    private let inflater: Inflater
    private let framer: Framer
    private let buffer: UnsafeMutableRawBufferPointer

    /// Creates a reader.
    public init(options: IngestOptions = IngestOptions()) {
        self.options = options
        inflater = Inflater(options: options)
        framer = Framer(options: options)
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: options.chunkSize, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// Reads one input (a file, or stdin when `file.isStdin`). Records and
    /// diagnostics are delivered in stream order; the record buffer is only
    /// valid during the `onRecord` call. `onProgress` gets the compressed bytes
    /// read so far after every chunk. Open failures become `input.not_found` /
    /// `input.unreadable` and return empty stats.
    @discardableResult
    public func read(
        _ file: InputFile,
        onProgress: ((Int64) -> Void)? = nil,
        onRecord: (UnsafeRawBufferPointer, RecordInfo) -> Void,
        onDiagnostic: (Diagnostic) -> Void
    ) -> FileStats {
        if file.isStdin {
            return read(fd: 0, path: file.path, onProgress: onProgress, onRecord: onRecord, onDiagnostic: onDiagnostic)
        }
        if let objects = options.objects?.source, objects.handles(file.path) {
            let stream = objects.open(file.path)
            defer { stream.close() }
            return read(
                path: file.path, onProgress: onProgress, next: { stream.read(into: $0) }, onRecord: onRecord,
                onDiagnostic: onDiagnostic)
        }
        let fd = open(file.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let err = errno
            let code = err == ENOENT ? "input.not_found" : "input.unreadable"
            onDiagnostic(
                Diagnostic(
                    origin: Origin(path: file.path, record: 0), code: code,
                    message: "cannot open: \(String(cString: strerror(err)))"))
            var stats = FileStats()
            stats.diagnostics = 1
            return stats
        }
        defer { close(fd) }
        #if os(Linux)
            _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_SEQUENTIAL))
        #endif
        return read(fd: fd, path: file.path, onProgress: onProgress, onRecord: onRecord, onDiagnostic: onDiagnostic)
    }

    /// Reads an already open descriptor to its end (it is not closed); `path`
    /// labels origins and diagnostics. A read error becomes `input.unreadable`
    /// and keeps what was read before it.
    @discardableResult
    public func read(
        fd: Int32,
        path: String,
        onProgress: ((Int64) -> Void)? = nil,
        onRecord: (UnsafeRawBufferPointer, RecordInfo) -> Void,
        onDiagnostic: (Diagnostic) -> Void
    ) -> FileStats {
        var total: Int64 = 0
        return read(
            path: path, onProgress: onProgress,
            next: { buffer in
                while true {
                    let got = systemRead(fd, buffer.baseAddress, buffer.count)
                    if got > 0 { total += Int64(got) }
                    if got >= 0 { return got == 0 ? .end : .bytes(got) }
                    let err = errno
                    if err == EINTR { continue }
                    return .failed(
                        code: "input.unreadable",
                        message: "read failed after \(total) bytes: " + String(cString: strerror(err)))
                }
            }, onRecord: onRecord, onDiagnostic: onDiagnostic)
    }

    /// Reads a stream of chunks to its end: `next` fills the buffer it is given and says how
    /// many bytes it put there, that the stream ended, or that it failed (reported with its
    /// code; what was read before is kept). Files, pipes and object-store bodies all come here,
    /// so inflating and framing never know where the bytes are from.
    @discardableResult
    public func read(
        path: String,
        onProgress: ((Int64) -> Void)? = nil,
        next: (UnsafeMutableRawBufferPointer) -> ChunkRead,
        onRecord: (UnsafeRawBufferPointer, RecordInfo) -> Void,
        onDiagnostic: (Diagnostic) -> Void
    ) -> FileStats {
        inflater.reset(path: path)
        framer.reset(path: path)
        var stats = FileStats()
        var readFailed = false
        let framer = self.framer
        func diagnose(_ d: Diagnostic) {
            stats.diagnostics += 1
            onDiagnostic(d)
        }
        func frame(_ chunk: UnsafeRawBufferPointer) {
            framer.push(chunk, onRecord: onRecord, onDiagnostic: diagnose)
        }
        reading: while true {
            let got: Int
            switch next(buffer) {
            case .end: break reading
            case .bytes(let n): got = min(n, buffer.count)
            case .failed(let code, let message):
                readFailed = true
                diagnose(Diagnostic(origin: Origin(path: path, record: 0), code: code, message: message))
                break reading
            }
            if got == 0 { continue }
            stats.compressedBytes += Int64(got)
            let more = inflater.push(
                UnsafeRawBufferPointer(start: buffer.baseAddress, count: got),
                onOutput: frame, onDiagnostic: diagnose)
            onProgress?(stats.compressedBytes)
            if !more { break }
        }
        if !inflater.stopped { inflater.finish(onOutput: frame, onDiagnostic: diagnose) }
        framer.finish(
            reportTruncation: !inflater.reportedProblem && !readFailed, onRecord: onRecord, onDiagnostic: diagnose)
        stats.decompressedBytes = inflater.producedBytes
        stats.records = framer.recordsEmitted
        stats.suppressedDiagnostics = framer.suppressedDiagnostics
        stats.wasGzip = inflater.format == .gzip
        return stats
    }
}

/// The C `read`, which the `read` methods above would otherwise shadow.
private func systemRead(_ fd: Int32, _ buf: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
        Glibc.read(fd, buf, count)
    #else
        Darwin.read(fd, buf, count)
    #endif
}
