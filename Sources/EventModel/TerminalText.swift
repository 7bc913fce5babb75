/// Makes log-derived text safe to print on a terminal.
///
/// Diagnostics and text findings quote attacker-controlled input (an
/// `eventTime`, an unknown key, a file name, a user name). Printed raw, an ESC
/// sequence could move the cursor, rewrite earlier lines, retitle the window or
/// hide text; CR and LF could forge a diagnostic line; bidirectional overrides
/// could reorder what the reader sees. Every such character is shown instead as
/// a visible escape (`\u{1B}`), so the line says what the input contained.
public enum TerminalText {
    /// `text` with C0/C1 controls, DEL, line/paragraph separators and bidi
    /// controls replaced by `\u{XX}` escapes; other text unchanged (fast path
    /// returns the same string when nothing needs escaping).
    public static func escape(_ text: String) -> String {
        // Printable ASCII needs nothing, and is what nearly every message is: checked on the
        // bytes, where a scalar-by-scalar scan cost about 40 instructions a character (a
        // Kubernetes corpus builds a note for every non-final stage record).
        if text.withUTF8Bytes({ !$0.contains { $0 < 0x20 || $0 > 0x7E } }) { return text }
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            if needsEscape(u) {
                out.append(contentsOf: "\\u{\(String(u.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(u)
            }
        }
        return String(out)
    }

    /// True for scalars a terminal would act on rather than show.
    public static func needsEscape(_ u: Unicode.Scalar) -> Bool {
        let v = u.value
        return v < 0x20 || (0x7F...0x9F).contains(v) || v == 0x2028 || v == 0x2029
            || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F
            || v == 0x061C
    }
}
