import EventModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Text records: a line that does not start like JSON is framed whole (up to its newline),
/// so access logs written as text (nginx `combined`, ALB) stream through the same reader,
/// limits and carry buffer as JSON lines. The line is not judged here: the decoder's text
/// formats claim it or report it.
extension Framer {
    /// Scans for the end of the current text line; emits the line when its newline is in this chunk.
    @inline(__always)
    func scanText(
        _ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int, _ s: inout FramerState,
        _ onRecord: (UnsafeRawBufferPointer, RecordInfo) -> Void, _ onDiagnostic: (Diagnostic) -> Void
    ) -> Int {
        guard let q = memchr(p + start, 0x0a, n - start) else { return n }
        let j = UnsafeRawPointer(q).assumingMemoryBound(to: UInt8.self) - p
        emit(p, j, &s, onRecord, onDiagnostic)
        s.inText = false
        s.line += 1
        return j + 1
    }

    /// End of input inside a text line: a complete last line without a newline is a record;
    /// a line cut by a truncated or unreadable input (`reportTruncation` false) is dropped,
    /// since the cut itself was reported.
    func finishText(
        _ reportTruncation: Bool, _ s: inout FramerState,
        _ onRecord: (UnsafeRawBufferPointer, RecordInfo) -> Void, _ onDiagnostic: (Diagnostic) -> Void
    ) {
        defer {
            s.inText = false
            s.inRecord = false
            s.recSkip = false
            s.pending = .none
            clearCarry()
        }
        let length = Int(s.streamOffset - s.recOffset)
        if s.recSkip || length > options.maxRecordBytes {
            _ = reportSkipped(&s, length: length, onDiagnostic)
            return
        }
        guard reportTruncation else { return }
        while let last = carry.last, isBlank(last) { carry.removeLast() }
        guard !carry.isEmpty else { return }
        recordsEmitted += 1
        let info = RecordInfo(origin: recordOrigin(s), line: s.recLine, offset: s.recOffset, isText: true)
        carry.withUnsafeBytes { onRecord($0, info) }
    }
}
