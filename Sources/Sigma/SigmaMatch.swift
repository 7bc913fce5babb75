import ByteJSON
import Detection
import EventModel
import Foundation

/// A regular expression compiled at load (`|re`, with the `i`, `m`, `s` sub-modifiers).
/// NSRegularExpression is used rather than Swift `Regex` because it is `Sendable` and its
/// syntax (ICU) is the one Sigma rules are written for (PCRE-like).
final class SigmaRegex: @unchecked Sendable {
    let regex: NSRegularExpression
    let pattern: String
    /// A literal every match contains (`:assumed-role/aws:` of `.+:assumed-role/aws:.+`), tested
    /// on the bytes first: most values fail it, and the regular expression then never runs.
    let required: SigmaPattern?

    init(_ pattern: String, options: NSRegularExpression.Options) throws {
        self.pattern = pattern
        regex = try NSRegularExpression(pattern: pattern, options: options)
        let literal = Self.requiredLiteral(pattern)
        required =
            literal.count >= 3
            ? SigmaPattern("*" + SigmaModifiers.escape(literal) + "*", cased: !options.contains(.caseInsensitive))
            : nil
    }

    /// The longest run of plain characters of `pattern` that every match must contain; "" when
    /// the pattern has alternation or inline flags (then a literal may not be required).
    static func requiredLiteral(_ pattern: String) -> String {
        if pattern.contains("|") || pattern.contains("(?") { return "" }
        var best = ""
        var run = ""
        var chars = Array(pattern)[...]
        func flush() {
            if run.count > best.count { best = run }
            run = ""
        }
        while let c = chars.popFirst() {
            if "*?{".contains(c) {
                // The character before a quantifier is optional (or repeated): not required as is.
                if !run.isEmpty { run.removeLast() }
                flush()
            } else if c == "\\" {
                guard let n = chars.popFirst() else { break }
                if n.isLetter || n.isNumber {
                    flush()
                } else {
                    run.append(n)
                }
            } else if ".^$+()[]}".contains(c) {
                // `+` keeps its character required once; every other metacharacter ends the run.
                flush()
                if c == "[" { while let n = chars.popFirst(), n != "]" {} }
            } else {
                run.append(c)
            }
        }
        flush()
        return best
    }

    /// True when the pattern matches somewhere in `text` (first 64 KiB).
    func matches(_ text: String) -> Bool {
        let bounded =
            text.utf8.count > SigmaText.maxInput
            ? String(decoding: text.utf8.prefix(SigmaText.maxInput), as: UTF8.self) : text
        let range = NSRange(bounded.startIndex..., in: bounded)
        return regex.firstMatch(in: bounded, options: [], range: range) != nil
    }
}

/// One value of a field test, compiled.
enum SigmaValue: Sendable {
    /// String comparison (plain, `contains`, `startswith`, `endswith`, base64 forms).
    case pattern(SigmaPattern)
    /// `|re`.
    case regex(SigmaRegex)
    /// `|cidr`: the value is an IP address inside the network.
    case cidr(CIDR, String)
    /// `|gt` `|gte` `|lt` `|lte`.
    case compare(Comparison, Double)
    /// `null`: the field is absent or JSON null.
    case null
    /// `|exists: true|false`.
    case exists(Bool)
    /// `|fieldref`: equal (case-insensitively) to another field's value.
    case fieldref(SigmaField)

    /// Numeric comparisons.
    enum Comparison: String, Sendable { case gt, gte, lt, lte }

    /// True when `values` compare text only (patterns, regular expressions, CIDRs), so a test of
    /// them can run on a field's decoded text.
    static func textOnly(_ values: [SigmaValue]) -> Bool {
        !values.isEmpty
            && values.allSatisfy {
                switch $0 {
                case .pattern, .regex, .cidr: return true
                default: return false
                }
            }
    }
}

/// `field|modifiers: values` or a keyword list (no field). A class, immutable: every rule evaluation
/// reaches its tests, and a copy of a struct of arrays and strings retained each of them.
final class SigmaFieldTest: Sendable {
    /// nil for keywords: matched against every string and number in the record.
    let field: SigmaField?
    let values: [SigmaValue]
    /// `|all`: every value must match (otherwise one is enough).
    let all: Bool
    /// True when every value is tested against one found value at a time (not `null`,
    /// `exists` or `fieldref`, which look at all of them); decided once, not per event.
    private let streams: Bool
    /// The decoded field this test can be decided on without reading the record (a text test on
    /// `userIdentity.type` or `…sessionIssuer.type`; see `SigmaPrefilter.Field.code`).
    private let vouched: SigmaPrefilter.Field?
    /// Bit `i` set when the test holds on the vouched field's `i`th possible text (`Field.domain`).
    private let vouchedTruth: UInt64

    init(field: SigmaField?, values: [SigmaValue], all: Bool) {
        self.field = field
        self.values = values
        self.all = all
        self.streams = values.allSatisfy {
            switch $0 {
            case .null, .exists, .fieldref: return false
            default: return true
            }
        }
        let vouched =
            SigmaValue.textOnly(values) ? field.flatMap { SigmaPrefilter.Field.vouched(path: $0.path) } : nil
        self.vouched = vouched
        // The test on each text the vouched field can have, decided once: per event it is one bit.
        var truth: UInt64 = 0
        for (i, text) in (vouched?.domain ?? []).enumerated()
        where SigmaPrefilter.holds(values: values, all: all, text) {
            truth |= 1 << UInt64(i)
        }
        self.vouchedTruth = truth
    }

    /// True when the event satisfies the test: from its decoded identity when the decoder vouches
    /// for the field, else from the record (`lazy` reads it on first use).
    func matches(_ logged: SigmaLogged, _ lazy: inout SigmaLazyRecord) -> Bool {
        if let held = decided(logged) { return held }
        if vouched?.code(logged) == SigmaPrefilter.Field.absentCode { return false }
        guard let r = lazy.record() else { return false }
        return matches(r)
    }

    /// True when the test is on a field the decoder may vouch for (see `decided`).
    var isVouched: Bool { vouched != nil }

    /// The test decided on a vouched field's logged value alone: nil when the field is not vouched
    /// for this event (or is absent), so the caller reads the text or the record instead.
    func decided(_ logged: SigmaLogged) -> Bool? {
        guard let vouched else { return nil }
        let code = vouched.code(logged)
        return code >= 0 ? vouchedTruth >> UInt64(code) & 1 == 1 : nil
    }

    /// True when the record's values satisfy the test.
    func matches(_ record: SigmaRecord) -> Bool {
        guard let field else {
            guard let root = record.root else { return false }
            return keywordMatch(root)
        }
        if !all, streams {
            // Any value equal to any pattern: test values as they are found, collect nothing.
            return field.first(in: record) { j in values.contains { Self.test($0, j) } }
        }
        let found = field.values(in: record)
        if all { return values.allSatisfy { one($0, found, record) } }
        return values.contains { one($0, found, record) }
    }

    private func one(_ v: SigmaValue, _ found: [JSONValue], _ record: SigmaRecord) -> Bool {
        switch v {
        case .null: return found.isEmpty || found.allSatisfy { $0.kind == .null }
        case .exists(let want): return found.contains { $0.kind != .null } == want
        case .fieldref(let other):
            let theirs = other.values(in: record).compactMap { SigmaText.string($0)?.lowercased() }
            return found.contains { f in SigmaText.string(f).map { theirs.contains($0.lowercased()) } ?? false }
        default: return found.contains { Self.test(v, $0) }
        }
    }

    /// One value against one JSON value.
    static func test(_ v: SigmaValue, _ j: JSONValue) -> Bool {
        switch v {
        case .pattern(let p): return SigmaText.withBytes(j) { p.matches($0) } ?? false
        case .regex(let r):
            if let req = r.required, SigmaText.withBytes(j, { req.matches($0) }) != true { return false }
            return SigmaText.string(j).map(r.matches) ?? false
        case .cidr(let c, _): return SigmaText.string(j).map { c.contains($0) } ?? false
        case .compare(let op, let bound):
            guard let s = SigmaText.string(j), let x = Double(s.trimmingCharacters(in: .whitespaces)) else {
                return false
            }
            switch op {
            case .gt: return x > bound
            case .gte: return x >= bound
            case .lt: return x < bound
            case .lte: return x <= bound
            }
        case .null, .exists, .fieldref: return false
        }
    }

    /// Keywords: any string or number anywhere in the record (at most `maxLeaves` looked at).
    private func keywordMatch(_ root: JSONValue) -> Bool {
        var budget = Self.maxLeaves
        if all { return values.allSatisfy { v in Self.anyLeaf(root, &budget) { Self.test(v, $0) } } }
        return Self.anyLeaf(root, &budget) { leaf in values.contains { Self.test($0, leaf) } }
    }

    /// Scalars of a record visited by a keyword search at most.
    static let maxLeaves = 4096

    private static func anyLeaf(_ v: JSONValue, _ budget: inout Int, _ body: (JSONValue) -> Bool) -> Bool {
        switch v.kind {
        case .object:
            var it = v.members()
            while let m = try? it.next() { if anyLeaf(m.value, &budget, body) { return true } }
        case .array:
            var it = v.elements()
            while let e = try? it.next() { if anyLeaf(e, &budget, body) { return true } }
        case .null: return false
        default:
            guard budget > 0 else { return false }
            budget -= 1
            return body(v)
        }
        return false
    }
}

/// A search identifier: a map (every test holds) or a list of maps / values (one holds).
struct SigmaSelection: Sendable {
    /// Name in the rule (`selection`, `filter_main_*`).
    let name: String
    /// OR of ANDs.
    let alternatives: [[SigmaFieldTest]]

    func matches(_ record: SigmaRecord) -> Bool {
        alternatives.contains { tests in tests.allSatisfy { $0.matches(record) } }
    }

    /// The same, deciding tests on vouched decoded fields where it can (see `SigmaFieldTest`).
    func matches(_ logged: SigmaLogged, _ lazy: inout SigmaLazyRecord) -> Bool {
        // By index: a test borrowed in place is not copied (a copy retains its arrays and strings).
        for a in alternatives.indices {
            var all = true
            for t in alternatives[a].indices where !alternatives[a][t].matches(logged, &lazy) {
                all = false
                break
            }
            if all { return true }
        }
        return false
    }
}
