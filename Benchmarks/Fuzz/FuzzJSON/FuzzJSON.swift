import CFuzz
import ByteJSON

/// libFuzzer target: the byte-level JSON reader walks the whole document
/// (objects, arrays, strings with escapes, numbers), as the decoders do. Any
/// JSON error is fine; a crash, a hang or unbounded recursion is not.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let reader = JSONReader(UnsafeRawBufferPointer(start: data, count: size), maxDepth: 64)
    do {
        let root = try reader.root()
        var budget = 100_000
        try walk(root, &budget)
    } catch {}
    return 0
}

private func walk(_ v: JSONValue, _ budget: inout Int) throws(JSONError) {
    budget -= 1
    guard budget > 0 else { return }
    switch v.kind {
    case .object:
        var it = v.members()
        while let m = try it.next() {
            _ = try m.key.decoded()
            try walk(m.value, &budget)
        }
    case .array:
        var it = v.elements()
        while let e = try it.next() { try walk(e, &budget) }
    case .string:
        _ = try v.decodeString(maxBytes: 4096)
    case .number:
        _ = v.int64
        _ = v.double
    default:
        break
    }
}

/// SwiftPM links an executable target's entry point as `FuzzJSON_main`: libFuzzer's driver.
@_cdecl("FuzzJSON_main")
public func FuzzJSONMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    trailhound_fuzz_main(argc, argv) { data, size in data.map { fuzzJSON($0, size) } ?? 0 }
}
