import EventModel

/// Times written by access logs that are not ISO-8601: nginx / Apache `$time_local`
/// (`10/Oct/2025:13:55:36 +0000`), epoch seconds with a fraction (nginx `$msec`), and
/// durations in seconds (`0.123`) turned into milliseconds. Byte-wise, no Foundation.
enum AccessTime {
    /// `DD/Mon/YYYY:HH:MM:SS ±HHMM` → milliseconds since the epoch (UTC); nil otherwise.
    static func commonLog(_ b: UnsafeRawBufferPointer) -> Int64? {
        guard b.count >= 20 else { return nil }
        func num(_ at: Int, _ count: Int) -> Int? { Timestamp.digits(b, at: at, count: count) }
        guard let d = num(0, 2), b[2] == 0x2F, let mo = month(b[3], b[4], b[5]), b[6] == 0x2F, let y = num(7, 4),
            b[11] == 0x3A, let h = num(12, 2), b[14] == 0x3A, let mi = num(15, 2), b[17] == 0x3A, let s = num(18, 2),
            (1...Timestamp.daysInMonth(y, mo)).contains(d), h < 24, mi < 60, s < 61
        else { return nil }
        var offset = 0
        if b.count >= 26, b[20] == 0x20, b[21] == 0x2B || b[21] == 0x2D, let oh = num(22, 2), let om = num(24, 2) {
            offset = (oh * 60 + om) * (b[21] == 0x2D ? -1 : 1)
        }
        let days = Timestamp.daysFromCivil(y, mo, d)
        let secs = Int64(days) * 86_400 + Int64(h * 3600 + mi * 60 + s) - Int64(offset * 60)
        return secs * 1000
    }

    private static func month(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> Int? {
        let key = (UInt32(a | 0x20) << 16) | (UInt32(b | 0x20) << 8) | UInt32(c | 0x20)
        let names: [(UInt32, Int)] = [
            (0x6a_616e, 1), (0x66_6562, 2), (0x6d_6172, 3), (0x61_7072, 4), (0x6d_6179, 5), (0x6a_756e, 6),
            (0x6a_756c, 7), (0x61_7567, 8), (0x73_6570, 9), (0x6f_6374, 10), (0x6e_6f76, 11), (0x64_6563, 12),
        ]
        return names.first { $0.0 == key }?.1
    }

    /// Seconds with an optional fraction (`0.052`, `1733500800.123`) → milliseconds; nil for
    /// anything else (including `-`). At most 20 bytes.
    static func secondsAsMillis(_ b: UnsafeRawBufferPointer) -> Int64? {
        guard b.count > 0, b.count <= 20 else { return nil }
        var whole: Int64 = 0
        var frac: Int64 = 0
        var fracDigits = 0
        var seenDot = false
        var digits = 0
        for c in b {
            if c == 0x2E, !seenDot {
                seenDot = true
            } else if c >= 48 && c <= 57 {
                digits += 1
                if seenDot {
                    if fracDigits < 3 {
                        frac = frac * 10 + Int64(c - 48)
                        fracDigits += 1
                    }
                } else {
                    whole = whole * 10 + Int64(c - 48)
                }
            } else {
                return nil
            }
        }
        guard digits > 0 else { return nil }
        while fracDigits < 3 {
            frac *= 10
            fracDigits += 1
        }
        return whole * 1000 + frac
    }

    /// `commonLog` of a decoded string.
    static func commonLog(text: String) -> Int64? {
        var t = text
        return t.withUTF8 { commonLog(UnsafeRawBufferPointer($0)) }
    }

    /// `secondsAsMillis` of a decoded string.
    static func secondsAsMillis(text: String) -> Int64? {
        var t = text
        return t.withUTF8 { secondsAsMillis(UnsafeRawBufferPointer($0)) }
    }

    /// Text form of a millisecond duration (`52`), "" when unknown.
    static func millisText(_ ms: Int64?) -> String { ms.map { String($0) } ?? "" }
}
