import EventModel

/// Record bookkeeping of the framer: starting, emitting, carrying and
/// skipping records, and the state changes around top-level values. These run
/// once per record or per structural event, not per byte.
extension Framer {
    private static let recordsKey: [UInt8] = Array("Records".utf8)

    func matchKey(_ p: UnsafePointer<UInt8>, _ from: Int, _ to: Int, _ s: inout FramerState) {
        var k = s.keyMatch
        guard k >= 0 else { return }
        let key = Framer.recordsKey
        var j = from
        while j < to {
            // `Records` (CloudTrail) or `records` (Azure diagnostic exports): only the first letter's case may differ.
            if k < key.count && (p[j] == key[k] || (k == 0 && p[j] == 0x72)) {
                k += 1
            } else {
                k = -1
                break
            }
            j += 1
        }
        s.keyMatch = k
    }

    func endKey(_ s: inout FramerState) {
        s.keyTrack = false
        s.expectKey = false
        s.pendingRecords = s.keyMatch == Framer.recordsKey.count
    }

    /// `"Records": [` (or `"records": [`) inside a top-level object: the object is a
    /// CloudTrail or Azure diagnostic document, not a record, so whatever was kept of it is dropped.
    func enterRecords(_ s: inout FramerState) {
        s.depth = 2
        s.top = .records
        s.elemDepth = 2
        s.awaitElem = true
        s.pendingRecords = false
        s.inRecord = false
        s.recSkip = false
        s.pending = .none
        clearCarry()
    }

    func startTop(_ c: UInt8, _ i: Int, _ s: inout FramerState) {
        s.depth = 1
        s.topLine = s.line
        if c == 0x7b {
            s.top = .object
            s.expectKey = true
            s.pendingRecords = false
            beginRecord(at: i, base: 0, index: 0, &s)
        } else {
            s.top = .array
            s.elemDepth = 1
            s.awaitElem = true
        }
    }

    func endTop(_ s: inout FramerState) {
        s.top = .between
        s.elemDepth = 0
        s.awaitElem = false
        s.expectKey = false
        s.pendingRecords = false
        s.linesMode = s.topLine == s.line
    }

    func beginRecord(at i: Int, base: Int, index: Int, _ s: inout FramerState) {
        s.inRecord = true
        s.recBase = base
        s.recStart = i
        s.recLine = s.line
        s.recOffset = s.streamOffset + Int64(i)
        s.recIndex = index
        s.recScalar = false
        s.recSkip = false
        s.pending = .none
    }

    /// Hands out the record ending before `end` (exclusive) in the current chunk.
    func emit(
        _ p: UnsafePointer<UInt8>, _ end: Int, _ s: inout FramerState,
        _ onRecord: (UnsafeRawBufferPointer, RecordInfo) -> Void, _ onDiagnostic: (Diagnostic) -> Void
    ) {
        defer {
            s.inRecord = false
            s.recSkip = false
            s.pending = .none
        }
        var e = end
        while e > s.recStart && isBlank(p[e - 1]) { e -= 1 }
        let length = Int(s.streamOffset + Int64(e) - s.recOffset)
        if s.recSkip || length > options.maxRecordBytes {
            clearCarry()
            _ = reportSkipped(&s, length: length, onDiagnostic)
            return
        }
        let info = RecordInfo(origin: recordOrigin(s), line: s.recLine, offset: s.recOffset, isText: s.inText)
        recordsEmitted += 1
        if carry.isEmpty {
            onRecord(UnsafeRawBufferPointer(start: p + s.recStart, count: e - s.recStart), info)
            return
        }
        carry.append(contentsOf: UnsafeRawBufferPointer(start: p + s.recStart, count: e - s.recStart))
        while let last = carry.last, isBlank(last) { carry.removeLast() }
        carry.withUnsafeBytes { onRecord($0, info) }
        clearCarry()
    }

    /// At the end of a chunk: keeps the open record's bytes for the next chunk, within the size limit.
    func carryPartial(_ p: UnsafePointer<UInt8>, _ n: Int, _ s: inout FramerState) {
        guard s.inRecord else { return }
        defer { s.recStart = 0 }
        guard !s.recSkip else { return }
        let len = n - s.recStart
        if carry.count + len <= options.maxRecordBytes {
            carry.append(contentsOf: UnsafeRawBufferPointer(start: p + s.recStart, count: len))
            return
        }
        clearCarry()
        s.recSkip = true  // too large: reported with its size when it ends
    }

    func tooDeep(_ s: inout FramerState, _ onDiagnostic: (Diagnostic) -> Void) {
        clearCarry()
        s.recSkip = true
        if s.recBase == 0 && !s.linesMode {
            s.pending = .tooDeep  // unless the object turns out to hold `Records`
            return
        }
        report(
            "frame.too_deep", recordOrigin(s),
            "\(recordName(s)) is nested deeper than \(options.maxDepth) levels; skipped it", onDiagnostic)
        s.pending = .reported
        if s.recBase == 0 {  // JSON lines: the rest of the line is that record
            resetToBetween(&s)
            s.skipLine = true
        }
    }

    /// Diagnoses a record that ends without being emitted because of its depth
    /// or size; false when it has no such problem.
    func reportSkipped(_ s: inout FramerState, length: Int, _ onDiagnostic: (Diagnostic) -> Void) -> Bool {
        switch s.pending {
        case .reported:
            return true
        case .tooDeep:
            report(
                "frame.too_deep", recordOrigin(s),
                "\(recordName(s)) is nested deeper than \(options.maxDepth) levels; skipped it", onDiagnostic)
        case .none:
            guard length > options.maxRecordBytes else { return false }
            report(
                "frame.too_large", recordOrigin(s),
                "\(recordName(s)) is \(length) bytes, over the \(options.maxRecordBytes)-byte limit; skipped it",
                onDiagnostic)
        }
        s.pending = .reported
        return true
    }

    /// JSON lines: the line ended before the value did, so the value is broken; start over on the next line.
    func breakLine(_ s: inout FramerState, _ inside: String, at i: Int, _ onDiagnostic: (Diagnostic) -> Void) {
        let length = Int(s.streamOffset + Int64(i) - s.recOffset)
        if !(s.inRecord && reportSkipped(&s, length: length, onDiagnostic)) {
            report(
                "frame.truncated", Origin(path: path, record: s.topLine),
                "line \(s.line - 1) ends inside \(inside), so the JSON value starting on line \(s.topLine) "
                    + "is incomplete; skipped it", onDiagnostic)
        }
        resetToBetween(&s)
    }

    func resetToBetween(_ s: inout FramerState) {
        s.top = .between
        s.depth = 0
        s.inString = false
        s.escapePending = false
        s.inText = false
        s.inRecord = false
        s.recSkip = false
        s.pending = .none
        s.elemDepth = 0
        s.awaitElem = false
        s.keyTrack = false
        s.expectKey = false
        s.pendingRecords = false
        clearCarry()
    }

    func recordOrigin(_ s: FramerState) -> Origin {
        s.recIndex > 0
            ? Origin(path: path, record: s.recIndex, isLine: false) : Origin(path: path, record: s.recLine)
    }

    private func recordName(_ s: FramerState) -> String {
        s.recIndex > 0 ? "record #\(s.recIndex) (line \(s.recLine))" : "the record on line \(s.recLine)"
    }

    func report(_ code: String, _ origin: Origin, _ message: String, _ onDiagnostic: (Diagnostic) -> Void) {
        guard diagnosticsReported < options.maxDiagnosticsPerFile else {
            suppressedDiagnostics += 1
            return
        }
        diagnosticsReported += 1
        onDiagnostic(Diagnostic(origin: origin, code: code, message: message))
    }

    /// Empties the carry buffer, giving memory back after an unusually large record.
    func clearCarry() {
        if carry.capacity > 1 << 20 {
            carry = []
        } else {
            carry.removeAll(keepingCapacity: true)
        }
    }

    @inline(__always)
    func isBlank(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0a || c == 0x0d || c == 0x09 }
}
