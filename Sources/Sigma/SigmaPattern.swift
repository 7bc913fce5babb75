/// A Sigma string value compiled for matching bytes: wildcards `*` (any run) and `?` (one
/// character) with `\*`, `\?` and `\\` as escapes; ASCII letters compared without case unless
/// the rule says `cased` (the Sigma specification makes plain string matches case-insensitive).
/// Exact, prefix, suffix and substring forms are recognised at compile time so that the common
/// cases are one comparison.
struct SigmaPattern: Sendable, Hashable {
    /// The shapes a pattern takes after compiling.
    enum Shape: Sendable, Hashable {
        case exact
        case prefix
        case suffix
        case contains
        /// Present and not null (`*` alone).
        case any
        case glob
    }

    /// Element of a glob.
    enum Token: Sendable, Hashable {
        case byte(UInt8)
        case one
        case star
    }

    let shape: Shape
    /// Literal bytes (folded unless `cased`) for the non-glob shapes.
    let literal: [UInt8]
    /// Tokens for `glob`.
    let tokens: [Token]
    let cased: Bool
    /// For `contains`: the literal's byte that `find` looks for first, the one least likely in log
    /// text (an ARN or user agent is full of `:`, `/` and digits, few `w` or `q`).
    let anchor: Int
    /// The value as written in the rule, for messages and generated test records.
    let source: String

    /// Longest pattern accepted; a glob is matched in time proportional to pattern × input.
    static let maxLength = 4096

    init(_ text: String, cased: Bool = false) {
        source = text
        self.cased = cased
        var toks: [Token] = []
        var bytes = Array(text.utf8.prefix(Self.maxLength))
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x5C, i + 1 < bytes.count, [0x2A, 0x3F, 0x5C].contains(bytes[i + 1]) {
                toks.append(.byte(bytes[i + 1]))
                i += 2
                continue
            }
            toks.append(b == 0x2A ? .star : b == 0x3F ? .one : .byte(cased ? b : Self.fold(b)))
            i += 1
        }
        bytes.removeAll()
        // Collapse runs of stars.
        var collapsed: [Token] = []
        for t in toks where !(t == .star && collapsed.last == .star) { collapsed.append(t) }
        let inner = collapsed.drop { $0 == .star }.reversed().drop { $0 == .star }.reversed()
        let plain = !inner.contains { $0 == .star || $0 == .one }
        let lead = collapsed.first == .star
        let trail = collapsed.count > 1 && collapsed.last == .star
        func lit() -> [UInt8] {
            inner.compactMap {
                if case .byte(let b) = $0 { return b }
                return nil
            }
        }
        switch (plain, lead, trail) {
        case (true, false, false): (shape, literal, tokens) = (.exact, lit(), [])
        case (true, false, true): (shape, literal, tokens) = (.prefix, lit(), [])
        case (true, true, false) where !inner.isEmpty: (shape, literal, tokens) = (.suffix, lit(), [])
        case (true, true, _) where inner.isEmpty: (shape, literal, tokens) = (.any, [], [])
        case (true, true, true): (shape, literal, tokens) = (.contains, lit(), [])
        default: (shape, literal, tokens) = (.glob, [], collapsed)
        }
        anchor = Self.rarest(literal)
    }

    /// Index of the byte of `literal` least common in log text (the first of equals).
    static func rarest(_ literal: [UInt8]) -> Int {
        func commonness(_ b: UInt8) -> Int {
            switch b {
            case UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: " "),
                UInt8(ascii: "_"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return 30
            case UInt8(ascii: "e"), UInt8(ascii: "a"), UInt8(ascii: "s"), UInt8(ascii: "r"), UInt8(ascii: "t"),
                UInt8(ascii: "o"), UInt8(ascii: "i"), UInt8(ascii: "n"):
                return 20
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): return 10
            default: return 5
            }
        }
        var best = 0
        for i in literal.indices where commonness(literal[i]) < commonness(literal[best]) { best = i }
        return best
    }

    @inline(__always) static func fold(_ b: UInt8) -> UInt8 { b &- 65 < 26 ? b | 0x20 : b }

    @inline(__always) private func eq(_ a: UInt8, _ p: UInt8) -> Bool { (cased ? a : Self.fold(a)) == p }

    /// True when `input` matches.
    func matches(_ input: UnsafeRawBufferPointer) -> Bool {
        switch shape {
        case .any: return true
        case .exact: return input.count == literal.count && at(input, 0)
        case .prefix: return input.count >= literal.count && at(input, 0)
        case .suffix: return input.count >= literal.count && at(input, input.count - literal.count)
        case .contains:
            if literal.isEmpty { return true }
            guard input.count >= literal.count else { return false }
            return find(input)
        case .glob: return glob(input)
        }
    }

    /// True when the literal occurs in `input` (not shorter than it). Eight bytes at a time: a
    /// word with no byte equal to the literal's anchor (either case, unless `cased`) is skipped whole,
    /// so a test that fails, as most do, costs about a comparison per word of the field.
    private func find(_ input: UnsafeRawBufferPointer) -> Bool {
        // Positions are candidate starts; the word tested is the anchor byte's, `anchor` further on.
        let first = literal[anchor]
        let orByte: UInt8 = !cased && first &- 97 < 26 ? 0x20 : 0
        let lows: UInt64 = 0x0101_0101_0101_0101
        let mask = UInt64(orByte) &* lows
        let pattern = UInt64(first) &* lows
        let last = input.count - literal.count
        var i = 0
        while i <= last {
            if i + anchor + 8 <= input.count {
                let x = (input.loadUnaligned(fromByteOffset: i + anchor, as: UInt64.self) | mask) ^ pattern
                // A high bit per zero byte of x (a byte equal to the anchor), plus possibly false ones
                // above a true one; none: no candidate in these eight positions.
                var zeros = (x &- lows) & ~x & (lows &<< 7)
                while zeros != 0 {
                    let k = zeros.trailingZeroBitCount >> 3
                    if i + k <= last && input[i + anchor + k] | orByte == first && at(input, i + k) { return true }
                    zeros &= zeros &- 1
                }
                i += 8
                continue
            }
            let end = min(i + 8, last + 1)
            while i < end {
                if input[i + anchor] | orByte == first && at(input, i) { return true }
                i += 1
            }
        }
        return false
    }

    private func at(_ input: UnsafeRawBufferPointer, _ offset: Int) -> Bool {
        var k = 0
        while k < literal.count {
            if !eq(input[offset + k], literal[k]) { return false }
            k += 1
        }
        return true
    }

    /// Iterative wildcard matching with one backtrack point (the last star): O(n·m) at worst.
    private func glob(_ s: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        var p = 0
        var starP = -1
        var starI = 0
        while i < s.count {
            if p < tokens.count {
                switch tokens[p] {
                case .star:
                    starP = p
                    starI = i
                    p += 1
                    continue
                case .one:
                    // One character: skip a whole UTF-8 sequence.
                    i += Self.sequenceLength(s[i])
                    p += 1
                    continue
                case .byte(let b) where eq(s[i], b):
                    i += 1
                    p += 1
                    continue
                default: break
                }
            }
            guard starP >= 0 else { return false }
            p = starP + 1
            starI += 1
            i = starI
        }
        while p < tokens.count, tokens[p] == .star { p += 1 }
        return p == tokens.count
    }

    static func sequenceLength(_ lead: UInt8) -> Int {
        lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }
}
