/// A problem the generator cannot get past: it fails the build with
/// `file:line:col: error: message` rather than leave a detector out of the registry unnoticed.
public struct GeneratorError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The source file, as it was given on the command line.
    public var file: String
    /// 1-based line.
    public var line: Int
    /// 1-based column (in UTF-8 bytes).
    public var column: Int
    /// What is wrong and what to do about it.
    public var message: String

    /// Creates an error at a position.
    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// The compiler's display form, so SwiftPM and editors link it to the source.
    public var description: String { "\(file):\(line):\(column): error: \(message)" }
}

/// Blanks comments and string literals (with spaces, keeping every newline, so positions stay
/// true): a declaration quoted in a comment or a string must not register a detector, and a
/// brace inside a string must not end a type's body. Knows nested block comments, multi-line and
/// raw strings (`#"…"#`), interpolations with strings inside (`"\(a ? "b" : "c")"`) and
/// extended regex literals (`#/…/#`).
public struct SourceStripper {
    private enum Context {
        /// Code; `interpolation` is code inside `\( … )`, ended by its closing parenthesis.
        case code(interpolation: Bool, parens: Int)
        case string(hashes: Int, multiline: Bool, start: Int)
    }

    private var bytes: [UInt8]
    private var stack: [Context] = [.code(interpolation: false, parens: 0)]
    private var i = 0

    private init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The source with comments and literals blanked; throws on an unterminated comment or
    /// literal (the position given is where it starts, as an offset into `bytes`).
    public static func strip(_ bytes: [UInt8]) throws(StripFailure) -> [UInt8] {
        var s = SourceStripper(bytes)
        try s.run()
        return s.bytes
    }

    /// Where an unterminated comment or literal starts, and which.
    public struct StripFailure: Error, Equatable, Sendable {
        /// Byte offset of its start.
        public var offset: Int
        /// `comment`, `string literal` or `regex literal`.
        public var what: String
    }

    private mutating func run() throws(StripFailure) {
        while i < bytes.count {
            switch stack[stack.count - 1] {
            case .code(let interpolation, let parens): try code(interpolation: interpolation, parens: parens)
            case .string(let hashes, let multiline, let start):
                try string(hashes: hashes, multiline: multiline, start: start)
            }
        }
        if case .string(_, _, let start) = stack[stack.count - 1] {
            throw StripFailure(offset: start, what: "string literal")
        }
        if stack.count > 1 { throw StripFailure(offset: bytes.count, what: "string interpolation") }
    }

    private func at(_ offset: Int) -> UInt8 { offset < bytes.count ? bytes[offset] : 0 }

    private func hashes(from offset: Int) -> Int {
        var n = 0
        while at(offset + n) == UInt8(ascii: "#") { n += 1 }
        return n
    }

    private mutating func blank(_ count: Int) {
        for k in i..<min(i + count, bytes.count) where bytes[k] != UInt8(ascii: "\n") { bytes[k] = 0x20 }
        i += count
    }

    private mutating func code(interpolation: Bool, parens: Int) throws(StripFailure) {
        let c = bytes[i]
        switch c {
        case UInt8(ascii: "/") where at(i + 1) == UInt8(ascii: "/"):
            while i < bytes.count && bytes[i] != UInt8(ascii: "\n") { blank(1) }
        case UInt8(ascii: "/") where at(i + 1) == UInt8(ascii: "*"):
            try blockComment()
        case UInt8(ascii: "#"), UInt8(ascii: "\""):
            let n = hashes(from: i)
            if at(i + n) == UInt8(ascii: "\"") {
                openString(hashes: n)
            } else if n > 0 && at(i + n) == UInt8(ascii: "/") {
                try regex(hashes: n)
            } else {
                i += max(n, 1)
            }
        case UInt8(ascii: "(") where interpolation:
            stack[stack.count - 1] = .code(interpolation: true, parens: parens + 1)
            i += 1
        case UInt8(ascii: ")") where interpolation:
            if parens == 0 {
                stack.removeLast()
                blank(1)
            } else {
                stack[stack.count - 1] = .code(interpolation: true, parens: parens - 1)
                i += 1
            }
        default:
            i += 1
        }
    }

    private mutating func blockComment() throws(StripFailure) {
        let start = i
        var depth = 0
        repeat {
            if at(i) == UInt8(ascii: "/") && at(i + 1) == UInt8(ascii: "*") {
                depth += 1
                blank(2)
            } else if at(i) == UInt8(ascii: "*") && at(i + 1) == UInt8(ascii: "/") {
                depth -= 1
                blank(2)
            } else if i < bytes.count {
                blank(1)
            } else {
                throw StripFailure(offset: start, what: "comment")
            }
        } while depth > 0
    }

    private mutating func regex(hashes n: Int) throws(StripFailure) {
        let start = i
        blank(n + 1)
        while !(at(i) == UInt8(ascii: "/") && hashes(from: i + 1) >= n) {
            guard i < bytes.count else { throw StripFailure(offset: start, what: "regex literal") }
            blank(1)
        }
        blank(n + 1)
    }

    private mutating func openString(hashes n: Int) {
        let start = i
        let quote = UInt8(ascii: "\"")
        let multiline = at(i + n + 1) == quote && at(i + n + 2) == quote
        blank(n + (multiline ? 3 : 1))
        stack.append(.string(hashes: n, multiline: multiline, start: start))
    }

    private mutating func string(hashes n: Int, multiline: Bool, start: Int) throws(StripFailure) {
        let c = bytes[i]
        let quote = UInt8(ascii: "\"")
        if c == UInt8(ascii: "\\") && hashes(from: i + 1) >= n {
            if at(i + 1 + n) == UInt8(ascii: "(") {
                blank(n + 2)
                stack.append(.code(interpolation: true, parens: 0))
            } else {
                blank(n + 2)  // the escape and the character it escapes
            }
        } else if c == quote && (!multiline || (at(i + 1) == quote && at(i + 2) == quote)) {
            let close = multiline ? 3 : 1
            if hashes(from: i + close) >= n {
                stack.removeLast()
                blank(close + n)
            } else {
                blank(1)
            }
        } else if c == UInt8(ascii: "\n") && !multiline {
            throw StripFailure(offset: start, what: "string literal")
        } else {
            blank(1)
        }
    }
}
