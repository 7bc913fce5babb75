import EventModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Splits a stream of (decompressed) JSON bytes into records, streaming.
///
/// Push chunks of any size; each complete record is handed to `onRecord` as a
/// buffer borrowed for the duration of the call (a view into the chunk, or
/// into a carry buffer when the record spans chunks). The layout is recognized
/// by content, never by file name:
/// - `{"Records":[…]}` (CloudTrail) or `{"records":[…]}` (Azure diagnostic-settings
///   exports: Activity Log, Key Vault, AKS): each array element is a record; the other
///   keys of that object are skipped. The document is never built in memory.
/// - JSON lines, or any sequence of top-level objects: each is a record, also
///   when pretty-printed across lines (a single digest file, one event).
/// - A top-level array: each element is a record (also for JSON lines whose
///   lines are arrays: their elements are the records).
///
/// - Text: a line that does not start a JSON object or array (an access-log line of nginx,
///   an ALB, …) is a record of its own, handed out with `RecordInfo.isText` set; the decoder
///   offers it to the text formats and reports it (`frame.not_json`) when none claims it.
///   A last line without a newline is a record too, unless the input was cut.
///
/// Diagnostics (the rest of the stream is always read):
/// - `frame.too_large`: a record over `maxRecordBytes`; skipped without buffering it and
///   reported with its size when it ends (a `Records` document itself has no size limit).
/// - `frame.too_deep`: a record nested deeper than `maxDepth`; skipped.
/// - `frame.truncated`: input ended inside a record, or (JSON lines) a line
///   ended inside a value or string; the broken value is skipped.
///
/// Only structure is checked (depth, strings, escapes); invalid UTF-8 and
/// malformed values pass through for the parser to judge. Once a one-line
/// value has been seen the input is taken as JSON lines: a newline inside an
/// unfinished value then ends it as broken, so one bad line cannot swallow the
/// next ones. A raw newline inside a string of a top-level value (never valid
/// JSON) does the same in any mode.
///
/// Not thread-safe; reuse one instance per thread through `reset(path:)`.
public final class Framer {
    /// Path used in origins and diagnostics.
    public private(set) var path: String
    /// Records handed out since the last reset.
    public internal(set) var recordsEmitted = 0
    /// Diagnostics handed out since the last reset.
    public internal(set) var diagnosticsReported = 0
    /// Diagnostics over `maxDiagnosticsPerFile`, counted but not handed out.
    public internal(set) var suppressedDiagnostics = 0

    let options: IngestOptions
    var state = FramerState()
    /// The head of a record that started in an earlier chunk; at most `maxRecordBytes`.
    var carry: [UInt8] = []
    private let stringClass: UnsafeMutablePointer<UInt8>
    private let structClass: UnsafeMutablePointer<UInt8>

    /// Creates a framer; `path` only labels origins and diagnostics.
    public init(path: String = "-", options: IngestOptions = IngestOptions()) {
        self.path = path
        self.options = options
        stringClass = Framer.table([0x22, 0x5c, 0x0a])
        structClass = Framer.table([0x22, 0x7b, 0x5b, 0x7d, 0x5d, 0x2c, 0x0a])
    }

    deinit {
        stringClass.deallocate()
        structClass.deallocate()
    }

    /// High bit set in each byte of `x` that is zero (exact up to the first zero byte, which is all we use).
    @inline(__always)
    static func zeroBytes(_ x: UInt64) -> UInt64 {
        (x &- 0x0101_0101_0101_0101) & ~x & 0x8080_8080_8080_8080
    }

    private static func table(_ marked: [UInt8]) -> UnsafeMutablePointer<UInt8> {
        let t = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        t.initialize(repeating: 0, count: 256)
        for b in marked { t[Int(b)] = 1 }
        return t
    }

    /// Current 1-based line in the stream.
    public var line: Int { state.line }
    /// Bytes pushed since the last reset.
    public var bytesConsumed: Int64 { state.streamOffset }

    /// Forgets everything about the previous stream (keeps buffers allocated).
    public func reset(path: String) {
        self.path = path
        state = FramerState()
        recordsEmitted = 0
        diagnosticsReported = 0
        suppressedDiagnostics = 0
        clearCarry()
    }

    /// Frames the next bytes of the stream. Records completed by this chunk go
    /// to `onRecord`; the buffer is only valid during that call.
    public func push(
        _ chunk: UnsafeRawBufferPointer,
        onRecord: (UnsafeRawBufferPointer, RecordInfo) -> Void,
        onDiagnostic: (Diagnostic) -> Void
    ) {
        guard let base = chunk.baseAddress, chunk.count > 0 else { return }
        let p = base.assumingMemoryBound(to: UInt8.self)
        let n = chunk.count
        var s = state
        var i = 0
        while i < n {
            if s.inText {
                i = scanText(p, i, n, &s, onRecord, onDiagnostic)
            } else if s.inString {
                i = scanString(p, i, n, &s, onDiagnostic)
            } else if s.top == .between {
                i = scanBetween(p, i, n, &s, onDiagnostic)
            } else {
                if s.awaitElem {
                    i = startElement(p, i, n, &s)
                    if i == n { break }
                }
                i = scanStructure(p, i, n, &s, onRecord, onDiagnostic)
            }
        }
        carryPartial(p, n, &s)
        s.streamOffset += Int64(n)
        state = s
    }

    /// Ends the stream: reports a record left open (`frame.truncated`, unless
    /// `reportTruncation` is false because the cut was already reported, e.g.
    /// as `gzip.truncated`; a record that is too large or deep is still
    /// reported as such) and drops it; a last text line without a newline goes to `onRecord`.
    /// Call `reset(path:)` before the next stream.
    public func finish(
        reportTruncation: Bool = true, onRecord: (UnsafeRawBufferPointer, RecordInfo) -> Void,
        onDiagnostic: (Diagnostic) -> Void
    ) {
        var s = state
        if s.inText {
            finishText(reportTruncation, &s, onRecord, onDiagnostic)
        } else if s.top != .between {
            let length = Int(s.streamOffset - s.recOffset)
            if s.inRecord && reportSkipped(&s, length: length, onDiagnostic) {
                // The record had a problem of its own (size, depth); that is what counts.
            } else if reportTruncation && s.inRecord {
                report(
                    "frame.truncated", recordOrigin(s),
                    "input ends inside the record that starts on line \(s.recLine); skipped it", onDiagnostic)
            } else if reportTruncation {
                report(
                    "frame.truncated", Origin(path: path, record: s.topLine),
                    "input ends inside the JSON document that starts on line \(s.topLine)", onDiagnostic)
            }
        }
        resetToBetween(&s)
        s.skipLine = false
        state = s
    }

    // MARK: - Hot loop pieces

    @inline(__always)
    private func scanString(
        _ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int, _ s: inout FramerState,
        _ onDiagnostic: (Diagnostic) -> Void
    ) -> Int {
        var i = start
        let t = stringClass
        if s.escapePending {
            s.escapePending = false
            if s.keyTrack { s.keyMatch = -1 }
            if p[i] != 0x0a { i += 1 }
        }
        while i < n {
            let from = i
            // Eight bytes at a time while no `"`, `\\` or newline is among them.
            while i + 8 <= n {
                let w = UInt64(littleEndian: UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self))
                let hit =
                    Framer.zeroBytes(w ^ 0x2222_2222_2222_2222) | Framer.zeroBytes(w ^ 0x5c5c_5c5c_5c5c_5c5c)
                    | Framer.zeroBytes(w ^ 0x0a0a_0a0a_0a0a_0a0a)
                if hit != 0 {
                    i += hit.trailingZeroBitCount >> 3
                    break
                }
                i += 8
            }
            while i < n && t[Int(p[i])] == 0 { i += 1 }
            if s.keyTrack { matchKey(p, from, i, &s) }
            if i == n { return n }
            let c = p[i]
            if c == 0x22 {
                s.inString = false
                if s.keyTrack { endKey(&s) }
                return i + 1
            }
            if c == 0x5c {
                if s.keyTrack { s.keyMatch = -1 }
                if i + 1 == n {
                    s.escapePending = true
                    return n
                }
                i += p[i + 1] == 0x0a ? 1 : 2
                continue
            }
            s.line += 1  // raw newline: never valid inside a JSON string
            if s.linesMode || (s.inRecord && s.recBase == 0) {
                breakLine(&s, "a string", at: i, onDiagnostic)
                return i + 1
            }
            i += 1
        }
        return i
    }

    @inline(__always)
    private func scanStructure(
        _ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int, _ s: inout FramerState,
        _ onRecord: (UnsafeRawBufferPointer, RecordInfo) -> Void, _ onDiagnostic: (Diagnostic) -> Void
    ) -> Int {
        var i = start
        let t = structClass
        while i < n && t[Int(p[i])] == 0 { i += 1 }
        if i == n { return n }
        switch p[i] {
        case 0x22:
            s.inString = true
            if s.depth == 1 && s.top != .array {
                if s.expectKey {
                    s.keyTrack = true
                    s.keyMatch = 0
                } else {
                    s.pendingRecords = false
                }
            }
        case 0x7b, 0x5b:
            openContainer(p[i], &s, onDiagnostic)
        case 0x7d, 0x5d:
            closeContainer(p, i, &s, onRecord, onDiagnostic)
        case 0x2c:
            if s.depth == s.elemDepth {
                if s.inRecord && s.recScalar { emit(p, i, &s, onRecord, onDiagnostic) }
                s.awaitElem = true
            } else if s.depth == 1 && s.top != .array {
                s.expectKey = true
                s.pendingRecords = false
            }
        default:  // newline
            s.line += 1
            if s.linesMode { breakLine(&s, "a JSON value", at: i, onDiagnostic) }
        }
        return i + 1
    }

    @inline(__always)
    private func openContainer(_ c: UInt8, _ s: inout FramerState, _ onDiagnostic: (Diagnostic) -> Void) {
        if s.depth == 1 && s.top != .array {
            if c == 0x5b && s.pendingRecords {
                enterRecords(&s)
                return
            }
            s.pendingRecords = false
        }
        s.depth += 1
        if s.inRecord && s.pending == .none && s.depth - s.recBase > options.maxDepth {
            tooDeep(&s, onDiagnostic)
        }
    }

    @inline(__always)
    private func closeContainer(
        _ p: UnsafePointer<UInt8>, _ i: Int, _ s: inout FramerState,
        _ onRecord: (UnsafeRawBufferPointer, RecordInfo) -> Void, _ onDiagnostic: (Diagnostic) -> Void
    ) {
        if s.depth == s.elemDepth {  // closes the array whose elements are records
            if s.inRecord { emit(p, i, &s, onRecord, onDiagnostic) }
            s.awaitElem = false
            s.elemDepth = 0
        }
        s.depth -= 1
        if s.inRecord && s.depth == s.recBase { emit(p, i + 1, &s, onRecord, onDiagnostic) }
        if s.depth == 0 { endTop(&s) }
    }

    private func scanBetween(
        _ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int, _ s: inout FramerState,
        _ onDiagnostic: (Diagnostic) -> Void
    ) -> Int {
        var i = start
        if s.skipLine {
            guard let q = memchr(p + i, 0x0a, n - i) else { return n }
            i = UnsafeRawPointer(q).assumingMemoryBound(to: UInt8.self) - p
            s.skipLine = false
        }
        while i < n {
            switch p[i] {
            case 0x0a:
                s.line += 1
                i += 1
            case 0x20, 0x09, 0x0d:
                i += 1
            case 0x7b, 0x5b:
                startTop(p[i], i, &s)
                return i + 1
            case 0xef where s.streamOffset + Int64(i) == 0, 0xbb where s.streamOffset + Int64(i) == 1,
                0xbf where s.streamOffset + Int64(i) == 2:
                i += 1  // UTF-8 byte order mark (byte by byte, as it may span chunks)
            default:
                beginRecord(at: i, base: 0, index: 0, &s)
                s.inText = true
                return i
            }
        }
        return i
    }

    /// Skips blanks after `[`/`,` and starts the element record at the first other byte.
    @inline(__always)
    private func startElement(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int, _ s: inout FramerState) -> Int {
        var i = start
        while i < n && (p[i] == 0x20 || p[i] == 0x09 || p[i] == 0x0d) { i += 1 }
        guard i < n else { return n }
        let c = p[i]
        if c == 0x5d || c == 0x7d || c == 0x2c || c == 0x0a { return i }  // no element here (yet)
        s.awaitElem = false
        s.elemCount += 1
        beginRecord(at: i, base: s.elemDepth, index: s.elemCount, &s)
        s.recScalar = !(c == 0x7b || c == 0x5b)
        return i
    }
}
