#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

@inlinable
func memcmpBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
    memcmp(a, b, n) == 0
}

/// Iterator over an object's members: `while let m = try it.next() { … }`.
public struct JSONObjectMembers {
    @usableFromInline let base: UnsafeRawPointer
    @usableFromInline var pos: Int
    @usableFromInline let limit: Int
    @usableFromInline let enclosing: Int
    @usableFromInline let maxDepth: Int
    /// For the root object: buffer end; after `}` only whitespace may follow. -1 otherwise.
    @usableFromInline let trailingLimit: Int
    @usableFromInline var state: UInt8 = 0  // 0 first, 1 after a member, 2 done

    @inlinable
    init(base: UnsafeRawPointer, pos: Int, limit: Int, enclosing: Int, maxDepth: Int, trailingLimit: Int) {
        self.base = base
        self.pos = pos
        self.limit = limit
        self.enclosing = enclosing
        self.maxDepth = maxDepth
        self.trailingLimit = trailingLimit
    }

    @inlinable static func empty(_ base: UnsafeRawPointer) -> JSONObjectMembers {
        var it = JSONObjectMembers(base: base, pos: 0, limit: 0, enclosing: 0, maxDepth: 0, trailingLimit: -1)
        it.state = 2
        return it
    }

    /// Offset where the iterator stands (just after the last member returned).
    public var offset: Int { pos }

    /// The next member, or nil after the closing brace.
    public mutating func next() throws(JSONError) -> JSONMember? {
        if state == 2 { return nil }
        var i = Scan.skipSpace(base, pos, limit)
        guard i < limit else { throw Scan.eof(limit) }
        var c = Scan.byte(base, i)
        if c == 0x7D { return try close(at: i) }
        if state == 1 {
            guard c == 0x2C else { throw JSONError(.syntax, at: i, "expected ',' or '}' in object") }
            i = Scan.skipSpace(base, i + 1, limit)
            guard i < limit else { throw Scan.eof(limit) }
            c = Scan.byte(base, i)
        }
        guard c == Scan.quote else { throw JSONError(.syntax, at: i, "expected a string key") }
        let (keyEnd, flags) = try Scan.stringEnd(base, i + 1, limit)
        let key = JSONKey(base: base, start: i + 1, end: keyEnd - 1, hasEscapes: flags & Scan.escapeFlag != 0)
        i = Scan.skipSpace(base, keyEnd, limit)
        guard i < limit else { throw Scan.eof(limit) }
        guard Scan.byte(base, i) == 0x3A else { throw JSONError(.syntax, at: i, "expected ':' after key") }
        let value = try Scan.value(base, i + 1, limit, enclosing: enclosing, maxDepth: maxDepth)
        pos = value.end
        state = 1
        return JSONMember(key: key, value: value)
    }

    private mutating func close(at i: Int) throws(JSONError) -> JSONMember? {
        state = 2
        pos = i + 1
        if trailingLimit >= 0 {
            let j = Scan.skipSpace(base, pos, trailingLimit)
            if j < trailingLimit { throw JSONError(.syntax, at: j, "unexpected data after the JSON value") }
        }
        return nil
    }
}

/// Iterator over an array's elements: `while let v = try it.next() { … }`.
public struct JSONArrayElements {
    @usableFromInline let base: UnsafeRawPointer
    @usableFromInline var pos: Int
    @usableFromInline let limit: Int
    @usableFromInline let enclosing: Int
    @usableFromInline let maxDepth: Int
    @usableFromInline var state: UInt8 = 0

    @inlinable
    init(base: UnsafeRawPointer, pos: Int, limit: Int, enclosing: Int, maxDepth: Int) {
        self.base = base
        self.pos = pos
        self.limit = limit
        self.enclosing = enclosing
        self.maxDepth = maxDepth
        if limit == 0 { state = 2 }
    }

    /// The next element, or nil after the closing bracket.
    public mutating func next() throws(JSONError) -> JSONValue? {
        if state == 2 { return nil }
        var i = Scan.skipSpace(base, pos, limit)
        guard i < limit else { throw Scan.eof(limit) }
        let c = Scan.byte(base, i)
        if c == 0x5D {
            state = 2
            pos = i + 1
            return nil
        }
        if state == 1 {
            guard c == 0x2C else { throw JSONError(.syntax, at: i, "expected ',' or ']' in array") }
            i += 1
        }
        let v = try Scan.value(base, i, limit, enclosing: enclosing, maxDepth: maxDepth)
        pos = v.end
        state = 1
        return v
    }
}
