import CFuzz
import EventModel
import Ingest

/// libFuzzer target: bytes → Inflater (gzip or plain) → Framer, with the input
/// split into chunks at positions taken from its own bytes, so record, string
/// and gzip member boundaries fall everywhere. Seeds: every file of corpora/.
/// Checks: no crash, no hang, bounded output, every record is a slice no longer
/// than the record limit.
/// Limits of the target: small, so the fuzzer reaches the caps.
private let options: IngestOptions = {
    var o = IngestOptions(maxDecompressedBytes: 4 << 20, maxRecordBytes: 64 << 10, chunkSize: 4096)
    o.maxDiagnosticsPerFile = 50
    return o
}()
/// Reused across inputs with `reset`, as `RecordReader` reuses them across files
/// (zlib state and buffers are allocated once).
nonisolated(unsafe) private let inflater = Inflater(path: "fuzz", options: options)
nonisolated(unsafe) private let framer = Framer(path: "fuzz", options: options)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIngest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    inflater.reset(path: "fuzz")
    framer.reset(path: "fuzz")
    let input = UnsafeRawBufferPointer(start: data, count: size)
    var records = 0
    func onRecord(_ r: UnsafeRawBufferPointer, _ info: RecordInfo) {
        precondition(r.count <= options.maxRecordBytes, "record over the limit")
        records += 1
    }
    func frame(_ chunk: UnsafeRawBufferPointer) { framer.push(chunk, onRecord: onRecord, onDiagnostic: { _ in }) }
    let step = size > 0 ? Int(data[0]) % 97 + 1 : 1
    var at = 0
    while at < size {
        let end = min(size, at + step)
        if !inflater.push(UnsafeRawBufferPointer(rebasing: input[at..<end]), onOutput: frame, onDiagnostic: { _ in }) {
            break
        }
        at = end
    }
    if !inflater.stopped { inflater.finish(onOutput: frame, onDiagnostic: { _ in }) }
    framer.finish(onDiagnostic: { _ in })
    precondition(inflater.producedBytes <= options.maxDecompressedBytes, "inflated past the cap")
    return 0
}

/// SwiftPM links an executable target's entry point as `FuzzIngest_main`: libFuzzer's driver.
@_cdecl("FuzzIngest_main")
public func FuzzIngestMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    trailhound_fuzz_main(argc, argv) { data, size in data.map { fuzzIngest($0, size) } ?? 0 }
}
