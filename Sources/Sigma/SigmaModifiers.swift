import Detection
import EventModel
import Foundation
import Yams

/// The value modifiers of one field test (`field|contains|all`) and how they turn the rule's
/// values into `SigmaValue`s. Supported: `contains`, `startswith`, `endswith`, `all`, `re` (with
/// `i`, `m`, `s`), `cidr`, `exists`, `gt`, `gte`, `lt`, `lte`, `fieldref`, `cased`, `windash`,
/// `base64`, `base64offset`. Others (`utf16le`, `wide`, `expand`, …) skip the rule.
struct SigmaModifiers {
    enum Transform { case none, contains, startswith, endswith }
    var transform = Transform.none
    var all = false
    var re = false
    var reOptions: NSRegularExpression.Options = []
    var cidr = false
    var exists = false
    var compare: SigmaValue.Comparison?
    var fieldref = false
    var cased = false
    var windash = false
    var base64 = false
    var base64offset = false

    /// Adds one modifier; false when it is unknown.
    mutating func add(_ m: String) -> Bool {
        switch m.lowercased() {
        case "contains": transform = .contains
        case "startswith": transform = .startswith
        case "endswith": transform = .endswith
        case "all": all = true
        case "re": re = true
        case "i" where re: reOptions.insert(.caseInsensitive)
        case "m" where re: reOptions.insert(.anchorsMatchLines)
        case "s" where re: reOptions.insert(.dotMatchesLineSeparators)
        case "cidr": cidr = true
        case "exists": exists = true
        case "gt": compare = .gt
        case "gte": compare = .gte
        case "lt": compare = .lt
        case "lte": compare = .lte
        case "fieldref": fieldref = true
        case "cased": cased = true
        case "windash": windash = true
        case "base64": base64 = true
        case "base64offset": base64offset = true
        default: return false
        }
        return true
    }

    /// The compiled values of one YAML value (several for `windash` and `base64offset`).
    func compile(_ node: Node, keyword: Bool, provider: Provider, _ ctx: inout SigmaParseContext) -> [SigmaValue]? {
        guard let scalar = node.scalar else {
            ctx.problem(node.mark, .error, SigmaCode.type, "a value must be a scalar")
            return nil
        }
        let text = scalar.string
        if scalar.style == .plain, ["null", "~", "", "Null", "NULL"].contains(text), !exists {
            return [.null]
        }
        guard text.utf8.count <= SigmaPattern.maxLength else {
            ctx.problem(node.mark, .error, SigmaCode.value, "value longer than \(SigmaPattern.maxLength) bytes")
            return nil
        }
        if exists {
            guard let b = Bool(text.lowercased()) else {
                ctx.problem(node.mark, .error, SigmaCode.value, "'exists' takes true or false")
                return nil
            }
            return [.exists(b)]
        }
        if let compare {
            guard let d = Double(text), d.isFinite else {
                ctx.problem(
                    node.mark, .error, SigmaCode.value,
                    "'\(compare.rawValue)' takes a number (got '\(text.prefix(40))')")
                return nil
            }
            return [.compare(compare, d)]
        }
        if fieldref { return [.fieldref(SigmaLogsource.field(text, provider: provider))] }
        if cidr {
            guard let c = CIDR(text) else {
                ctx.problem(node.mark, .error, SigmaCode.value, "'\(text.prefix(60))' is not a CIDR")
                return nil
            }
            return [.cidr(c, text)]
        }
        if re {
            do {
                return [.regex(try SigmaRegex(text, options: reOptions))]
            } catch {
                ctx.problem(
                    node.mark, .error, SigmaCode.regex, "regular expression does not compile: '\(text.prefix(80))'")
                return nil
            }
        }
        return strings(text, keyword: keyword).map { .pattern(SigmaPattern($0, cased: cased)) }
    }

    /// The wildcard strings a value stands for after the string modifiers.
    private func strings(_ text: String, keyword: Bool) -> [String] {
        var values = [text]
        if windash { values = values.flatMap(Self.windashVariants) }
        if base64 { values = values.map { Self.escape(Data($0.utf8).base64EncodedString()) } }
        if base64offset { values = values.flatMap { Self.base64Offsets($0).map(Self.escape) } }
        let mode = base64offset && transform == .none ? .contains : transform
        return values.map { v in
            switch mode {
            case .contains: return "*" + v + "*"
            case .startswith: return v + "*"
            case .endswith: return "*" + v
            case .none: return keyword ? "*" + v + "*" : v
            }
        }
    }

    /// `-x` also as `/x`, `–x`, `—x`, `―x` (Windows command-line flag spellings).
    static func windashVariants(_ v: String) -> [String] {
        guard v.contains("-") || v.contains("/") else { return [v] }
        var out: [String] = []
        for dash in ["-", "/", "\u{2013}", "\u{2014}", "\u{2015}"] {
            let s = v.replacingOccurrences(of: "-", with: dash).replacingOccurrences(of: "/", with: dash)
            if !out.contains(s) { out.append(s) }
        }
        return out
    }

    /// The three base64 forms of `v` at byte offsets 0, 1 and 2 of the encoded stream, with the
    /// characters that depend on the neighbouring bytes cut off (as Sigma's `base64offset`).
    static func base64Offsets(_ v: String) -> [String] {
        let bytes = Array(v.utf8)
        let starts = [0, 2, 3]
        let endCut = [0, 3, 2]
        var out: [String] = []
        for i in 0..<3 {
            let enc = Array(Data(Array(repeating: UInt8(ascii: " "), count: i) + bytes).base64EncodedString().utf8)
            let cut = endCut[(bytes.count + i) % 3]
            let end = enc.count - cut
            guard end > starts[i] else { continue }
            out.append(String(decoding: enc[starts[i]..<end], as: UTF8.self))
        }
        return out
    }

    /// Wildcard characters in generated text taken literally.
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "*", with: "\\*")
            .replacingOccurrences(of: "?", with: "\\?")
    }
}
