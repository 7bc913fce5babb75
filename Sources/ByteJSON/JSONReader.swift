/// Entry point: reads JSON from a byte buffer without building dictionaries.
///
/// ```swift
/// let reader = JSONReader(bytes)
/// var it = try reader.rootMembers()
/// while let m = try it.next() {
///     if m.key == "eventName" { name = try m.value.decodeString(maxBytes: 128)?.string }
/// }
/// ```
///
/// Containers are skipped by a fast scan that tracks strings, escapes, bracket pairing and
/// depth but does not check the scalars inside skipped containers; values you iterate or
/// decode are checked fully. Skipping and key matching allocate nothing.
public struct JSONReader {
    /// The buffer; values returned point into it.
    public let buffer: UnsafeRawBufferPointer
    /// Deepest nesting of containers accepted (1…64); deeper input fails with `decode.too_deep`.
    public let maxDepth: Int

    /// Default nesting limit.
    public static let defaultMaxDepth = 64

    /// Creates a reader. `maxDepth` is clamped to 1…64.
    public init(_ buffer: UnsafeRawBufferPointer, maxDepth: Int = JSONReader.defaultMaxDepth) {
        self.buffer = buffer
        self.maxDepth = min(max(maxDepth, 1), 64)
    }

    /// Offset of the first byte of the root value (after whitespace and a UTF-8 BOM).
    private func rootStart() throws(JSONError) -> (UnsafeRawPointer, Int) {
        guard let base = buffer.baseAddress, buffer.count > 0 else {
            throw JSONError(.notJSON, at: 0, "empty input")
        }
        var i = 0
        if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { i = 3 }
        i = Scan.skipSpace(base, i, buffer.count)
        guard i < buffer.count else { throw JSONError(.notJSON, at: i, "empty input") }
        return (base, i)
    }

    /// Kind of the root value judged by its first byte (and, for `true`/`false`/`null`, the
    /// whole word); `decode.not_json` when it cannot start a JSON value, e.g. plain text.
    public func rootKind() throws(JSONError) -> JSONKind {
        let (base, i) = try rootStart()
        func literal(_ kind: JSONKind, _ word: StaticString) throws(JSONError) -> JSONKind {
            guard let end = try? Scan.literalEnd(base, i, buffer.count, word) else {
                throw JSONError(.notJSON, at: i, "input is not JSON")
            }
            if end < buffer.count, Scan.byte(base, end) | 0x20 &- 0x61 < 26 || Scan.byte(base, end) &- 0x30 < 10 {
                throw JSONError(.notJSON, at: i, "input is not JSON")
            }
            return kind
        }
        switch Scan.byte(base, i) {
        case 0x7B: return .object
        case 0x5B: return .array
        case 0x22: return .string
        case 0x74: return try literal(.true, "true")
        case 0x66: return try literal(.false, "false")
        case 0x6E: return try literal(.null, "null")
        case 0x2D, 0x30...0x39: return .number
        default: throw JSONError(.notJSON, at: i, "input is not JSON")
        }
    }

    /// The whole root value, delimited and followed by nothing but whitespace.
    public func root() throws(JSONError) -> JSONValue {
        _ = try rootKind()
        let (base, i) = try rootStart()
        let v = try Scan.value(base, i, buffer.count, enclosing: 0, maxDepth: maxDepth)
        let j = Scan.skipSpace(base, v.end, buffer.count)
        if j < buffer.count { throw JSONError(.syntax, at: j, "unexpected data after the JSON value") }
        return v
    }

    /// Members of the root object in one pass (the object is not skipped first). The
    /// iterator checks that only whitespace follows the closing brace. Throws
    /// `decode.syntax` when the root is not an object (check `rootKind()` first).
    public func rootMembers() throws(JSONError) -> JSONObjectMembers {
        guard try rootKind() == .object else { throw JSONError(.syntax, at: 0, "expected an object") }
        let (base, i) = try rootStart()
        return JSONObjectMembers(
            base: base, pos: i + 1, limit: buffer.count, enclosing: 1, maxDepth: maxDepth,
            trailingLimit: buffer.count)
    }
}
