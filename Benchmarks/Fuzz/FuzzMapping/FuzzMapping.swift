import CFuzz
import EventModel
import Foundation
import Formats
import Runtime

/// libFuzzer target: one record through `RecordDecoder` with the bundled
/// workflow-log mappings (`formats/*.yaml`), so the mapping extractor (key
/// paths, `skip:` conditions, extracts, action globs) runs on hostile lines.
/// `Benchmarks/fuzz.sh` names the repository's `formats/` in `TRAILHOUND_FUZZ_FORMATS`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMapping(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var decoder = RecordDecoder(mappings: bundledMappings)
    _ = decoder.decode(UnsafeRawBufferPointer(start: data, count: size), origin: Origin(path: "fuzz", record: 1))
    return 0
}

private let bundledMappings: [WorkflowMapping] = {
    // fuzz.sh runs each target from its output folder and names the repository's formats/ here.
    let dir = ProcessInfo.processInfo.environment["TRAILHOUND_FUZZ_FORMATS"] ?? "formats"
    let set = FormatMappingLoader.load(directory: dir)
    precondition(
        !set.mappings.isEmpty,
        "no mappings found in \(dir): set TRAILHOUND_FUZZ_FORMATS or run from the repository root")
    return set.mappings
}()

/// SwiftPM links an executable target's entry point as `FuzzMapping_main`: libFuzzer's driver.
@_cdecl("FuzzMapping_main")
public func FuzzMappingMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    trailhound_fuzz_main(argc, argv) { data, size in data.map { fuzzMapping($0, size) } ?? 0 }
}
