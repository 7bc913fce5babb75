import ByteJSON
import EventModel

/// Records read through a `WorkflowMapping` (a server's own log shape → `trailhound.workflow/v1`).
/// Order of filling: `fields` (dotted paths), then `extracts` (templates; they do not
/// overwrite), then `defaults`, then `actions` (path globs) when no action was set.
extension WorkflowLog {
    /// True when the record has every required key, equal value and contained text.
    static func matches(_ m: WorkflowMapping, _ f: RecordFields, _ ctx: inout DecodeContext) throws(JSONError) -> Bool {
        try holds(m.match, f, &ctx)
    }

    /// True when `c` holds for the record (an empty condition never holds).
    static func holds(_ c: WorkflowMapping.Condition, _ f: RecordFields, _ ctx: inout DecodeContext) throws(JSONError)
        -> Bool
    {
        if c.isEmpty { return false }
        for path in c.keys where try lookup(f, path) == nil { return false }
        for (path, want) in c.equals {
            guard let v = try lookup(f, path), try ctx.text(v, max: 4096) == want else { return false }
        }
        for (path, want) in c.contains {
            guard let v = try lookup(f, path), SourceSupport.contains(try ctx.text(v, max: 4096, intern: false), want)
            else {
                return false
            }
        }
        return true
    }

    /// Decodes a record that `mapping` matched.
    static func decode(_ f: RecordFields, mapping m: WorkflowMapping, _ ctx: inout DecodeContext) throws(JSONError)
        -> DecodeResult
    {
        var r = Record()
        r.mapping = m.name
        for (field, path) in m.fields {
            if let v = try lookup(f, path) { try read(field, v, into: &r, &ctx) }
        }
        for x in m.extracts {
            guard let v = try lookup(f, x.from), v.kind == .string else { continue }
            guard let captured = x.match(try ctx.text(v, max: 8192, intern: false)) else { continue }
            for (field, text) in captured { set(field, text, into: &r, overwrite: false) }
        }
        for (field, text) in m.defaults { set(field, text, into: &r, overwrite: false) }
        if r[.action].isEmpty, !r[.path].isEmpty {
            let path = String(decoding: r[.path].utf8.prefix { $0 != 0x3F }, as: UTF8.self)
            if let hit = m.actions.first(where: { $0.0.matches(path) }) { r.set(.action, hit.1) }
        }
        return finish(r, &ctx)
    }

    /// Sets a field from text (timestamps parsed as ISO-8601 or epoch numbers).
    static func set(_ field: WorkflowField, _ text: String, into r: inout Record, overwrite: Bool) {
        if field == .timestamp {
            guard overwrite || r.time == nil else { return }
            r.timeText = SourceSupport.bounded(text, 64)
            r.time =
                Timestamp.parse(text)
                ?? Double(text).flatMap { d in
                    d >= 1e11 ? Int64(d) : Int64((d * 1000).rounded())
                }
            return
        }
        r.set(
            field, SourceSupport.bounded(text, field == .toolInput ? Limits.maxParameterValue : 1024),
            overwrite: overwrite)
    }

    /// The value at a dotted path: object members by name, array elements by index.
    static func lookup(_ f: RecordFields, _ path: [String]) throws(JSONError) -> JSONValue? {
        guard let first = path.first else { return nil }
        var current: JSONValue? = nil
        for m in f.members where keyEquals(m.key, first) {
            current = m.value
            break
        }
        for seg in path.dropFirst() {
            guard let v = current else { return nil }
            current = nil
            if v.kind == .object {
                var it = v.members()
                while let m = try it.next() {
                    if keyEquals(m.key, seg) {
                        current = m.value
                        break
                    }
                }
            } else if v.kind == .array, let index = Int(seg), index >= 0 {
                var it = v.elements()
                var i = 0
                while let e = try it.next() {
                    if i == index {
                        current = e
                        break
                    }
                    i += 1
                }
            }
        }
        return SourceSupport.present(current)
    }

    private static func keyEquals(_ key: JSONKey, _ s: String) -> Bool {
        var t = s
        return t.withUTF8 { key.equals(UnsafeRawBufferPointer($0)) }
    }
}
