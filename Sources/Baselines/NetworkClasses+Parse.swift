extension NetworkClasses {
    /// A line of a snapshot that was not used, with why (the Runtime reports it with the file name).
    public struct Issue: Sendable, Equatable {
        /// 1-based line number.
        public var line: Int
        /// What is wrong, in words.
        public var message: String
    }

    /// A prefix as read: its unit range and priority (longer prefixes win).
    private struct Prefix {
        var start: UInt64
        var end: UInt64
        var length: Int
        var index: UInt32
    }

    /// Parses a snapshot: `<cidr> TAB <class name>` per line; `#` lines are comments, of which
    /// `# date:` and `# source:` are kept. Bad lines are returned as issues and skipped; nothing
    /// traps whatever the text. Class names are cut to 64 bytes.
    public static func parse(_ text: String) -> (classes: NetworkClasses, issues: [Issue]) {
        var names: [String] = []
        var nameIndex: [String: UInt32] = [:]
        var v4: [Prefix] = []
        var v6: [Prefix] = []
        var issues: [Issue] = []
        var date = ""
        var sources: [String] = []
        var lineNumber = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.isEmpty { continue }
            if line.hasPrefix("#") {
                if line.hasPrefix("# date:") { date = clip(line.dropFirst(7), 32) }
                if line.hasPrefix("# source:"), sources.count < 16 { sources.append(clip(line.dropFirst(9), 300)) }
                continue
            }
            guard v4.count + v6.count < maxPrefixes else {
                issues.append(Issue(line: lineNumber, message: "more than \(maxPrefixes) prefixes; the rest ignored"))
                break
            }
            let parts = line.split(separator: "\t", maxSplits: 1)
            guard parts.count == 2, let p = prefix(parts[0]) else {
                if issues.count < 100 {
                    issues.append(
                        Issue(line: lineNumber, message: "expected '<cidr><TAB><class>', got '\(clip(line, 80))'"))
                }
                continue
            }
            let name = clip(parts[1], 64)
            var index = nameIndex[name]
            if index == nil {
                guard names.count < maxClasses else { continue }
                index = UInt32(names.count)
                nameIndex[name] = index
                names.append(name)
            }
            let entry = Prefix(start: p.start, end: p.end, length: p.length, index: index ?? 0)
            if p.v6 { v6.append(entry) } else { v4.append(entry) }
        }
        let classes = NetworkClasses(
            names: names, v4: disjoint(v4), v6: disjoint(v6), date: date, sources: sources)
        return (classes, issues)
    }

    private static func clip(_ s: Substring, _ n: Int) -> String {
        String(decoding: s.utf8.prefix(n), as: UTF8.self).trimmingSpaces()
    }

    /// `a.b.c.d/len` or `x:y::/len` as a range of /24 (IPv4) or /48 (IPv6) units.
    private static func prefix(_ cidr: Substring) -> (start: UInt64, end: UInt64, length: Int, v6: Bool)? {
        let parts = cidr.split(separator: "/")
        guard parts.count == 2, let length = Int(parts[1]), let key = NetworkKey.of(ip: String(parts[0])) else {
            return nil
        }
        let v6 = NetworkKey.isV6(key)
        let bits = v6 ? 48 : 24
        guard length >= 0, length <= (v6 ? 128 : 32) else { return nil }
        let span = max(0, bits - length)
        let unit = key & (v6 ? 0xFFFF_FFFF_FFFF : 0xFF_FFFF)
        let mask: UInt64 = span == 0 ? 0 : (1 << UInt64(span)) - 1
        let start = unit & ~mask
        return (start, start | mask, length, v6)
    }

    /// Nested prefixes (CIDRs nest or are disjoint) as disjoint segments, the longest prefix
    /// winning; equal prefixes keep the one read last.
    private static func disjoint(_ prefixes: [Prefix]) -> [Segment] {
        let sorted = prefixes.enumerated().sorted {
            ($0.element.start, $0.element.length, $0.offset) < ($1.element.start, $1.element.length, $1.offset)
        }.map(\.element)
        var out: [Segment] = []
        out.reserveCapacity(sorted.count)
        var stack: [Prefix] = []
        var cursor: UInt64 = 0
        func emit(_ from: UInt64, _ to: UInt64, _ index: UInt32) {
            guard from <= to else { return }
            if let last = out.last, last.index == index, last.end &+ 1 == from {
                out[out.count - 1].end = to
            } else {
                out.append(Segment(start: from, end: to, index: index))
            }
        }
        for p in sorted {
            while let top = stack.last, top.end < p.start {
                emit(cursor, top.end, top.index)
                cursor = top.end &+ 1
                stack.removeLast()
            }
            if let top = stack.last, cursor < p.start { emit(cursor, p.start - 1, top.index) }
            cursor = max(cursor, p.start)
            if let top = stack.last, top.start == p.start, top.end == p.end { stack.removeLast() }
            stack.append(p)
        }
        while let top = stack.popLast() {
            if top.end >= cursor { emit(cursor, top.end, top.index) }
            cursor = top.end &+ 1
        }
        return out
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
