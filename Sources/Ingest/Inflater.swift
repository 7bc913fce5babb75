import CZlib
import EventModel

/// Streaming gzip decoder: push compressed bytes in, get inflated chunks out.
///
/// The format is sniffed from the first two bytes: gzip (`1f 8b`) is inflated,
/// anything else is passed through unchanged, so callers never need to know
/// whether a file is compressed. Concatenated gzip members (`cat a.gz b.gz`)
/// are inflated one after the other, and zero padding after a member is
/// ignored. Problems become diagnostics instead of errors:
/// - `gzip.truncated`: input ended inside a member (reported by `finish`);
///   everything inflated before the cut has already been handed out.
/// - `gzip.corrupt`: zlib rejected the data; the message carries the byte offset.
///   Output produced before the error has been handed out; the rest is dropped.
/// - `gzip.too_large`: more than `maxDecompressedBytes` inflated; output stops at the cap.
/// - `input.too_large`: plain (not gzip) input longer than `maxDecompressedBytes`.
///
/// After `gzip.corrupt`, `gzip.too_large` or `input.too_large` the inflater is `stopped` and
/// ignores further input. One instance can be reused for many files via `reset`.
/// Not thread-safe: use one per thread.
public final class Inflater {
    /// What the input turned out to be.
    public enum Format: Sendable {
        /// Fewer than two bytes seen so far.
        case unknown
        /// Gzip (possibly several members).
        case gzip
        /// Anything else, passed through.
        case plain
    }

    /// Path used in diagnostics.
    public private(set) var path: String
    /// Detected format of the current input.
    public private(set) var format: Format = .unknown
    /// Compressed (input) bytes accepted so far.
    public private(set) var consumedBytes: Int64 = 0
    /// Output bytes handed out so far.
    public private(set) var producedBytes: Int64 = 0
    /// True after `gzip.corrupt` or `gzip.too_large`: further input is ignored.
    public private(set) var stopped = false
    /// True once any gzip diagnostic was reported for the current input, so
    /// the caller can avoid a second diagnostic (e.g. a truncated record) for the same cut.
    public private(set) var reportedProblem = false

    private let options: IngestOptions
    private let stream: UnsafeMutablePointer<z_stream>
    private let out: UnsafeMutableRawBufferPointer
    private var zlibReady = false
    /// Between members: only zero padding or a new member may follow.
    private var betweenMembers = false
    /// A lone first byte held back until the second byte decides the format.
    private var heldByte: UInt8?

    /// Creates an inflater whose output chunks are at most `options.chunkSize` bytes.
    public init(path: String = "-", options: IngestOptions = IngestOptions()) {
        self.path = path
        self.options = options
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        out = UnsafeMutableRawBufferPointer.allocate(byteCount: options.chunkSize, alignment: 16)
    }

    deinit {
        if zlibReady { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
        out.deallocate()
    }

    /// Prepares for a new input, keeping the buffers and zlib state allocated.
    public func reset(path: String) {
        self.path = path
        format = .unknown
        consumedBytes = 0
        producedBytes = 0
        stopped = false
        reportedProblem = false
        betweenMembers = false
        heldByte = nil
        if zlibReady { inflateReset(stream) }
    }

    /// Feeds the next bytes of input. `onOutput` receives inflated (or passed
    /// through) bytes, valid only during the call. Returns false once stopped.
    @discardableResult
    public func push(
        _ input: UnsafeRawBufferPointer,
        onOutput: (UnsafeRawBufferPointer) -> Void,
        onDiagnostic: (Diagnostic) -> Void
    ) -> Bool {
        guard !stopped, input.count > 0 else { return !stopped }
        if format == .unknown {
            if heldByte == nil && input.count == 1 {
                heldByte = input[0]
                consumedBytes += 1
                return true
            }
            let first = heldByte ?? input[0]
            let second = heldByte == nil ? input[1] : input[0]
            format = (first == 0x1f && second == 0x8b) ? .gzip : .plain
            if let held = heldByte {
                heldByte = nil
                consumedBytes -= 1
                withUnsafeBytes(of: held) { feed($0, onOutput, onDiagnostic) }
            }
        }
        feed(input, onOutput, onDiagnostic)
        return !stopped
    }

    /// Ends the input: reports `gzip.truncated` if it stopped inside a gzip member.
    public func finish(onOutput: (UnsafeRawBufferPointer) -> Void, onDiagnostic: (Diagnostic) -> Void) {
        if let held = heldByte {
            heldByte = nil
            format = .plain
            producedBytes += 1
            withUnsafeBytes(of: held) { onOutput($0) }
        }
        if format == .gzip && !stopped && !betweenMembers {
            report(
                "gzip.truncated",
                "gzip data ends before the end of the compressed stream after \(consumedBytes) bytes; "
                    + "kept the \(producedBytes) bytes inflated before the cut", onDiagnostic)
        }
    }

    private func feed(
        _ input: UnsafeRawBufferPointer, _ onOutput: (UnsafeRawBufferPointer) -> Void,
        _ onDiagnostic: (Diagnostic) -> Void
    ) {
        guard input.count > 0 else { return }
        if format == .plain {
            passThrough(input, onOutput, onDiagnostic)
            return
        }
        var rest = input
        while rest.count > 0 && !stopped {
            if betweenMembers {
                rest = skipZeroPadding(rest)
                if rest.isEmpty { return }
                betweenMembers = false
                if !startMember(onDiagnostic) { return }
            } else if !zlibReady {
                if !startMember(onDiagnostic) { return }
            }
            let used = inflateSome(rest, onOutput, onDiagnostic)
            rest = UnsafeRawBufferPointer(rebasing: rest[used...])
        }
    }

    private func skipZeroPadding(_ rest: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var k = 0
        while k < rest.count && rest[k] == 0 { k += 1 }
        consumedBytes += Int64(k)
        return UnsafeRawBufferPointer(rebasing: rest[k...])
    }

    private func startMember(_ onDiagnostic: (Diagnostic) -> Void) -> Bool {
        if zlibReady {
            inflateReset(stream)
            return true
        }
        // 32 + 15: accept gzip (and zlib) headers with the largest window.
        let rc = inflateInit2_(stream, 32 + 15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            stopped = true
            report("gzip.corrupt", "zlib could not start (code \(rc))", onDiagnostic)
            return false
        }
        zlibReady = true
        return true
    }

    /// Inflates from `input` until it is used up or a member ends; returns the bytes consumed.
    private func inflateSome(
        _ input: UnsafeRawBufferPointer, _ onOutput: (UnsafeRawBufferPointer) -> Void,
        _ onDiagnostic: (Diagnostic) -> Void
    ) -> Int {
        stream.pointee.next_in = UnsafeMutablePointer(
            mutating: input.baseAddress!.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        let outBase = out.baseAddress!.assumingMemoryBound(to: Bytef.self)
        var rc: Int32 = Z_OK
        repeat {
            stream.pointee.next_out = outBase
            stream.pointee.avail_out = uInt(out.count)
            rc = inflate(stream, Z_NO_FLUSH)
            let made = out.count - Int(stream.pointee.avail_out)
            if made > 0 && !deliver(made, onOutput, onDiagnostic) { break }
            if rc == Z_STREAM_END {
                betweenMembers = true
                break
            }
            if rc == Z_BUF_ERROR { break }  // needs more input; not an error
            if rc != Z_OK {
                let used = input.count - Int(stream.pointee.avail_in)
                corrupt(at: consumedBytes + Int64(used), rc: rc, onDiagnostic)
                break
            }
        } while stream.pointee.avail_in > 0 || stream.pointee.avail_out == 0
        let used = input.count - Int(stream.pointee.avail_in)
        consumedBytes += Int64(used)
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        return stopped ? input.count : used
    }

    /// Plain input is capped like inflated input: `/dev/zero`, `/dev/urandom` or an
    /// endless pipe would otherwise be read for ever (`input.too_large`).
    private func passThrough(
        _ input: UnsafeRawBufferPointer, _ onOutput: (UnsafeRawBufferPointer) -> Void,
        _ onDiagnostic: (Diagnostic) -> Void
    ) {
        let room = options.maxDecompressedBytes - producedBytes
        let give = Int(min(Int64(input.count), max(0, room)))
        consumedBytes += Int64(give)
        producedBytes += Int64(give)
        if give > 0 { onOutput(UnsafeRawBufferPointer(rebasing: input[..<give])) }
        if give < input.count {
            stopped = true
            report(
                "input.too_large",
                "uncompressed input longer than \(options.maxDecompressedBytes) bytes (--max-decompressed-mb); "
                    + "stopped reading it there", onDiagnostic)
        }
    }

    /// Hands out `made` bytes from the output buffer, enforcing the cap.
    private func deliver(
        _ made: Int, _ onOutput: (UnsafeRawBufferPointer) -> Void, _ onDiagnostic: (Diagnostic) -> Void
    ) -> Bool {
        let room = options.maxDecompressedBytes - producedBytes
        let give = Int(min(Int64(made), max(0, room)))
        if give > 0 {
            producedBytes += Int64(give)
            onOutput(UnsafeRawBufferPointer(start: out.baseAddress, count: give))
        }
        if give < made {
            stopped = true
            report(
                "gzip.too_large",
                "inflates to more than \(options.maxDecompressedBytes) bytes; stopped reading this file there",
                onDiagnostic)
            return false
        }
        return true
    }

    private func corrupt(at offset: Int64, rc: Int32, _ onDiagnostic: (Diagnostic) -> Void) {
        stopped = true
        var reason = "zlib code \(rc)"
        if let msg = stream.pointee.msg { reason = String(cString: msg) }
        report(
            "gzip.corrupt",
            "corrupt gzip data near compressed byte \(offset) (\(reason)); "
                + "kept the \(producedBytes) bytes inflated before it, skipped the rest of the file",
            onDiagnostic)
    }

    private func report(_ code: String, _ message: String, _ onDiagnostic: (Diagnostic) -> Void) {
        reportedProblem = true
        onDiagnostic(Diagnostic(origin: Origin(path: path, record: 0), code: code, message: message))
    }
}
