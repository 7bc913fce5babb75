import CZlib
import EventModel
import Foundation
import Ingest

/// Real gzip compression through zlib's deflate (windowBits 16 + 15 writes a gzip member).
func gzip(_ data: [UInt8], level: Int32 = 6) -> [UInt8] {
    var strm = z_stream()
    let rc = deflateInit2_(
        &strm, level, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
        Int32(MemoryLayout<z_stream>.size))
    precondition(rc == Z_OK)
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
            precondition(r == Z_STREAM_END)
            return outBuf.count - Int(strm.avail_out)
        }
    }
    return Array(out[..<produced])
}

func gzip(_ text: String) -> [UInt8] { gzip(Array(text.utf8)) }

/// A fresh temporary directory, removed by the caller via `cleanup`.
struct TempDir {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    var path: String { url.path }

    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: file)
        return file.path
    }

    func cleanup() { try? FileManager.default.removeItem(at: url) }
}

/// Everything a read produced.
struct Collected {
    var records: [String] = []
    var infos: [RecordInfo] = []
    var diagnostics: [Diagnostic] = []
    var stats = FileStats()

    var codes: [String] { diagnostics.map(\.code) }
}

/// Reads a file with a `RecordReader`.
func readFile(_ path: String, options: IngestOptions = IngestOptions()) -> Collected {
    var c = Collected()
    let reader = RecordReader(options: options)
    c.stats = reader.read(
        InputFile(path: path),
        onRecord: { bytes, info in
            c.records.append(String(decoding: bytes, as: UTF8.self))
            c.infos.append(info)
        },
        onDiagnostic: { c.diagnostics.append($0) })
    return c
}

/// Pushes `text` through a `Framer` in chunks of `chunk` bytes.
func frame(_ text: String, chunk: Int = 1 << 16, options: IngestOptions = IngestOptions()) -> Collected {
    frame(Array(text.utf8), chunk: chunk, options: options)
}

func frame(_ bytes: [UInt8], chunk: Int = 1 << 16, options: IngestOptions = IngestOptions()) -> Collected {
    var c = Collected()
    let framer = Framer(path: "t.json", options: options)
    bytes.withUnsafeBytes { all in
        var off = 0
        while off < all.count {
            let n = min(chunk, all.count - off)
            framer.push(
                UnsafeRawBufferPointer(rebasing: all[off..<(off + n)]),
                onRecord: { b, info in
                    c.records.append(String(decoding: b, as: UTF8.self))
                    c.infos.append(info)
                },
                onDiagnostic: { c.diagnostics.append($0) })
            off += n
        }
    }
    framer.finish(
        onRecord: { b, info in
            c.records.append(String(decoding: b, as: UTF8.self))
            c.infos.append(info)
        }, onDiagnostic: { c.diagnostics.append($0) })
    return c
}

/// `n` small distinct JSON events, compact, one per string.
func sampleEvents(_ n: Int) -> [String] {
    (1...n).map { i in
        #"{"eventID":"id-\#(i)","eventName":"Get\#(i)","n":\#(i),"nested":{"a":[1,2,{"b":"x\"y\\z}{"}]}}"#
    }
}
