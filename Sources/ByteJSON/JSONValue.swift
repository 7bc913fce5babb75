/// One JSON value inside a buffer: its kind and byte range, nothing decoded.
///
/// A `JSONValue` points into the buffer given to `JSONReader`; it must not outlive it.
/// Containers are already delimited (skipped) when you get one, so `end` is exact.
public struct JSONValue {
    @usableFromInline let base: UnsafeRawPointer
    /// Offset of the value's first byte (the `"`, `{`, `[`, digit or letter).
    public let start: Int
    /// Offset just after the value's last byte.
    public let end: Int
    /// Kind of the value.
    public let kind: JSONKind
    @usableFromInline let flags: UInt8
    @usableFromInline let enclosing: Int32
    @usableFromInline let maxDepth: Int32

    @inlinable
    init(
        base: UnsafeRawPointer, start: Int, end: Int, kind: JSONKind, flags: UInt8, enclosing: Int, maxDepth: Int
    ) {
        self.base = base
        self.start = start
        self.end = end
        self.kind = kind
        self.flags = flags
        self.enclosing = Int32(truncatingIfNeeded: enclosing)
        self.maxDepth = Int32(truncatingIfNeeded: maxDepth)
    }

    /// Byte range in the reader's buffer.
    @inlinable public var range: Range<Int> { start..<end }

    /// The value's raw JSON text (quotes included for strings).
    @inlinable public var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + start, count: end - start)
    }

    /// For strings: the bytes between the quotes, escapes not decoded. Empty for other kinds.
    @inlinable public var stringBytes: UnsafeRawBufferPointer {
        guard kind == .string else { return UnsafeRawBufferPointer(start: base + start, count: 0) }
        return UnsafeRawBufferPointer(start: base + start + 1, count: end - start - 2)
    }

    /// For strings: true when the body contains a backslash escape.
    @inlinable public var hasEscapes: Bool { flags & Scan.escapeFlag != 0 }

    /// For strings: true when the body is plain ASCII (no escapes needed for that).
    @inlinable public var isASCII: Bool { flags & Scan.nonASCIIFlag == 0 }

    /// True for `null`.
    @inlinable public var isNull: Bool { kind == .null }

    /// `true`/`false` for the JSON literals, nil otherwise.
    @inlinable public var bool: Bool? {
        switch kind {
        case .true: return true
        case .false: return false
        default: return nil
        }
    }

    /// Number of containers around this value (0 for the root).
    @inlinable public var depth: Int { Int(enclosing) }

    /// Iterates the members of an object (empty for other kinds). Values are
    /// delimited one at a time, so a syntax error surfaces from `next()`.
    @inlinable public func members() -> JSONObjectMembers {
        guard kind == .object else { return JSONObjectMembers.empty(base) }
        return JSONObjectMembers(
            base: base, pos: start + 1, limit: end, enclosing: Int(enclosing) + 1, maxDepth: Int(maxDepth),
            trailingLimit: -1)
    }

    /// Iterates the elements of an array (empty for other kinds).
    @inlinable public func elements() -> JSONArrayElements {
        guard kind == .array else { return JSONArrayElements(base: base, pos: 0, limit: 0, enclosing: 0, maxDepth: 0) }
        return JSONArrayElements(
            base: base, pos: start + 1, limit: end, enclosing: Int(enclosing) + 1, maxDepth: Int(maxDepth))
    }

    /// Looks up the first member named `key` of an object; nil when absent or not an object.
    /// Cost: a scan of the object's members (values are skipped, not decoded).
    public func member(_ key: StaticString) throws(JSONError) -> JSONValue? {
        var it = members()
        while let m = try it.next() {
            if m.key == key { return m.value }
        }
        return nil
    }
}

/// An object key: the bytes between its quotes. Compared without making a `String`.
public struct JSONKey {
    @usableFromInline let base: UnsafeRawPointer
    /// Offset of the first byte after the opening quote.
    public let start: Int
    /// Offset of the closing quote.
    public let end: Int
    /// True when the key contains a backslash escape (then comparisons decode it).
    public let hasEscapes: Bool

    @inlinable init(base: UnsafeRawPointer, start: Int, end: Int, hasEscapes: Bool) {
        self.base = base
        self.start = start
        self.end = end
        self.hasEscapes = hasEscapes
    }

    /// The raw key bytes (escapes not decoded).
    @inlinable public var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + start, count: end - start)
    }

    /// Byte-wise equality with `other` (as decoded text when the key has escapes).
    @inlinable public func equals(_ other: UnsafeRawBufferPointer) -> Bool {
        if hasEscapes { return decodedEquals(other) }
        let n = end - start
        guard n == other.count else { return false }
        return n == 0 || memcmpBytes(base + start, other.baseAddress!, n)
    }

    /// Key equals a literal, e.g. `key == "eventName"`; no allocation unless escaped.
    @inlinable public static func == (key: JSONKey, literal: StaticString) -> Bool {
        key.equals(UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    @usableFromInline func decodedEquals(_ other: UnsafeRawBufferPointer) -> Bool {
        guard let s = try? decoded() else { return false }
        return s.utf8.elementsEqual(other)
    }

    /// The key as a `String` (escapes decoded, invalid UTF-8 replaced).
    public func decoded() throws(JSONError) -> String {
        try JSONStrings.decode(base: base, start: start, end: end, escaped: hasEscapes, maxBytes: Int.max).string
    }
}

/// One object member.
public struct JSONMember {
    /// The key.
    public let key: JSONKey
    /// The value, already delimited.
    public let value: JSONValue
}
