#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif
import EventModel
import Investigation

/// The text output of `scan --format text`: incidents first, one block each (title, identities,
/// chain, then its findings in time order with their explanations), then the findings that belong
/// to no incident as a table. Long lines are wrapped to `width` (the terminal's), never cut, so
/// an explanation stays readable in a terminal and whole in a pipe.
public enum TextReport {
    /// The report; `width` nil means no wrapping (a pipe without `COLUMNS`).
    public static func render(incidents: [Incident], findings: [Finding], width: Int?) -> String {
        var byId: [String: Finding] = [:]
        for f in findings { byId[f.id] = f }
        var out = ""
        var inIncident: Set<String> = []
        if !incidents.isEmpty {
            out += "INCIDENTS (\(incidents.count))\n"
            for i in incidents {
                let members = i.findingIds.compactMap { byId[$0] }
                inIncident.formUnion(members.map(\.id))
                out += block(i, members, width)
            }
            out += "\n"
        }
        let rest = findings.filter { !inIncident.contains($0.id) }
        if !incidents.isEmpty {
            if rest.isEmpty { return out + "No other findings.\n" }
            out += "OTHER FINDINGS (\(rest.count))\n"
        }
        return out + table(rest, width)
    }

    /// One incident: header, identities, chain steps, then each finding in time order.
    static func block(_ i: Incident, _ members: [Finding], _ width: Int?) -> String {
        var out = wrap(
            i.severity.description.uppercased().padded(9) + Timestamp.format(i.firstSeen).padded(21) + i.id + "  "
                + i.title, width, indent: 0, hanging: 9)
        out += wrap(
            "identities: " + i.identities.map(FindingFormatter.shortIdentity).joined(separator: ", "), width, indent: 9)
        for e in i.chain.prefix(12) {
            out += wrap(
                "chain " + clock(e.time) + "  " + FindingFormatter.shortIdentity(e.from) + " → "
                    + FindingFormatter.shortIdentity(e.to) + " (" + e.kind.rawValue + ")", width, indent: 9)
        }
        if i.chain.count > 12 { out += "         … \(i.chain.count - 12) more chain steps (--format json)\n" }
        out += "         \(i.findingCount) finding(s), in time order:\n"
        for f in members.sorted(by: { ($0.firstSeen, $0.id) < ($1.firstSeen, $1.id) }) {
            out += wrap(
                clock(f.firstSeen) + "  " + f.severity.description.uppercased().padded(9) + f.detector + "  " + f.title,
                width, indent: 11, hanging: 21)
            out += details(f, width, indent: 21)
        }
        let missing = i.findingCount - members.count
        if missing > 0 { out += "           … \(missing) more finding(s) (--format json)\n" }
        return out
    }

    /// Findings outside incidents: the table `FindingFormatter.text` prints, with wrapped details.
    static func table(_ findings: [Finding], _ width: Int?) -> String {
        if findings.isEmpty { return "No findings.\n" }
        let sorted = findings.sorted { ($0.severity.rawValue, -$0.firstSeen) > ($1.severity.rawValue, -$1.firstSeen) }
        var out = wrap(
            "SEVERITY".padded(9) + "TIME (UTC)".padded(21) + "DETECTOR".padded(39) + "IDENTITY".padded(40) + "TITLE",
            width,
            indent: 0, hanging: 9)
        for f in sorted {
            let head =
                f.severity.description.uppercased().padded(9) + Timestamp.format(f.firstSeen).padded(21)
                + f.detector.padded(39) + FindingFormatter.shortIdentity(f.identity).padded(40) + f.title
            out += wrap(head, width, indent: 0, hanging: 9)
            out += details(f, width, indent: 9)
        }
        return out
    }

    /// Explanation, ids and evidence of a finding, indented.
    static func details(_ f: Finding, _ width: Int?, indent: Int) -> String {
        var out = wrap(f.explanation, width, indent: indent)
        out += wrap("id: \(f.id)" + (f.incident.map { ", incident: \($0)" } ?? ""), width, indent: indent)
        if !f.eventIds.isEmpty {
            let more = f.count > 5 ? " … (\(f.count) events)" : ""
            out += wrap("evidence: " + f.eventIds.prefix(5).joined(separator: ", ") + more, width, indent: indent)
        }
        return out
    }

    /// `text` (escaped for the terminal) on lines of at most `width` columns: the first after
    /// `indent` spaces, the rest after `hanging` (default `indent`); broken at spaces, a word
    /// longer than a line is split. No wrapping without a width.
    public static func wrap(_ text: String, _ width: Int?, indent: Int, hanging: Int? = nil) -> String {
        let safe = TerminalText.escape(text)
        let first = String(repeating: " ", count: indent)
        guard let width, width > indent + 20 else { return first + safe + "\n" }
        let next = String(repeating: " ", count: hanging ?? indent)
        var out = ""
        var line = first
        var lineLength = indent
        var atStart = true
        for word in safe.split(separator: " ", omittingEmptySubsequences: false) {
            var w = Substring(word)
            while true {
                let room = width - lineLength - (atStart ? 0 : 1)
                if w.count <= room {
                    line += (atStart ? "" : " ") + w
                    lineLength += w.count + (atStart ? 0 : 1)
                    atStart = false
                    break
                }
                if !atStart {
                    out += line + "\n"
                    line = next
                    lineLength = next.count
                    atStart = true
                    continue
                }
                let cut = max(1, room)
                out += line + w.prefix(cut) + "\n"
                w = w.dropFirst(cut)
                line = next
                lineLength = next.count
                if w.isEmpty { break }
            }
        }
        return out + line + "\n"
    }

    /// `14:22:31` of an event time.
    static func clock(_ t: Int64) -> String { String(Timestamp.format(t).dropFirst(11).prefix(8)) }

    /// Columns of the terminal on stdout; else `COLUMNS`; nil (no wrapping) in a pipe without it.
    public static func outputWidth() -> Int? {
        var size = winsize()
        if isatty(1) == 1, ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col >= 40 { return Int(size.ws_col) }
        if let c = getenv("COLUMNS"), let n = Int(String(cString: c)), n >= 40 { return min(n, 1000) }
        return nil
    }
}

extension String {
    /// The text in a column of `width` characters (cut with a space when too long).
    fileprivate func padded(_ width: Int) -> String {
        count >= width ? String(prefix(width - 1)) + " " : self + String(repeating: " ", count: width - count)
    }
}
