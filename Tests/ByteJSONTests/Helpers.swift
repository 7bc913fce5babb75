@testable import ByteJSON

/// Runs `body` over the UTF-8 bytes of `text`.
func withJSON<R>(_ text: String, _ body: (JSONReader) throws -> R) rethrows -> R {
    try withBytes(Array(text.utf8), body)
}

/// Runs `body` over raw bytes (for invalid UTF-8 input).
func withBytes<R>(_ bytes: [UInt8], maxDepth: Int = 64, _ body: (JSONReader) throws -> R) rethrows -> R {
    try bytes.withUnsafeBytes { try body(JSONReader($0, maxDepth: maxDepth)) }
}

/// Decodes the root value of `text` as a string.
func decodeRootString(_ text: String, maxBytes: Int = .max) throws -> JSONDecodedString? {
    try withJSON(text) { try $0.root().decodeString(maxBytes: maxBytes) }
}

/// The error thrown by `body`, nil when it succeeds.
func jsonError(_ body: () throws -> Void) -> JSONError? {
    do {
        try body()
        return nil
    } catch {
        return error as? JSONError
    }
}

/// Collects `key=kind` pairs of the root object's members.
func memberSummary(_ text: String) throws -> [String] {
    try withJSON(text) { r in
        var out: [String] = []
        var it = try r.rootMembers()
        while let m = try it.next() {
            out.append("\(try m.key.decoded())=\(m.value.kind)")
        }
        return out
    }
}
