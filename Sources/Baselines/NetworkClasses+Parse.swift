import EventModel

extension NetworkClasses {
    /// A line of a snapshot that was not used, with why (the Runtime reports it with the file name).
    public struct Issue: Sendable, Equatable {
        /// 1-based line number.
        public var line: Int
        /// What is wrong, in words.
        public var message: String
    }

    /// A prefix as read: its unit range and priority (longer prefixes win).
    fileprivate struct Prefix {
        var start: UInt64
        var end: UInt64
        var length: Int
        var index: UInt32
    }

    /// Parses a snapshot: `<cidr> TAB <class name>` per line; `#` lines are comments, of which
    /// `# date:` and `# source:` are kept. Bad lines are returned as issues and skipped; nothing
    /// traps whatever the text. Class names are cut to 64 bytes. Byte-wise: a scan loads the
    /// 37,000-line bundled snapshot at start-up, so splitting it into Substrings would cost more
    /// than a small scan.
    public static func parse(_ text: String) -> (classes: NetworkClasses, issues: [Issue]) {
        var text = text
        return text.withUTF8 { u in
            var reader = SnapshotReader()
            var start = 0
            while start <= u.count {
                var end = start
                while end < u.count, u[end] != 0x0A { end += 1 }
                var stop = end
                if stop > start, u[stop - 1] == 0x0D { stop -= 1 }
                reader.lineNumber += 1
                if !reader.line(UnsafeBufferPointer(rebasing: u[start..<stop])) { break }
                start = end + 1
            }
            return reader.finish()
        }
    }

    /// The state of one `parse`: classes and prefixes read so far.
    private struct SnapshotReader {
        var names: [String] = []
        var nameIndex: [String: UInt32] = [:]
        /// Class indices by the FNV-1a hash of a line's class bytes as written (checked against
        /// them): the bundled snapshot is sorted by prefix, so the class changes on almost every
        /// line, and making a `String` of each to look it up was half the cost of loading it.
        var byRaw: [UInt64: (raw: [UInt8], index: UInt32)] = [:]
        var v4: [Prefix] = []
        var v6: [Prefix] = []
        var issues: [Issue] = []
        var date = ""
        var sources: [String] = []
        var lineNumber = 0

        /// Reads one line (without its end); false when the prefix limit stops the reading.
        mutating func line(_ line: UnsafeBufferPointer<UInt8>) -> Bool {
            if line.isEmpty { return true }
            if line[0] == UInt8(ascii: "#") {
                comment(line)
                return true
            }
            guard v4.count + v6.count < maxPrefixes else {
                issues.append(Issue(line: lineNumber, message: "more than \(maxPrefixes) prefixes; the rest ignored"))
                return false
            }
            guard let tab = line.firstIndex(of: 0x09), line[(tab + 1)...].contains(where: { $0 != 0x20 }),
                let p = NetworkClasses.prefix(UnsafeBufferPointer(rebasing: line[..<tab]))
            else {
                if issues.count < 100 {
                    let shown = clip(String(decoding: line, as: UTF8.self)[...], 80)
                    issues.append(Issue(line: lineNumber, message: "expected '<cidr><TAB><class>', got '\(shown)'"))
                }
                return true
            }
            guard let index = classIndex(UnsafeBufferPointer(rebasing: line[(tab + 1)...])) else { return true }
            let entry = Prefix(start: p.start, end: p.end, length: p.length, index: index)
            if p.v6 { v6.append(entry) } else { v4.append(entry) }
            return true
        }

        /// `# date:` and `# source:` comments are kept; others are skipped.
        mutating func comment(_ line: UnsafeBufferPointer<UInt8>) {
            let text = String(decoding: line.prefix(512), as: UTF8.self)[...]
            if text.hasPrefix("# date:") { date = clip(text.dropFirst(7), 32) }
            if text.hasPrefix("# source:"), sources.count < 16 { sources.append(clip(text.dropFirst(9), 300)) }
        }

        /// The class's index; nil when `maxClasses` names are already known.
        mutating func classIndex(_ raw: UnsafeBufferPointer<UInt8>) -> UInt32? {
            var h = FNV1a()
            h.add(raw)
            if let known = byRaw[h.value], Self.same(raw, known.raw) { return known.index }
            let name = clip(String(decoding: raw, as: UTF8.self)[...], 64)
            var index = nameIndex[name]
            if index == nil {
                guard names.count < maxClasses else { return nil }
                index = UInt32(names.count)
                nameIndex[name] = index
                names.append(name)
            }
            // Bounded with the classes: a spelling is cached only while `maxClasses` allows.
            if byRaw.count < 2 * maxClasses, let index { byRaw[h.value] = (Array(raw), index) }
            return index
        }

        private static func same(_ a: UnsafeBufferPointer<UInt8>, _ b: [UInt8]) -> Bool {
            guard a.count == b.count else { return false }
            for i in 0..<a.count where a[i] != b[i] { return false }
            return true
        }

        func finish() -> (classes: NetworkClasses, issues: [Issue]) {
            let classes = NetworkClasses(
                names: names, v4: disjoint(v4), v6: disjoint(v6), date: date, sources: sources)
            return (classes, issues)
        }
    }

    private static func clip(_ s: Substring, _ n: Int) -> String {
        String(decoding: s.utf8.prefix(n), as: UTF8.self).trimmingSpaces()
    }

    /// `a.b.c.d/len` or `x:y::/len` as a range of /24 (IPv4) or /48 (IPv6) units.
    private static func prefix(_ cidr: UnsafeBufferPointer<UInt8>) -> (
        start: UInt64, end: UInt64, length: Int, v6: Bool
    )? {
        guard let slash = cidr.firstIndex(of: UInt8(ascii: "/")), slash + 1 < cidr.count, cidr.count - slash <= 4
        else { return nil }
        var length = 0
        for c in cidr[(slash + 1)...] {
            guard c >= 48, c <= 57 else { return nil }
            length = length * 10 + Int(c - 48)
        }
        guard let key = NetworkKey.of(ipBytes: UnsafeBufferPointer(rebasing: cidr[..<slash])) else { return nil }
        let v6 = NetworkKey.isV6(key)
        let bits = v6 ? 48 : 24
        guard length <= (v6 ? 128 : 32) else { return nil }
        let span = max(0, bits - length)
        let unit = key & (v6 ? 0xFFFF_FFFF_FFFF : 0xFF_FFFF)
        let mask: UInt64 = span == 0 ? 0 : (1 << UInt64(span)) - 1
        let start = unit & ~mask
        return (start, start | mask, length, v6)
    }

    /// Nested prefixes (CIDRs nest or are disjoint) as disjoint segments, the longest prefix
    /// winning; equal prefixes keep the one read last.
    fileprivate static func disjoint(_ prefixes: [Prefix]) -> [Segment] {
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
