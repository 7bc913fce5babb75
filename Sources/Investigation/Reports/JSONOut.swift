import EventModel

/// A JSON tree for output with sorted keys and a fixed layout, so the same
/// report always prints byte for byte the same (no Foundation, no floats).
public indirect enum JSONOut: Sendable, Hashable {
    case object([String: JSONOut])
    case array([JSONOut])
    case string(String)
    case int(Int)
    case bool(Bool)
    case null

    /// A string, or null when nil.
    static func opt(_ s: String?) -> JSONOut { s.map { .string($0) } ?? .null }
    /// A bool, or null when nil.
    static func opt(_ b: Bool?) -> JSONOut { b.map { .bool($0) } ?? .null }
    /// An int, or null when nil.
    static func opt(_ i: Int?) -> JSONOut { i.map { .int($0) } ?? .null }
    /// An ISO-8601 time, or null for 0 / nil.
    static func time(_ ms: Int64?) -> JSONOut {
        guard let ms, ms != 0 else { return .null }
        return .string(Timestamp.format(ms))
    }
    /// An array of strings.
    static func strings(_ a: [String]) -> JSONOut { .array(a.map { .string($0) }) }

    /// Pretty text: two-space indent, keys sorted, one member per line, trailing newline.
    public func render() -> String {
        var out = ""
        write(&out, indent: 0)
        return out + "\n"
    }

    /// One line, keys sorted.
    public func compact() -> String {
        var out = ""
        writeCompact(&out)
        return out
    }

    private func write(_ out: inout String, indent: Int) {
        let pad = String(repeating: "  ", count: indent + 1)
        switch self {
        case .object(let m):
            if m.isEmpty { out += "{}"; return }
            out += "{\n"
            for (i, k) in m.keys.sorted().enumerated() {
                out += pad + Self.quote(k) + ": "
                m[k]!.write(&out, indent: indent + 1)
                out += i == m.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: "  ", count: indent) + "}"
        case .array(let a):
            if a.isEmpty { out += "[]"; return }
            if a.allSatisfy(\.isScalar), a.count <= 8 {
                writeCompact(&out)
                return
            }
            out += "[\n"
            for (i, v) in a.enumerated() {
                out += pad
                v.write(&out, indent: indent + 1)
                out += i == a.count - 1 ? "\n" : ",\n"
            }
            out += String(repeating: "  ", count: indent) + "]"
        default:
            writeCompact(&out)
        }
    }

    private var isScalar: Bool {
        switch self {
        case .object, .array: false
        default: true
        }
    }

    private func writeCompact(_ out: inout String) {
        switch self {
        case .object(let m):
            out += "{"
            for (i, k) in m.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                out += Self.quote(k) + ":"
                m[k]!.writeCompact(&out)
            }
            out += "}"
        case .array(let a):
            out += "["
            for (i, v) in a.enumerated() {
                if i > 0 { out += "," }
                v.writeCompact(&out)
            }
            out += "]"
        case .string(let s): out += Self.quote(s)
        case .int(let i): out += String(i)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        }
    }

    /// JSON string literal with control characters (and U+2028/9) escaped (shared with the scan output).
    public static func quote(_ s: String) -> String { JSONText.quote(s) }
}
