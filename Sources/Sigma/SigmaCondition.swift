/// A parsed `condition:`: `and`, `or`, `not`, parentheses, `1 of X*`, `all of X*`, `1 of them`,
/// `all of them` over the rule's search identifiers, with precedence not > and > or.
indirect enum SigmaCondition: Sendable, Equatable {
    case ref(Int)
    case not(SigmaCondition)
    case and([SigmaCondition])
    case or([SigmaCondition])
    /// At least `n` of the selections (1 of …).
    case atLeast(Int, [Int])
    /// All of the selections.
    case all([Int])

    /// Evaluates with `selection(i)` deciding each identifier (called lazily, left to right).
    func evaluate(_ selection: (Int) -> Bool) -> Bool {
        switch self {
        case .ref(let i): return selection(i)
        case .not(let c): return !c.evaluate(selection)
        case .and(let list): return list.allSatisfy { $0.evaluate(selection) }
        case .or(let list): return list.contains { $0.evaluate(selection) }
        case .all(let list): return list.allSatisfy(selection)
        case .atLeast(let n, let list):
            var hits = 0
            for i in list where selection(i) {
                hits += 1
                if hits >= n { return true }
            }
            return false
        }
    }
}

/// Why a condition could not be parsed; `code` is a stable diagnostic code.
struct SigmaConditionError: Error, Equatable {
    let code: String
    let message: String
}

/// Recursive-descent parser of Sigma conditions. Nesting is bounded (`maxDepth`) because rule
/// files may come from anywhere.
struct SigmaConditionParser {
    /// Deepest nesting of parentheses and `not` accepted.
    static let maxDepth = 64
    /// Longest condition accepted.
    static let maxLength = 16 * 1024

    private var tokens: [Substring] = []
    private var pos = 0
    private var depth = 0
    private let names: [String]

    /// Parses `text` over the search identifiers `names` (indexes into it).
    static func parse(_ text: String, names: [String]) throws(SigmaConditionError) -> SigmaCondition {
        guard text.utf8.count <= maxLength else {
            throw SigmaConditionError(code: SigmaCode.condition, message: "condition longer than \(maxLength) bytes")
        }
        if text.contains("|") {
            throw SigmaConditionError(
                code: SigmaCode.aggregation,
                message: "aggregation (`| count()`, `| near`) in the condition is not supported (use correlation rules)"
            )
        }
        var p = SigmaConditionParser(names: names)
        p.tokens = tokenize(text)
        guard !p.tokens.isEmpty else {
            throw SigmaConditionError(code: SigmaCode.condition, message: "empty condition")
        }
        let c = try p.expression()
        if p.pos < p.tokens.count {
            throw SigmaConditionError(
                code: SigmaCode.condition, message: "unexpected '\(p.tokens[p.pos].prefix(40))' in condition")
        }
        return c
    }

    private init(names: [String]) { self.names = names }

    private static func tokenize(_ text: String) -> [Substring] {
        var out: [Substring] = []
        var start: String.Index? = nil
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == "(" || c == ")" || c.isWhitespace {
                if let s = start { out.append(text[s..<i]) }
                start = nil
                if !c.isWhitespace { out.append(text[i...i]) }
            } else if start == nil {
                start = i
            }
            i = text.index(after: i)
        }
        if let s = start { out.append(text[s...]) }
        return out
    }

    private func peek(_ word: String) -> Bool { pos < tokens.count && tokens[pos].lowercased() == word }

    private mutating func expression() throws(SigmaConditionError) -> SigmaCondition {
        var parts = [try conjunction()]
        while peek("or") {
            pos += 1
            parts.append(try conjunction())
        }
        return parts.count == 1 ? parts[0] : .or(parts)
    }

    private mutating func conjunction() throws(SigmaConditionError) -> SigmaCondition {
        var parts = [try unary()]
        while peek("and") {
            pos += 1
            parts.append(try unary())
        }
        return parts.count == 1 ? parts[0] : .and(parts)
    }

    private mutating func unary() throws(SigmaConditionError) -> SigmaCondition {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maxDepth else {
            throw SigmaConditionError(
                code: SigmaCode.condition, message: "condition nested deeper than \(Self.maxDepth)")
        }
        if peek("not") {
            pos += 1
            return .not(try unary())
        }
        return try primary()
    }

    private mutating func primary() throws(SigmaConditionError) -> SigmaCondition {
        guard pos < tokens.count else {
            throw SigmaConditionError(code: SigmaCode.condition, message: "condition ends where a term was expected")
        }
        let t = tokens[pos]
        pos += 1
        if t == "(" {
            let inner = try expression()
            guard peek(")") else { throw SigmaConditionError(code: SigmaCode.condition, message: "missing ')'") }
            pos += 1
            return inner
        }
        if pos < tokens.count, tokens[pos].lowercased() == "of" {
            pos += 1
            return try quantifier(String(t).lowercased())
        }
        if ["and", "or", ")", "of"].contains(t.lowercased()) {
            throw SigmaConditionError(code: SigmaCode.condition, message: "unexpected '\(t)' in condition")
        }
        guard let i = names.firstIndex(of: String(t)) else {
            throw SigmaConditionError(
                code: SigmaCode.condition,
                message: "condition names '\(t.prefix(80))', which the detection does not define")
        }
        return .ref(i)
    }

    private mutating func quantifier(_ count: String) throws(SigmaConditionError) -> SigmaCondition {
        guard pos < tokens.count else {
            throw SigmaConditionError(code: SigmaCode.condition, message: "'of' without a pattern")
        }
        let target = String(tokens[pos])
        pos += 1
        let matched: [Int]
        if target.lowercased() == "them" {
            matched = names.indices.filter { !names[$0].hasPrefix("_") }
        } else {
            let glob = SigmaPattern(target, cased: true)
            matched = names.indices.filter { i in
                var n = names[i]
                return n.withUTF8 { glob.matches(UnsafeRawBufferPointer($0)) }
            }
        }
        guard !matched.isEmpty else {
            throw SigmaConditionError(
                code: SigmaCode.condition, message: "'\(count) of \(target.prefix(80))' matches no search identifier")
        }
        switch count {
        case "all": return .all(matched)
        case "any": return .atLeast(1, matched)
        default:
            guard let n = Int(count), n >= 1 else {
                throw SigmaConditionError(
                    code: SigmaCode.condition, message: "'\(count.prefix(20)) of' is not a quantifier")
            }
            return .atLeast(n, matched)
        }
    }
}
