import EventModel
import Ingest
import Runtime

#if canImport(Glibc)
    import Glibc
#endif

/// Turns the bytes of a growing JSON-lines stream into decoded items, one
/// complete line at a time: the bytes after the last newline are held until
/// the line is complete, so a record is never read half-written. Line and
/// `Records` element numbers continue across pushes and restarts
/// (`lineBase`, `recordBase`), so origins read `file:line` exactly as a `scan`
/// of the whole file prints them. Memory: at most `maxRecordBytes` held; a
/// longer line is skipped (`frame.too_large`) without buffering it.
final class LineFeeder {
    /// Path used in origins.
    let path: String
    private let framer: Framer
    private let decoder: FileDecoder
    private let maxLine: Int
    private var hold: [UInt8] = []
    private var skipping = false
    private var skippedBytes: Int64 = 0
    /// Stream bytes up to and including the last complete line handed on.
    private(set) var consumed: Int64
    /// Lines before the next complete line.
    private(set) var lineBase: Int
    /// `Records` elements before the next line.
    private(set) var recordBase: Int
    /// Skip NUL bytes at the current position (a writer without O_APPEND
    /// after a copy-truncate leaves a hole of zeros at the start of the file).
    var stripLeadingNUL = false

    init(
        path: String, options: IngestOptions, decoder: FileDecoder, consumed: Int64 = 0, lineBase: Int = 0,
        recordBase: Int = 0
    ) {
        self.path = path
        self.framer = Framer(path: path, options: options)
        self.decoder = decoder
        self.maxLine = options.maxRecordBytes
        self.consumed = consumed
        self.lineBase = lineBase
        self.recordBase = recordBase
    }

    /// Bytes of the stream read so far (complete lines, the held partial line, a skipped long line).
    var streamOffset: Int64 { consumed + Int64(hold.count) + skippedBytes }

    /// Pushes the next bytes of the stream; complete lines are decoded into `handle`.
    func push(_ chunk: UnsafeRawBufferPointer, _ handle: (DecodedItem) -> Void) {
        var c = chunk
        if stripLeadingNUL {
            var k = 0
            while k < c.count && c[k] == 0 { k += 1 }
            consumed += Int64(k)
            c = UnsafeRawBufferPointer(rebasing: c[k...])
            if c.count > 0 { stripLeadingNUL = false }
        }
        guard let base = c.baseAddress, c.count > 0 else { return }
        var last = c.count - 1
        while last >= 0 && c[last] != 0x0a { last -= 1 }
        guard last >= 0 else {
            keep(c)
            return
        }
        _ = base
        var head = UnsafeRawBufferPointer(rebasing: c[...last])
        let tail = UnsafeRawBufferPointer(rebasing: c[head.count...])
        if skipping, let first = memchr(head.baseAddress!, 0x0a, head.count) {
            let n = UnsafeRawPointer(first) - head.baseAddress! + 1
            tooLong(length: skippedBytes + Int64(n), handle)
            head = UnsafeRawBufferPointer(rebasing: head[n...])
        }
        frame(head, handle)
        keep(tail)
    }

    /// Ends the stream (a rotated file that no longer grows): a last line
    /// without newline is handed on as it is.
    func flush(_ handle: (DecodedItem) -> Void) {
        if skipping {
            tooLong(length: skippedBytes, handle)
        } else if !hold.isEmpty {
            frame(UnsafeRawBufferPointer(start: nil, count: 0), handle)
        }
    }

    private func keep(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        if skipping {
            skippedBytes += Int64(bytes.count)
        } else if hold.count + bytes.count > maxLine {
            skipping = true
            skippedBytes = Int64(hold.count + bytes.count)
            hold.removeAll()
        } else {
            hold.append(contentsOf: bytes)
        }
    }

    private func tooLong(length: Int64, _ handle: (DecodedItem) -> Void) {
        handle(
            .diagnostic(
                Diagnostic(
                    origin: Origin(path: path, record: lineBase + 1), code: "frame.too_large",
                    message:
                        "the record on line \(lineBase + 1) is \(length) bytes, over the \(maxLine)-byte limit; skipped it"
                )))
        consumed += length
        lineBase += 1
        skipping = false
        skippedBytes = 0
    }

    /// Frames the held bytes followed by `head` (which ends with a newline, or is empty at the end).
    private func frame(_ head: UnsafeRawBufferPointer, _ handle: (DecodedItem) -> Void) {
        guard head.count > 0 || !hold.isEmpty else { return }
        framer.reset(path: path)
        var maxIndex = 0
        let lines = lineBase, records = recordBase
        func shift(_ o: Origin) -> Origin {
            guard o.record > 0 else { return o }
            return Origin(path: o.path, record: o.record + (o.isLine ? lines : records), isLine: o.isLine)
        }
        func onRecord(_ bytes: UnsafeRawBufferPointer, _ info: RecordInfo) {
            if !info.origin.isLine { maxIndex = max(maxIndex, info.origin.record) }
            decoder.record(bytes, shift(info.origin), isText: info.isText, handle)
        }
        func onDiagnostic(_ d: Diagnostic) {
            var d = d
            d.origin = shift(d.origin)
            handle(.diagnostic(d))
        }
        if !hold.isEmpty { hold.withUnsafeBytes { framer.push($0, onRecord: onRecord, onDiagnostic: onDiagnostic) } }
        framer.push(head, onRecord: onRecord, onDiagnostic: onDiagnostic)
        framer.finish(reportTruncation: true, onRecord: onRecord, onDiagnostic: onDiagnostic)
        consumed += Int64(hold.count + head.count)
        lineBase += framer.line - 1 + (head.count == 0 && !hold.isEmpty ? 1 : 0)
        recordBase += maxIndex
        hold.removeAll(keepingCapacity: hold.capacity <= 1 << 20)
    }
}
