/// Shell quoting for the commands a report prints. Every value taken from a log is
/// attacker-controlled (an instance id, a session name, a secret name, a bucket key): the
/// printed command must pass it to the program as exactly one argument, whatever it holds,
/// when the responder pastes the block into a POSIX shell (bash, zsh, ksh, dash).
enum ShellWord {
    /// `s` as one shell word that expands to exactly `s`.
    ///
    /// - Only `A-Z a-z 0-9 _ . / : @ + = , -` → unchanged (nothing there is special to a
    ///   shell; `~`, `*`, `?`, `[`, `!`, `#`, `$`, quotes and spaces are not in the set).
    /// - Printable text → POSIX single quotes, a `'` written as `'"'"'`.
    /// - Text with control or invisible formatting characters (newline, carriage return,
    ///   tab, escape, bidirectional overrides, zero-width characters) → `$'…'` with every such
    ///   character and every non-ASCII byte around it as `\xHH`. That keeps each command on
    ///   one line (a Markdown fence or a line-by-line copy cannot split it) and shows what a
    ///   terminal would hide. `$'…'` is POSIX since 2024 and in bash, zsh, ksh and busybox sh.
    static func quote(_ s: String) -> String {
        if !s.isEmpty, s.unicodeScalars.allSatisfy(isPlain) { return s }
        if s.unicodeScalars.contains(where: isHidden) { return dollarQuote(s) }
        return "'" + s.replacingOccurrences("'", #"'"'"'"#) + "'"
    }

    /// `--name=VALUE` with the value quoted: one argument, never taken for an option even
    /// when the value starts with `-` (the AWS CLI, like argparse, reads `--name -x` as
    /// two options, but `--name=-x` as the option and its value).
    static func option(_ name: String, _ value: String) -> String { name + "=" + quote(value) }

    /// `NAME="${NAME:?message}"`-style reference: expands to the variable, or stops the
    /// command with `message` when the responder has not set it (placeholders for values
    /// the logs do not hold, which must never be shell syntax such as `<value>`).
    static func required(_ variable: String, _ message: String) -> String {
        precondition(variable.unicodeScalars.allSatisfy { isPlain($0) && $0 != "=" })
        return
            "\"${\(variable):?\(message.filter { $0.isASCII && ($0.isLetter || $0.isNumber || " ,_".contains($0)) })}\""
    }

    private static func isPlain(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "a"..."z", "A"..."Z", "0"..."9", "_", ".", "/", ":", "@", "+", "=", ",", "-": return true
        default: return false
        }
    }

    /// Controls (C0, DEL, C1), line and paragraph separators, and format characters
    /// (bidirectional overrides and isolates, zero-width joiners, BOM).
    private static func isHidden(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned, .privateUse: return true
        default: return false
        }
    }

    private static func dollarQuote(_ s: String) -> String {
        var out = "$'"
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += #"\\"#
            case "'": out += #"\'"#
            case "\n": out += #"\n"#
            case "\t": out += #"\t"#
            case "\r": out += #"\r"#
            case _ where c.isASCII && !isHidden(c): out.unicodeScalars.append(c)
            default:
                // Bytes, not \u: bash turns \u into the current locale's encoding, bytes are bytes.
                for b in String(c).utf8 { out += "\\x" + hex(b) }
            }
        }
        return out + "'"
    }

    private static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(b >> 4)], digits[Int(b & 15)]])
    }
}
