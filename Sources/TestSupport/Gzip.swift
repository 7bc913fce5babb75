import CZlib

/// Real gzip compression (one member) through zlib's deflate at `level` (windowBits 16 + 15
/// writes a gzip member): the inputs of the ingest tests and the benchmark corpora.
public func gzip(_ data: [UInt8], level: Int32 = 6) -> [UInt8] {
    var strm = z_stream()
    let rc = deflateInit2_(
        &strm, level, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    precondition(rc == Z_OK, "deflateInit2 failed: \(rc)")
    defer { deflateEnd(&strm) }
    var out = [UInt8](repeating: 0, count: Int(deflateBound(&strm, uLong(data.count))) + 64)
    var input = data
    let produced: Int = input.withUnsafeMutableBufferPointer { inBuf in
        out.withUnsafeMutableBufferPointer { outBuf in
            strm.next_in = inBuf.baseAddress
            strm.avail_in = uInt(inBuf.count)
            strm.next_out = outBuf.baseAddress
            strm.avail_out = uInt(outBuf.count)
            let r = deflate(&strm, Z_FINISH)
            precondition(r == Z_STREAM_END, "deflate failed: \(r)")
            return outBuf.count - Int(strm.avail_out)
        }
    }
    return Array(out[..<produced])
}

/// `text` (UTF-8) gzip-compressed.
public func gzip(_ text: String) -> [UInt8] { gzip(Array(text.utf8)) }
