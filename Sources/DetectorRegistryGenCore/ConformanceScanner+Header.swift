/// A declaration header as read: `kind name <generics> : inherited where … {`.
struct Header {
    var keyword: Token
    var keywordIndex: Int
    var name: [String] = []
    var generic = false
    var inherited: [[Token]] = []
    var whereClause: [Token] = []
}

extension ConformanceScanner {
    /// Reads the header starting at the keyword `t`, records what it declares and returns the
    /// index of the token after it (its `{` is left for `run()`, which opens the body's scope).
    mutating func header(at t: Int) -> Int {
        var h = Header(keyword: tokens[t], keywordIndex: t)
        var j = t + 1
        h.name.append(tokens[j].name)
        j += 1
        while j + 1 < tokens.count && tokens[j].text == "." && tokens[j + 1].isWord {
            h.name.append(tokens[j + 1].name)
            j += 2
        }
        if j < tokens.count && tokens[j].text == "<" {
            h.generic = true
            j = skipBalanced(from: j)
        }
        if j < tokens.count && tokens[j].text == ":" {
            var items: [[Token]] = [[]]
            j = collect(from: j + 1, into: &items)
            h.inherited = items.filter { !$0.isEmpty }
        }
        if j < tokens.count && tokens[j].text == "where" {
            var clause: [[Token]] = [[]]
            j = collect(from: j + 1, into: &clause)
            h.whereClause = clause.flatMap { $0 }
        }
        record(h)
        return j
    }

    /// Skips `<…>` (nested), returning the index after the closing `>`.
    func skipBalanced(from start: Int) -> Int {
        var depth = 0
        var j = start
        repeat {
            if tokens[j].text == "<" { depth += 1 } else if tokens[j].text == ">" { depth -= 1 }
            j += 1
        } while j < tokens.count && depth > 0 && tokens[j].text != "{"
        return j
    }

    /// Collects comma-separated items until `where` or `{` outside brackets.
    func collect(from start: Int, into items: inout [[Token]]) -> Int {
        var depth = 0
        var j = start
        while j < tokens.count {
            let text = tokens[j].text
            if text == "{" || (depth == 0 && text == "where") { break }
            if text == "<" || text == "(" || text == "[" { depth += 1 }
            if text == ">" || text == ")" || text == "]" { depth -= 1 }
            if depth == 0 && text == "," {
                items.append([])
            } else {
                items[items.count - 1].append(tokens[j])
            }
            j += 1
        }
        return j
    }

    /// Whether an inherited item (`P`, `M.P`, `@retroactive P`, `A & P`) names the protocol.
    func names(_ item: [Token]) -> Bool {
        var depth = 0
        var lastWord: String?
        for token in item {
            switch token.text {
            case "<", "(", "[": depth += 1
            case ">", ")", "]": depth -= 1
            case "&":
                if depth == 0 && lastWord == protocolName { return true }
                lastWord = nil
            default:
                if depth == 0 && token.isWord { lastWord = token.name }
            }
        }
        return lastWord == protocolName
    }

    /// The modifiers before the keyword at `t` (attributes such as `@MainActor` or
    /// `@available(…)` are stepped over).
    func modifiers(before t: Int) -> Set<String> {
        var found: Set<String> = []
        var b = t - 1
        while b >= 0 {
            let text = tokens[b].text
            if Self.modifiers.contains(text) {
                found.insert(text)
                b -= 1
            } else if b > 0 && tokens[b - 1].text == "@" && tokens[b].isWord {
                b -= 2
            } else if text == ")" {
                var depth = 0
                repeat {
                    if tokens[b].text == ")" { depth += 1 } else if tokens[b].text == "(" { depth -= 1 }
                    b -= 1
                } while b >= 0 && depth > 0
            } else {
                break
            }
        }
        return found
    }
}
