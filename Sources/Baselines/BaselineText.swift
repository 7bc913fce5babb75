import EventModel

/// Number, duration and date wording shared by `baseline show` and the
/// detectors' explanations, so that findings read the same everywhere.
public enum BaselineText {
    /// `14203` → `14,203`.
    public static func count<T: BinaryInteger>(_ n: T) -> String {
        let neg = n < 0
        var digits = Array(String(neg ? (0 - n) : n))
        var out: [Character] = []
        while digits.count > 3 {
            out.insert(contentsOf: [","] + digits.suffix(3), at: 0)
            digits.removeLast(3)
        }
        out.insert(contentsOf: digits, at: 0)
        return (neg ? "-" : "") + String(out)
    }

    /// A number of days in words: `9 days`, `1 day`, `17 hours`, `40 min`.
    public static func days(_ d: Double) -> String {
        if d >= 2 { return "\(Int(d)) days" }
        if d >= 1 { return "1 day" }
        return duration(Int64(d * Double(BaselineConfiguration.day)))
    }

    /// A duration in milliseconds in words: `45 s`, `4 min`, `2 h`, `3 days`.
    public static func duration(_ ms: Int64) -> String {
        let s = ms / 1000
        if s < 120 { return "\(s) s" }
        if s < 7200 { return "\(s / 60) min" }
        if s < 172_800 { return "\(s / 3600) h" }
        return "\(s / 86_400) days"
    }

    /// Event time as `YYYY-MM-DDTHH:MM:SSZ`.
    public static func date(_ ms: Int64) -> String { Timestamp.format(ms) }

    /// `0.0123` → `1.2%`.
    public static func percent(_ x: Double) -> String {
        let v = (x * 1000).rounded() / 10
        return v == v.rounded() ? "\(Int(v))%" : "\(v)%"
    }

    /// One decimal: `52.63` → `52.6`.
    public static func decimal(_ x: Double) -> String {
        let v = (x * 10).rounded() / 10
        return v == v.rounded() ? "\(Int(v))" : "\(v)"
    }

    /// Hour of week as `Mon 09h`.
    public static func hourOfWeek(_ h: Int) -> String {
        let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        let hh = h % 24
        return "\(days[(h / 24) % 7]) \(hh < 10 ? "0" : "")\(hh)h"
    }

    /// A short list: the first `limit` items, then `… and N more`.
    public static func list(_ items: [String], limit: Int = 8) -> String {
        if items.isEmpty { return "none" }
        let head = items.prefix(limit).joined(separator: ", ")
        return items.count > limit ? "\(head) … and \(items.count - limit) more" : head
    }

    /// `arn:aws:iam::123:role/web-app` → `role/web-app` (readable short form of an identity key).
    public static func shortIdentity(_ key: String) -> String {
        if key.hasPrefix("arn:"), let r = key.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).last
        {
            return String(r)
        }
        return key
    }
}
