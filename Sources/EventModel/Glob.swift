/// Shell-style glob over bytes: `*` matches any run (including `/` and `:`), `?` one byte.
/// Case-sensitive. Iterative with backtracking to the last `*`, so it is linear-ish
/// and cannot blow the stack on attacker-controlled text.
public struct Glob: Sendable, Hashable {
    /// Pattern as written.
    public let pattern: String
    private let bytes: [UInt8]
    private let isLiteral: Bool

    /// Compiles a pattern.
    public init(_ pattern: String) {
        self.pattern = pattern
        self.bytes = Array(pattern.utf8)
        self.isLiteral = !bytes.contains(UInt8(ascii: "*")) && !bytes.contains(UInt8(ascii: "?"))
    }

    /// True when `text` matches the whole pattern.
    public func matches(_ text: String) -> Bool {
        if isLiteral { return text == pattern }
        return text.withUTF8Bytes { match($0) }
    }

    /// Matches over the text's own UTF-8 storage: copying it into an array cost one
    /// allocation per call, and NewAPI calls this for every glob on every first-time API.
    private func match(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
        var p = 0
        var i = 0
        var star = -1
        var mark = 0
        while i < s.count {
            if p < bytes.count && (bytes[p] == UInt8(ascii: "?") || bytes[p] == s[i]) {
                p += 1
                i += 1
            } else if p < bytes.count && bytes[p] == UInt8(ascii: "*") {
                star = p
                mark = i
                p += 1
            } else if star >= 0 {
                p = star + 1
                mark += 1
                i = mark
            } else {
                return false
            }
        }
        while p < bytes.count && bytes[p] == UInt8(ascii: "*") { p += 1 }
        return p == bytes.count
    }
}
