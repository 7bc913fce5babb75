/// One token of stripped Swift source: a word (identifier, keyword, number, `#if`; backquoted
/// names keep their backquotes) or a single punctuation byte. Enough to read declaration headers.
public struct Token: Equatable, Sendable {
    /// The token's text.
    public var text: String
    /// 1-based line.
    public var line: Int
    /// 1-based column (UTF-8 bytes).
    public var column: Int

    /// The name without backquotes (`` `Type` `` is `Type`).
    public var name: String { text.count > 2 && text.hasPrefix("`") ? String(text.dropFirst().dropLast()) : text }

    /// A name, a keyword or a number (not punctuation, not `#if`).
    public var isWord: Bool {
        guard let c = text.utf8.first else { return false }
        return Tokenizer.isWordByte(c) || c == UInt8(ascii: "`")
    }
}

/// Splits stripped source (see `SourceStripper`) into tokens with their positions.
public enum Tokenizer {
    /// Bytes that continue a word; every non-ASCII byte counts, since Swift names may be Unicode.
    static func isWordByte(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_") || c == UInt8(ascii: "$")
            || c >= 0x80
    }

    /// The tokens of `bytes`, in order.
    public static func tokens(_ bytes: [UInt8]) -> [Token] {
        var out: [Token] = []
        var i = 0
        var line = 1
        var lineStart = 0
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\n") {
                line += 1
                lineStart = i + 1
                i += 1
                continue
            }
            if c == 0x20 || c == 0x09 || c == 0x0D {
                i += 1
                continue
            }
            let start = i
            i = end(of: bytes, from: i)
            out.append(
                Token(
                    text: String(decoding: bytes[start..<i], as: UTF8.self), line: line, column: start - lineStart + 1))
        }
        return out
    }

    /// Where the token starting at `i` ends.
    private static func end(of bytes: [UInt8], from start: Int) -> Int {
        var i = start
        let c = bytes[i]
        if c == UInt8(ascii: "`") {
            i += 1
            while i < bytes.count && bytes[i] != UInt8(ascii: "`") && bytes[i] != UInt8(ascii: "\n") { i += 1 }
            return i < bytes.count && bytes[i] == UInt8(ascii: "`") ? i + 1 : i
        }
        if c == UInt8(ascii: "#") && i + 1 < bytes.count && isWordByte(bytes[i + 1]) { i += 1 }
        guard isWordByte(bytes[i]) else { return start + 1 }
        while i < bytes.count && isWordByte(bytes[i]) { i += 1 }
        return i
    }
}
