import EventModel
import Detection
import Foundation

/// Small JSON values from CloudTrail parameters (policy documents, event selectors,
/// GuardDuty features), parsed with Foundation's `JSONSerialization`.
///
/// This is deliberately not the hot path: only rare IAM / CloudTrail / GuardDuty
/// write events reach these parsers (a handful per million events), and the
/// parameter text is already bounded to 16 KiB by the event model. Nesting is
/// checked before parsing so that attacker-built `[[[[…` cannot exhaust the
/// stack. When the `ByteJSON` module lands this can move onto it.
enum RuleJSON {
    /// Deepest nesting accepted (real policies and selectors nest 4–6 levels).
    static let maxDepth = 32

    /// Parses JSON text into Foundation values (`[String: Any]`, `[Any]`,
    /// `String`, `NSNumber`), or nil when it is not JSON or nests too deeply.
    static func parse(_ text: String) -> Any? {
        guard depthIsBounded(text) else { return nil }
        guard let data = text.data(using: .utf8) else { return nil }
        return try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    }

    /// True when brackets nest at most `maxDepth` deep (strings are skipped).
    static func depthIsBounded(_ text: String) -> Bool {
        var depth = 0
        var inString = false
        var escaped = false
        for c in text.utf8 {
            if inString {
                if escaped {
                    escaped = false
                } else if c == UInt8(ascii: "\\") {
                    escaped = true
                } else if c == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch c {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maxDepth { return false }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return true
    }

    /// A JSON value that may be a string or a list of strings (IAM's `Action`,
    /// `Resource`, principal values), as a list; other shapes give an empty list.
    static func strings(_ value: Any?) -> [String] {
        if let s = value as? String { return [s] }
        if let a = value as? [Any] { return a.compactMap { $0 as? String } }
        return []
    }

    /// A JSON boolean that may also arrive as the text `"false"` / `"true"`.
    static func bool(_ value: Any?) -> Bool? {
        if let s = value as? String { return RuleValue.isTrue(s) ? true : (RuleValue.isFalse(s) ? false : nil) }
        if let n = value as? NSNumber { return n.boolValue }
        return nil
    }
}

/// An IAM policy document (identity policy or role trust policy), reduced to
/// what the privilege-escalation and trust detectors need. `Statement` may be an
/// object or an array; `Action`, `Resource` and principal values may be a string
/// or an array. Documents arrive as plain JSON text or, in some records,
/// URL-encoded (`%7B%22Version%22…`); both are accepted.
struct PolicyDocument {
    /// One statement.
    struct Statement {
        /// `Sid`, empty when absent.
        var sid: String
        /// True for `"Effect": "Allow"`.
        var allows: Bool
        /// `Action` values.
        var actions: [String]
        /// `NotAction` values (an Allow with NotAction grants everything not listed).
        var notActions: [String]
        /// `Resource` values.
        var resources: [String]
        /// True when the statement has a `Principal` of `"*"` or `{"AWS": "*"}`.
        var anyPrincipal: Bool
        /// `Principal.AWS` values (accounts, ARNs).
        var awsPrincipals: [String]
        /// `Condition` as `Operator key` strings (`StringEquals aws:PrincipalOrgID`).
        var conditions: [String]

        /// True when some `Action` pattern covers `action` (IAM wildcard semantics,
        /// case-insensitive): `*` covers everything, `sts:*` covers `sts:AssumeRole`.
        func grants(_ action: String) -> Bool {
            let a = action.lowercased()
            return actions.contains { Glob($0.lowercased()).matches(a) }
        }

        /// True when `Resource` includes `*`.
        var onAllResources: Bool { resources.contains("*") }
    }

    /// Statements in document order.
    var statements: [Statement]

    /// Parses a document; nil when the text is not a JSON object with statements.
    init?(text: String) {
        guard let root = PolicyDocument.decodedObject(text) else { return nil }
        let raw: [Any]
        if let list = root["Statement"] as? [Any] {
            raw = list
        } else if let one = root["Statement"] as? [String: Any] {
            raw = [one]
        } else {
            return nil
        }
        statements = raw.prefix(200).compactMap { ($0 as? [String: Any]).map(PolicyDocument.statement) }
    }

    private static func decodedObject(_ text: String) -> [String: Any]? {
        let trimmed = text.drop(while: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
        guard trimmed.lowercased().hasPrefix("%7b") else { return RuleJSON.parse(String(trimmed)) as? [String: Any] }
        // URL-encoded: percent escapes, and in form encoding `+` for spaces (tried second).
        if let plain = trimmed.removingPercentEncoding, let obj = RuleJSON.parse(plain) as? [String: Any] { return obj }
        let spaced = trimmed.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding.flatMap { RuleJSON.parse($0) as? [String: Any] }
    }

    private static func statement(_ s: [String: Any]) -> Statement {
        var anyPrincipal = false
        var aws: [String] = []
        if let p = s["Principal"] as? String {
            anyPrincipal = p == "*"
        } else if let p = s["Principal"] as? [String: Any] {
            aws = RuleJSON.strings(p["AWS"])
            anyPrincipal = aws.contains("*")
        }
        var conditions: [String] = []
        if let c = s["Condition"] as? [String: Any] {
            for (op, body) in c.sorted(by: { $0.key < $1.key }) {
                let keys = (body as? [String: Any])?.keys.sorted() ?? []
                conditions += keys.isEmpty ? [op] : keys.map { "\(op) \($0)" }
            }
        }
        return Statement(
            sid: s["Sid"] as? String ?? "",
            allows: (s["Effect"] as? String) == "Allow",
            actions: RuleJSON.strings(s["Action"]),
            notActions: RuleJSON.strings(s["NotAction"]),
            resources: RuleJSON.strings(s["Resource"]),
            anyPrincipal: anyPrincipal,
            awsPrincipals: aws.filter { $0 != "*" },
            conditions: conditions)
    }
}
