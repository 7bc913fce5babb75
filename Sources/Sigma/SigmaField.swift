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

    /// Values collected per field and event at most (the rest of a huge array is not read).
    static let maxValues = 256

    /// The values at `path` in `root` (an object); arrays at the end are expanded to their elements.
    func values(in root: JSONValue) -> [JSONValue] {
        var out: [JSONValue] = []
        var rest = Substring(path)
        collect(root, &rest, &out)
        return out
    }

    /// The values at `path` in a record whose top-level members were read already.
    func values(in record: SigmaRecord) -> [JSONValue] {
        var out: [JSONValue] = []
        for m in record.members {
            let tail: Substring?
            if m.key.hasEscapes {
                tail = Self.after(Array(((try? m.key.decoded()) ?? "").utf8), in: Substring(path))
            } else {
                tail = Self.after(m.key.bytes, in: Substring(path))
            }
            guard var next = tail else { continue }
            collect(m.value, &next, &out)
        }
        return out
    }

    private func collect(_ v: JSONValue, _ rest: inout Substring, _ out: inout [JSONValue]) {
        guard out.count < Self.maxValues else { return }
        if rest.isEmpty {
            add(v, &out)
            return
        }
        switch v.kind {
        case .array:
            var it = v.elements()
            while let e = try? it.next(), out.count < Self.maxValues { collect(e, &rest, &out) }
        case .object:
            var it = v.members()
            while let m = try? it.next() {
                let tail: Substring?
                if m.key.hasEscapes {
                    tail = Self.after(Array(((try? m.key.decoded()) ?? "").utf8), in: rest)
                } else {
                    tail = Self.after(m.key.bytes, in: rest)
                }
                guard var next = tail else { continue }
                collect(m.value, &next, &out)
            }
        default:
            return
        }
    }

    private func add(_ v: JSONValue, _ out: inout [JSONValue]) {
        if unwrapValue, v.kind == .object, let inner = try? v.member("value") {
            add(inner, &out)
            return
        }
        if v.kind == .array {
            var it = v.elements()
            while let e = try? it.next(), out.count < Self.maxValues { add(e, &out) }
            return
        }
        out.append(v)
    }

    /// What is left of `rest` after `key` (the whole of it, or up to a dot); nil when `key` does not lead.
    private static func after<C: Collection<UInt8>>(_ key: C, in rest: Substring) -> Substring? {
        let u = rest.utf8
        guard u.count >= key.count, u.starts(with: key) else { return nil }
        let end = u.index(u.startIndex, offsetBy: key.count)
        if end == u.endIndex { return rest[rest.endIndex...] }
        guard u[end] == 0x2E else { return nil }
        return rest[rest.utf8.index(after: end)...]
    }
}

/// The top-level members of the record being matched, collected once per rule evaluation.
struct SigmaRecord {
    /// Members kept at most (a record with more is matched on its first ones).
    static let maxMembers = 512
    let reader: JSONReader
    var members: [JSONMember] = []

    /// The whole record as a value (keyword searches); nil when it does not parse.
    var root: JSONValue? { try? reader.root() }

    /// The top-level members of `raw`; nil when it is not a JSON object. The members point into
    /// `raw`, which must outlive the record (a `RawRecord`'s buffer does).
    static func read(_ raw: UnsafeRawBufferPointer) -> SigmaRecord? {
        let reader = JSONReader(raw)
        guard (try? reader.rootKind()) == .object, var it = try? reader.rootMembers() else { return nil }
        var record = SigmaRecord(reader: reader)
        while let m = try? it.next(), record.members.count < maxMembers { record.members.append(m) }
        return record
    }
}

/// What `RawRecord.memo` holds for Sigma: the record's top-level members, read once per event and
/// shared by every rule that reads it (nil when the record is not a JSON object). Points into the
/// `RawRecord`'s buffer, which owns this object, so it never outlives the bytes.
final class SigmaParsedRecord {
    let record: SigmaRecord?

    init(_ record: SigmaRecord?) { self.record = record }
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
