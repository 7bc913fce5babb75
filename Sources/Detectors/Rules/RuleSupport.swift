import Detection
import EventModel

/// Reading CloudTrail request/response parameters as flattened by the formats
/// (`requestParameters.<key>` → scalar text, nested values as raw JSON text).
extension Event {
    /// `requestParameters.<name>`, nil when absent or empty.
    func ruleRequest(_ name: String) -> String? {
        guard let v = parameters["requestParameters." + name], !v.isEmpty else { return nil }
        return v
    }

    /// `responseElements.<name>`, nil when absent or empty.
    func ruleResponse(_ name: String) -> String? {
        guard let v = parameters["responseElements." + name], !v.isEmpty else { return nil }
        return v
    }

    /// The first request parameter among `names` that is present.
    func ruleRequest(anyOf names: [String]) -> String? {
        for n in names { if let v = ruleRequest(n) { return v } }
        return nil
    }
}

/// Interpreting loosely typed parameter text.
enum RuleValue {
    /// True for `false`, `"false"`, `False` (booleans arrive as JSON text or as quoted strings).
    static func isFalse(_ text: String?) -> Bool { unquoted(text)?.lowercased() == "false" }

    /// True for `true`, `"true"`, `True`.
    static func isTrue(_ text: String?) -> Bool { unquoted(text)?.lowercased() == "true" }

    /// `text` without surrounding double quotes and spaces.
    static func unquoted(_ text: String?) -> String? {
        guard let text else { return nil }
        var s = Substring(text)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        if s.count >= 2 && s.first == "\"" && s.last == "\"" { s = s.dropFirst().dropLast() }
        return String(s)
    }

    /// The 12-digit account id inside an ARN (`arn:aws:iam::123456789012:root`) or
    /// a bare account id; nil for anything else (service principals, `*`).
    static func accountId(_ principal: String) -> String? {
        let isAccount: (Substring) -> Bool = { $0.count == 12 && $0.allSatisfy { $0.isASCII && $0.isNumber } }
        if isAccount(Substring(principal)) { return principal }
        let parts = principal.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 5, parts[0] == "arn", isAccount(parts[4]) else { return nil }
        return String(parts[4])
    }

    /// The IAM user name of a caller that is an IAM user (the last path segment
    /// of `arn:aws:iam::ACCT:user/path/name`, else its display name); nil for
    /// every other kind of identity.
    static func ownUserName(_ identity: Identity) -> String? {
        guard identity.type == .iamUser else { return nil }
        if let r = identity.arn.firstRange(of: ":user/") {
            let path = identity.arn[r.upperBound...]
            if let last = path.split(separator: "/").last { return String(last) }
        }
        return identity.displayName.isEmpty ? nil : identity.displayName
    }

    /// Strings that look like ARNs (`arn:…`) inside raw JSON text (an array of ARNs,
    /// or objects with `arn` fields). At most `limit` are returned.
    static func arns(in text: String, limit: Int = 16) -> [String] {
        var out: [String] = []
        var rest = Substring(text)
        while out.count < limit, let r = rest.firstRange(of: "arn:") {
            let tail = rest[r.lowerBound...]
            let end =
                tail.firstIndex(where: { $0 == "\"" || $0 == "," || $0 == "]" || $0 == "}" || $0 == " " })
                ?? tail.endIndex
            out.append(String(tail[..<end]))
            rest = tail[end...]
        }
        return out
    }

    /// The operation name without a Lambda-style API version suffix:
    /// `AddPermission20150331v2` → `AddPermission`, `CreateFunction20150331` → `CreateFunction`.
    static func baseOperation(_ op: String) -> String {
        let b = Array(op.utf8)
        func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        var j = b.count
        while j > 0 && isDigit(b[j - 1]) { j -= 1 }
        var dateEnd = b.count
        if j < b.count && j > 0 && b[j - 1] == UInt8(ascii: "v") {
            dateEnd = j - 1
            j = dateEnd
            while j > 0 && isDigit(b[j - 1]) { j -= 1 }
        }
        guard dateEnd - j == 8, j > 0 else { return op }
        return String(decoding: b[..<j], as: UTF8.self)
    }
}
