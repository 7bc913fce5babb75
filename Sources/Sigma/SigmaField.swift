import ByteJSON

/// A field of the provider's record named by a rule (`userIdentity.sessionContext.sessionIssuer.type`),
/// resolved lazily against `Event.raw` with ByteJSON: dots descend into objects (a key that itself
/// contains dots, such as `authorization.k8s.io/decision`, is matched whole first), an array on the
/// way stands for any of its elements, and the values found are collected without building
/// dictionaries.
struct SigmaField: Sendable, Hashable {
    /// The name as written in the rule.
    let name: String
    /// The path resolved in the record (after the provider's aliases).
    let path: String
    /// Azure's REST shape wraps values as `{"value": …, "localizedValue": …}`: use `value`.
    let unwrapValue: Bool
    /// `path` as bytes: keys are compared with it by offset, with no String indexing per key.
    let pathBytes: [UInt8]

    init(name: String, path: String, unwrapValue: Bool) {
        self.name = name
        self.path = path
        self.unwrapValue = unwrapValue
        self.pathBytes = Array(path.utf8)
    }

    /// Values collected per field and event at most (the rest of a huge array is not read).
    static let maxValues = 256

    /// The values at `path` in `root` (an object); arrays at the end are expanded to their elements.
    func values(in root: JSONValue) -> [JSONValue] {
        var out: [JSONValue] = []
        var budget = Self.maxValues
        _ = visit(root, 0, &budget) {
            out.append($0)
            return false
        }
        return out
    }

    /// The values at `path` in a record whose top-level members were read already.
    func values(in record: SigmaRecord) -> [JSONValue] {
        var out: [JSONValue] = []
        _ = first(in: record) {
            out.append($0)
            return false
        }
        return out
    }

    /// Calls `body` with each value at `path` (at most `maxValues`) until it returns true;
    /// true when it did. Matching stops at the first value that satisfies a test, and nothing
    /// is collected on the way.
    func first(in record: SigmaRecord, where body: (JSONValue) -> Bool) -> Bool {
        var budget = Self.maxValues
        var i = 0
        while let m = record.member(at: i) {
            i += 1
            guard let next = after(m.key, from: 0) else { continue }
            if visit(m.value, next, &budget, body) { return true }
        }
        return false
    }

    private func visit(_ v: JSONValue, _ offset: Int, _ budget: inout Int, _ body: (JSONValue) -> Bool) -> Bool {
        guard budget > 0 else { return false }
        if offset >= pathBytes.count { return leaf(v, &budget, body) }
        switch v.kind {
        case .array:
            var it = v.elements()
            while budget > 0, let e = try? it.next() { if visit(e, offset, &budget, body) { return true } }
        case .object:
            var it = v.members()
            while let m = try? it.next() {
                guard let next = after(m.key, from: offset) else { continue }
                if visit(m.value, next, &budget, body) { return true }
            }
        default:
            break
        }
        return false
    }

    private func leaf(_ v: JSONValue, _ budget: inout Int, _ body: (JSONValue) -> Bool) -> Bool {
        if unwrapValue, v.kind == .object, let inner = try? v.member("value") { return leaf(inner, &budget, body) }
        if v.kind == .array {
            var it = v.elements()
            while budget > 0, let e = try? it.next() { if leaf(e, &budget, body) { return true } }
            return false
        }
        budget -= 1
        return body(v)
    }

    /// Where the path goes on after `key` at `offset` (the whole rest, or up to a dot; a key
    /// that itself contains dots is matched whole); nil when `key` does not lead.
    private func after(_ key: JSONKey, from offset: Int) -> Int? {
        if key.hasEscapes {
            guard let text = try? key.decoded() else { return nil }
            return Self.after(Array(text.utf8), pathBytes, offset)
        }
        return Self.after(key.bytes, pathBytes, offset)
    }

    private static func after<C: Collection<UInt8>>(_ key: C, _ path: [UInt8], _ offset: Int) -> Int? {
        let end = offset + key.count
        guard end <= path.count else { return nil }
        var i = offset
        for c in key {
            if path[i] != c { return nil }
            i += 1
        }
        if end == path.count { return end }
        return path[end] == 0x2E ? end + 1 : nil
    }
}

/// The top-level members of the record being matched, read on demand and shared by every rule
/// that reads the event (`RawRecord.memo`): a field test stops at the first member that satisfies
/// it, so a rule on `userIdentity` that matches reads two members of a CloudTrail record, not
/// twenty (members after it are read only when a later test needs them or nothing matched).
/// The members point into the raw buffer, which owns this object, so they never outlive the bytes.
final class SigmaRecord {
    /// Members kept at most (a record with more is matched on its first ones).
    static let maxMembers = 512
    let reader: JSONReader
    // Unchecked: rules read members about 65 times per Kubernetes event, and the runtime's
    // exclusivity check on each class property access cost 74 instructions a read (callgrind).
    // One record is read by one thread, and `member(at:)` is the only writer.
    @exclusivity(unchecked) private var iterator: JSONObjectMembers
    @exclusivity(unchecked) private var members: [JSONMember] = []
    @exclusivity(unchecked) private var complete = false

    private init(reader: JSONReader, iterator: JSONObjectMembers) {
        self.reader = reader
        self.iterator = iterator
        members.reserveCapacity(24)
    }

    /// The whole record as a value (keyword searches); nil when it does not parse.
    var root: JSONValue? { try? reader.root() }

    /// A reader over `raw`; nil when it is not a JSON object. `raw` must outlive the record.
    static func read(_ raw: UnsafeRawBufferPointer) -> SigmaRecord? {
        let reader = JSONReader(raw)
        guard (try? reader.rootKind()) == .object, let it = try? reader.rootMembers() else { return nil }
        return SigmaRecord(reader: reader, iterator: it)
    }

    /// The `i`th top-level member, reading up to it; nil past the last (or after a syntax error,
    /// where the members before it still count, as they did when all were read at once).
    func member(at i: Int) -> JSONMember? {
        while i >= members.count {
            guard !complete, members.count < Self.maxMembers, let m = try? iterator.next() else {
                complete = true
                return nil
            }
            members.append(m)
        }
        return members[i]
    }
}

/// Reading a JSON value as the text a Sigma value is compared with.
enum SigmaText {
    /// Longest text compared (a longer value is compared on its first 64 KiB).
    static let maxInput = 64 * 1024

    /// Calls `body` with the comparable bytes of `v`: a string's decoded text, a number's or a
    /// boolean's JSON text, an object's raw JSON text; nil for null.
    static func withBytes<R>(_ v: JSONValue, _ body: (UnsafeRawBufferPointer) -> R) -> R? {
        switch v.kind {
        case .null: return nil
        case .string:
            if !v.hasEscapes { return body(bounded(v.stringBytes)) }
            guard var s = (try? v.decodeString(maxBytes: maxInput))?.string else { return nil }
            return s.withUTF8 { body(UnsafeRawBufferPointer($0)) }
        default:
            return body(bounded(v.bytes))
        }
    }

    /// The value as a Swift string (regular expressions, CIDR, numbers).
    static func string(_ v: JSONValue) -> String? {
        withBytes(v) { String(decoding: $0, as: UTF8.self) }
    }

    private static func bounded(_ b: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        b.count <= maxInput ? b : UnsafeRawBufferPointer(rebasing: b[0..<maxInput])
    }
}
