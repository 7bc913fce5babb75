import EventModel
import Foundation
import Ingest
import TestSupport

/// A fresh temporary directory, removed by the caller via `cleanup`.
struct TempDir {
    let url: URL

    init() throws {
        url = try Repository.temporaryDirectory("ingest")
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
