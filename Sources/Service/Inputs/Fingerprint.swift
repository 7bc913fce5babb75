import EventModel
import Foundation
import Ingest

#if canImport(Glibc)
    import Glibc
#endif

/// Recognises a followed file by its first bytes rather than by its name or
/// inode: a file renamed by rotation keeps its fingerprint, a file gzipped
/// after rotation keeps it in its decompressed bytes, a truncated or replaced
/// file loses it. Bytes already in a log file never change (only appends,
/// truncation or replacement), so the first `maxLength` bytes are stable.
enum Fingerprint {
    /// Bytes hashed (enough to cover the first record's time and ids).
    static let maxLength = 4096

    /// FNV-1a of `bytes`, as 16 hex digits.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> String {
        var h = FNV1a()
        h.add(bytes)
        let s = String(h.value, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    /// Hash of the first `length` bytes of an open file; nil when it is shorter.
    static func of(fd: Int32, length: Int) -> String? {
        guard length > 0 else { return hash(UnsafeRawBufferPointer(start: nil, count: 0)) }
        var buf = [UInt8](repeating: 0, count: length)
        let got = buf.withUnsafeMutableBytes { preadFully(fd, $0.baseAddress!, length, 0) }
        guard got == length else { return nil }
        return buf.withUnsafeBytes { hash($0) }
    }

    /// Hash of the first `length` decompressed bytes of a (possibly gzipped) file at `path`.
    static func of(path: String, length: Int) -> String? {
        var prefix: [UInt8] = []
        _ = StreamSource.read(path: path, from: 0) { chunk in
            prefix.append(contentsOf: chunk.prefix(length - prefix.count))
            return prefix.count < length
        }
        guard prefix.count == length else { return nil }
        return prefix.withUnsafeBytes { hash($0) }
    }
}

/// Reads a whole file's (decompressed) bytes from a position: plain or gzip,
/// recognised by content. Used to drain the rest of a rotated file found next
/// to a followed one after a restart or a copy-truncate.
enum StreamSource {
    /// Calls `body` with decompressed chunks starting at byte `from`; `body`
    /// returns false to stop. Returns the decompressed bytes delivered.
    @discardableResult
    static func read(path: String, from: Int64, _ body: (UnsafeRawBufferPointer) -> Bool) -> Int64 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        // A rotated log being drained is ours to finish, whatever its size (no cap).
        let inflater = Inflater(path: path, options: IngestOptions(maxDecompressedBytes: .max))
        var buf = [UInt8](repeating: 0, count: 256 << 10)
        var position: Int64 = 0
        var delivered: Int64 = 0
        var more = true
        func sink(_ out: UnsafeRawBufferPointer) {
            guard more else { return }
            let start = max(0, Int(from - position))
            position += Int64(out.count)
            guard start < out.count else { return }
            let part = UnsafeRawBufferPointer(rebasing: out[start...])
            delivered += Int64(part.count)
            more = body(part)
        }
        while more {
            let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            _ = buf.withUnsafeBytes {
                inflater.push(UnsafeRawBufferPointer(rebasing: $0[..<n]), onOutput: sink, onDiagnostic: { _ in })
            }
        }
        if more { inflater.finish(onOutput: sink, onDiagnostic: { _ in }) }
        return delivered
    }

    /// Files next to `path` whose name starts with its name (`app.log.1`,
    /// `app.log.1.gz`, `app.log-20260301`), newest first, at most 32.
    static func rotatedSiblings(of path: String) -> [String] {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        let base = url.lastPathComponent
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        var found: [(String, Int)] = []
        for n in names where n != base && n.hasPrefix(base) {
            let p = dir + "/" + n
            var st = stat()
            guard stat(p, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
            found.append((p, Int(st.st_mtim.tv_sec)))
        }
        return found.sorted { $0.1 > $1.1 }.prefix(32).map(\.0)
    }
}

/// `pread` until `count` bytes or end of file; returns the bytes read.
func preadFully(_ fd: Int32, _ buf: UnsafeMutableRawPointer, _ count: Int, _ offset: Int64) -> Int {
    var got = 0
    while got < count {
        let n = pread(fd, buf + got, count - got, off_t(offset) + off_t(got))
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { break }
        got += n
    }
    return got
}
