import CFuzz
import EventModel
import Formats

/// libFuzzer target: one record through `RecordDecoder`, which recognises the
/// format by content, so one target reaches every record decoder (CloudTrail,
/// EventBridge, CloudWatch Logs batches, Kubernetes audit and its EKS/GKE/AKS
/// wrappers, GCP Cloud Audit, Azure Activity, the workflow schema). Seeds: the
/// records of every corpus. Checks: no crash, no hang, and a decoded event's
/// strings stay bounded.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecode(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var decoder = RecordDecoder()
    let result = decoder.decode(
        UnsafeRawBufferPointer(start: data, count: size), origin: Origin(path: "fuzz", record: 1))
    if case .event(let e) = result {
        precondition(e.identity.key.utf8.count <= 1 << 16, "unbounded identity key")
        precondition(e.action.operation.utf8.count <= 1 << 16, "unbounded operation")
    }
    return 0
}

/// SwiftPM links an executable target's entry point as `FuzzDecode_main`: libFuzzer's driver.
@_cdecl("FuzzDecode_main")
public func FuzzDecodeMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    trailhound_fuzz_main(argc, argv) { data, size in data.map { fuzzDecode($0, size) } ?? 0 }
}
