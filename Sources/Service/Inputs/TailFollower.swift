import EventModel
import Ingest
import Runtime
import StateStore

#if canImport(Glibc)
    import Glibc
#endif

/// Follows one growing JSON-lines file like `tail -F`: reads what is appended
/// (complete lines only), and survives rotation by rename (the old file is
/// read to its end through the descriptor still open, then the new one from
/// its start), by copy-truncate (the lines appended before the truncation
/// are read from the copy next to it), a rotated file that gets gzipped, and
/// a file deleted and recreated. After a restart it resumes at the saved
/// offset if the file still has the saved fingerprint, else finds the file it
/// was reading among the rotated siblings (plain or gzip) and reads its rest first.
final class TailFollower {
    /// Followed path.
    let path: String
    private let options: IngestOptions
    private let decoder: FileDecoder
    private let note: (Diagnostic) -> Void
    private var fd: Int32 = -1
    private var dev: UInt64 = 0
    private var ino: UInt64 = 0
    private var feeder: LineFeeder
    private var fpLength = 0
    private var fpHash = Fingerprint.hash(UnsafeRawBufferPointer(start: nil, count: 0))
    private var lastSize: Int64 = -1
    private var idlePolls = 0
    private var restored: (InputPosition, TailMark?)?
    private var startAtEnd: Bool
    private var buffer = [UInt8](repeating: 0, count: 256 << 10)
    /// The path no longer names the open file (rotated or deleted); it is read to its end first.
    private(set) var replaced = false

    init(
        path: String, options: IngestOptions, decoder: FileDecoder, saved: InputPosition?, mark: TailMark?,
        startAtEnd: Bool, note: @escaping (Diagnostic) -> Void
    ) {
        self.path = path
        self.options = options
        self.decoder = decoder
        self.note = note
        self.startAtEnd = startAtEnd && saved == nil
        self.feeder = LineFeeder(path: path, options: options, decoder: decoder)
        if let saved { restored = (saved, mark) }
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Bytes known to be waiting (file size minus bytes read), for the lag metric.
    var backlog: Int64 { fd < 0 ? 0 : max(0, lastSize - feeder.streamOffset) }

    /// What to save at a checkpoint: the offset after the last complete line and the mark.
    var checkpoint: (InputPosition, TailMark)? {
        if fd < 0, let (pos, mark) = restored { return mark.map { (pos, $0) } }
        guard fd >= 0 else { return nil }
        let mark = TailMark(
            fingerprintLength: fpLength, fingerprint: fpHash, lineBase: feeder.lineBase,
            recordBase: feeder.recordBase)
        return (InputPosition(path: path, offset: feeder.consumed, size: max(0, lastSize)), mark)
    }

    /// Reads what is new (at most about `budget` bytes); returns the bytes read.
    func poll(budget: Int, _ handle: (DecodedItem) -> Void) -> Int64 {
        if fd < 0 && !open(handle) { return 0 }
        let got = readAvailable(budget, handle)
        checkTruncation(handle)
        if got == 0 { checkReplaced(handle) } else { idlePolls = 0 }
        refreshFingerprint()
        return got
    }

    private func readAvailable(_ budget: Int, _ handle: (DecodedItem) -> Void) -> Int64 {
        var total: Int64 = 0
        while total < budget {
            let at = feeder.streamOffset
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(at)) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            buffer.withUnsafeBytes { feeder.push(UnsafeRawBufferPointer(rebasing: $0[..<n]), handle) }
            total += Int64(n)
        }
        return total
    }

    /// Opens the path (first time, or the file that replaced a rotated one).
    private func open(_ handle: (DecodedItem) -> Void) -> Bool {
        let f = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard f >= 0 else { return false }
        var st = stat()
        fstat(f, &st)
        fd = f
        dev = UInt64(st.st_dev)
        ino = UInt64(st.st_ino)
        lastSize = Int64(st.st_size)
        replaced = false
        idlePolls = 0
        fpLength = 0
        fpHash = Fingerprint.hash(UnsafeRawBufferPointer(start: nil, count: 0))
        if let (pos, mark) = restored {
            restored = nil
            resume(pos, mark, handle)
        } else if startAtEnd {
            startAtEnd = false
            skipToEnd()
        } else {
            feeder = LineFeeder(path: path, options: options, decoder: decoder)
        }
        refreshFingerprint()
        return true
    }

    /// Resumes at a saved position if the file is still the one it was saved for.
    private func resume(_ pos: InputPosition, _ mark: TailMark?, _ handle: (DecodedItem) -> Void) {
        let same =
            lastSize >= pos.offset
            && (mark == nil || Fingerprint.of(fd: fd, length: mark!.fingerprintLength) == mark!.fingerprint)
        if same {
            feeder = LineFeeder(
                path: path, options: options, decoder: decoder, consumed: pos.offset,
                lineBase: mark?.lineBase ?? 0, recordBase: mark?.recordBase ?? 0)
            return
        }
        feeder = LineFeeder(path: path, options: options, decoder: decoder)
        guard let mark, pos.offset > 0 else { return }
        if let from = drainSibling(mark: mark, offset: pos.offset, handle) {
            note(
                Diagnostic(
                    origin: Origin(path: path, record: 0), level: .note, code: "tail.resumed_rotated",
                    message:
                        "rotated while stopped: read the rest of the file from \(from) (from byte \(pos.offset)), then this one from its start"
                ))
        } else {
            note(
                Diagnostic(
                    origin: Origin(path: path, record: 0), level: .warning, code: "tail.position_lost",
                    message:
                        "the file read up to byte \(pos.offset) at the last checkpoint is no longer here nor next to it (rotated and removed?); reading this file from its start"
                ))
        }
    }

    /// Finds the rotated sibling with the saved fingerprint and reads it from `offset` to its end.
    private func drainSibling(mark: TailMark, offset: Int64, _ handle: (DecodedItem) -> Void) -> String? {
        for s in StreamSource.rotatedSiblings(of: path)
        where Fingerprint.of(path: s, length: mark.fingerprintLength) == mark.fingerprint {
            let f = LineFeeder(
                path: s, options: options, decoder: decoder, consumed: offset, lineBase: mark.lineBase,
                recordBase: mark.recordBase)
            StreamSource.read(path: s, from: offset) { chunk in
                f.push(chunk, handle)
                return true
            }
            f.flush(handle)
            return s
        }
        return nil
    }

    /// `start: end`: skips what the file holds now (counting its lines so origins stay exact).
    private func skipToEnd() {
        var lines = 0
        var at: Int64 = 0
        var lastNewline: Int64 = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(at)) }
            if n <= 0 { break }
            buffer.withUnsafeBytes { b in
                for i in 0..<n where b[i] == 0x0a {
                    lines += 1
                    lastNewline = at + Int64(i) + 1
                }
            }
            at += Int64(n)
        }
        feeder = LineFeeder(path: path, options: options, decoder: decoder, consumed: lastNewline, lineBase: lines)
    }

    /// In-place truncation (copy-truncate): smaller than what was read, or different first bytes.
    private func checkTruncation(_ handle: (DecodedItem) -> Void) {
        var st = stat()
        guard fstat(fd, &st) == 0 else { return }
        let size = Int64(st.st_size)
        defer { lastSize = size }
        let shrunk = size < feeder.streamOffset
        let rewritten =
            !shrunk && size != lastSize && fpLength > 0
            && Fingerprint.of(fd: fd, length: fpLength) != fpHash
        guard shrunk || rewritten else { return }
        let mark = TailMark(
            fingerprintLength: fpLength, fingerprint: fpHash, lineBase: feeder.lineBase,
            recordBase: feeder.recordBase)
        let from = drainSibling(mark: mark, offset: feeder.consumed, handle)
        if from == nil { feeder.flush(handle) }
        note(
            Diagnostic(
                origin: Origin(path: path, record: 0), level: .note, code: "tail.truncated",
                message: "truncated after byte \(feeder.consumed) (copy-truncate rotation)"
                    + (from.map { "; read the lines appended before it from \($0)" } ?? "")
                    + "; reading it again from its start"))
        feeder = LineFeeder(path: path, options: options, decoder: decoder)
        feeder.stripLeadingNUL = true
        fpLength = 0
        fpHash = Fingerprint.hash(UnsafeRawBufferPointer(start: nil, count: 0))
    }

    /// Rotation by rename, or delete and recreate: once the old file has been
    /// quiet for two polls and a new file exists, finish the old one and follow the new one.
    private func checkReplaced(_ handle: (DecodedItem) -> Void) {
        var st = stat()
        let exists = stat(path, &st) == 0
        replaced = !exists || UInt64(st.st_ino) != ino || UInt64(st.st_dev) != dev
        guard replaced else { return }
        idlePolls += 1
        guard exists, idlePolls >= 2 else { return }
        feeder.flush(handle)
        note(
            Diagnostic(
                origin: Origin(path: path, record: 0), level: .note, code: "tail.rotated",
                message:
                    "replaced (rotation or delete and recreate): read the old file to its end (\(feeder.consumed) bytes); following the new one"
            ))
        close(fd)
        fd = -1
        _ = open(handle)
    }

    /// Extends the fingerprint while the file is shorter than `Fingerprint.maxLength`.
    private func refreshFingerprint() {
        guard fd >= 0, fpLength < Fingerprint.maxLength, lastSize > Int64(fpLength) else { return }
        let n = Int(min(Int64(Fingerprint.maxLength), lastSize))
        if let h = Fingerprint.of(fd: fd, length: n) {
            fpLength = n
            fpHash = h
        }
    }
}
