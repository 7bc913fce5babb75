/// UTC timestamps as milliseconds since the Unix epoch, with a fast parser for
/// the ISO-8601 variants seen in audit logs and a formatter. No Foundation:
/// this runs once per event on the hot path.
public enum Timestamp {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff…][Z|±HH:MM]` (also with a space instead
    /// of `T`, or a date alone). Returns nil when the text is not such a time.
    public static func parse(_ text: String) -> Int64? {
        var t = text
        return t.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    /// The decimal number written by exactly `count` ASCII digits at `at` in `b`; nil when any is
    /// not a digit or the run passes the end. Shared by every byte-level time parser.
    public static func digits(_ b: UnsafeRawBufferPointer, at: Int, count: Int) -> Int? {
        guard at >= 0, at + count <= b.count else { return nil }
        var v = 0
        for i in at..<(at + count) {
            let c = b[i]
            guard c >= 48 && c <= 57 else { return nil }
            v = v * 10 + Int(c - 48)
        }
        return v
    }

    /// Byte-level variant of `parse(_:)`.
    public static func parse(_ b: UnsafeRawBufferPointer) -> Int64? {
        let n = b.count
        guard n >= 10 else { return nil }
        func digits(_ at: Int, _ count: Int) -> Int? { Timestamp.digits(b, at: at, count: count) }
        guard let y = digits(0, 4), b[4] == 45, let mo = digits(5, 2), b[7] == 45, let d = digits(8, 2),
            y >= 1, (1...12).contains(mo), (1...daysInMonth(y, mo)).contains(d)
        else { return nil }
        var h = 0
        var mi = 0
        var s = 0
        var ms = 0
        var i = 10
        if n > 10 {
            // `n >= 16` first: "2026-03-01T00" (13 bytes) once read b[13] past the end (found by FuzzDecode).
            guard n >= 16, b[10] == 84 || b[10] == 32 || b[10] == 116, let hh = digits(11, 2), b[13] == 58,
                let mm = digits(14, 2)
            else { return nil }
            h = hh
            mi = mm
            i = 16
            if i < n && b[i] == 58 {
                guard let ss = digits(17, 2) else { return nil }
                s = ss
                i = 19
            }
            if i < n && (b[i] == 46 || b[i] == 44) {
                i += 1
                var scale = 100
                while i < n && b[i] >= 48 && b[i] <= 57 {
                    ms += Int(b[i] - 48) * scale
                    scale /= 10
                    i += 1
                }
            }
        }
        var offset = 0
        if i < n {
            let c = b[i]
            if c == 90 || c == 122 {
                i += 1
            } else if c == 43 || c == 45 {
                guard let oh = digits(i + 1, 2) else { return nil }
                var om = 0
                var j = i + 3
                if j < n && b[j] == 58 { j += 1 }
                if let m = digits(j, 2) {
                    om = m
                    j += 2
                }
                offset = (oh * 60 + om) * 60 * (c == 43 ? 1 : -1)
                i = j
            }
        }
        guard i >= n, h < 24, mi < 60, s <= 60 else { return nil }
        let days = daysFromCivil(y, mo, d)
        let secs = Int64(days) * 86_400 + Int64(h * 3600 + mi * 60 + s) - Int64(offset)
        return secs * 1000 + Int64(ms)
    }

    /// Days in month `m` of year `y` (proleptic Gregorian): `2025-02-30` and
    /// `2023-02-29` are not times, and an event claiming one is `decode.bad_time`.
    public static func daysInMonth(_ y: Int, _ m: Int) -> Int {
        switch m {
        case 2: return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Formats as `YYYY-MM-DDTHH:MM:SSZ` (milliseconds are dropped unless non-zero).
    public static func format(_ ms: Int64) -> String {
        var out = ByteWriter(capacity: 28)
        append(ms, to: &out)
        return out.text
    }

    /// Appends `format(ms)`'s bytes: a writer that builds a whole line in one buffer (every
    /// finding carries two times) makes no string for it.
    public static func append(_ ms: Int64, to out: inout ByteWriter) {
        let secs = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let rem = Int(ms - secs * 1000)
        let days = secs >= 0 ? secs / 86_400 : (secs - 86_399) / 86_400
        let sod = Int(secs - days * 86_400)
        let (y, m, d) = civilFromDays(Int(days))
        if (1000...9999).contains(y) {
            out.append(0x30 + UInt8(y / 1000))
            out.append(0x30 + UInt8(y / 100 % 10))
            out.append(0x30 + UInt8(y / 10 % 10))
            out.append(0x30 + UInt8(y % 10))
        } else {
            out.append(decimal: y)
        }
        func two(_ sep: UInt8, _ v: Int) {
            out.append(sep)
            out.append(0x30 + UInt8(v / 10 % 10))
            out.append(0x30 + UInt8(v % 10))
        }
        two(0x2D, m)
        two(0x2D, d)
        two(0x54, sod / 3600)
        two(0x3A, sod / 60 % 60)
        two(0x3A, sod % 60)
        if rem != 0 {
            out.append(0x2E)
            out.append(0x30 + UInt8(rem / 100))
            out.append(0x30 + UInt8(rem / 10 % 10))
            out.append(0x30 + UInt8(rem % 10))
        }
        out.append(0x5A)
    }

    /// Hour of the week, 0 = Monday 00:00–00:59 UTC … 167 = Sunday 23:00 UTC.
    public static func hourOfWeek(_ ms: Int64) -> Int {
        let hours = Int((ms >= 0 ? ms : ms - 3_599_999) / 3_600_000)
        // 1970-01-01 was a Thursday (index 3 when Monday = 0).
        return ((hours + 3 * 24) % 168 + 168) % 168
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// Inverse of `daysFromCivil`.
    public static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
