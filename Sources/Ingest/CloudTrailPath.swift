import EventModel

/// What the CloudTrail S3 delivery layout says about a path:
/// `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<id>.json.gz`
/// (digests: `CloudTrail-Digest/…_<YYYYMMDDTHHMMSSZ>.json.gz`; organization
/// trails add the organization id after `AWSLogs/`).
public enum CloudTrailPath {
    /// The delivery time in the file name (the last path component): the first
    /// `YYYYMMDDTHHMM[SS]Z` token that follows a `_` and is followed by `_`,
    /// `.` or the end. Nil when there is none or it is not a valid time.
    public static func nameTime(_ path: String) -> Int64? {
        let bytes = Array(baseName(path).utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "_"), let t = token(bytes, i + 1) { return t }
            i += 1
        }
        return nil
    }

    /// Whether the path is in a `CloudTrail-Digest` folder or names a digest file.
    public static func isDigest(_ path: String) -> Bool {
        path.contains("CloudTrail-Digest")
    }

    /// The time range `[start, end)` (ms) covered by a date folder of the
    /// delivery layout (`…/CloudTrail/<region>/YYYY`, `…/YYYY/MM` or
    /// `…/YYYY/MM/DD`), so whole folders outside a `since`/`until` window can be
    /// skipped without listing them. Nil for any other folder.
    public static func folderRange(_ path: String) -> (start: Int64, end: Int64)? {
        let parts = path.split(separator: "/").map(String.init)
        guard let ct = parts.lastIndex(where: { $0 == "CloudTrail" || $0 == "CloudTrail-Digest" }) else {
            return nil
        }
        let dates = parts.dropFirst(ct + 2)  // skip the region folder
        guard (1...3).contains(dates.count) else { return nil }
        let nums = dates.map { Int($0) }
        guard let y = nums[0], dates.first?.count == 4, (1970...9999).contains(y) else { return nil }
        if nums.count == 1 {
            return (dayMs(y, 1, 1), dayMs(y + 1, 1, 1))
        }
        guard let m = nums[1], (1...12).contains(m) else { return nil }
        let nextMonth = m == 12 ? dayMs(y + 1, 1, 1) : dayMs(y, m + 1, 1)
        if nums.count == 2 { return (dayMs(y, m, 1), nextMonth) }
        guard let d = nums[2], (1...31).contains(d) else { return nil }
        let start = dayMs(y, m, d)
        return (start, start + 86_400_000)
    }

    static func baseName(_ path: String) -> Substring {
        guard let slash = path.lastIndex(of: "/") else { return Substring(path) }
        return path[path.index(after: slash)...]
    }

    private static func dayMs(_ y: Int, _ m: Int, _ d: Int) -> Int64 {
        Int64(Timestamp.daysFromCivil(y, m, d)) * 86_400_000
    }

    /// Parses `YYYYMMDDTHHMM[SS]Z` at `at`, requiring a delimiter after it.
    private static func token(_ b: [UInt8], _ at: Int) -> Int64? {
        func num(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= b.count else { return nil }
            var v = 0
            for k in from..<(from + count) {
                guard b[k] >= 48 && b[k] <= 57 else { return nil }
                v = v * 10 + Int(b[k] - 48)
            }
            return v
        }
        guard let y = num(at, 4), let mo = num(at + 4, 2), let d = num(at + 6, 2),
            at + 8 < b.count, b[at + 8] == UInt8(ascii: "T"),
            let h = num(at + 9, 2), let mi = num(at + 11, 2)
        else { return nil }
        var end = at + 13
        var sec = 0
        if let s = num(end, 2) {
            sec = s
            end += 2
        }
        guard end < b.count, b[end] == UInt8(ascii: "Z") else { return nil }
        let after = end + 1
        guard after == b.count || b[after] == UInt8(ascii: "_") || b[after] == UInt8(ascii: ".") else { return nil }
        guard (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, sec < 60 else { return nil }
        let days = Int64(Timestamp.daysFromCivil(y, mo, d))
        return (days * 86_400 + Int64(h * 3600 + mi * 60 + sec)) * 1000
    }
}
