import EventModel

/// One titled part of an investigation report that is a table (or several, as "What was read" has
/// one per resource kind): built once from `InvestigationReport` by `ReportSections`, rendered by
/// `ReportMarkdown` and `ReportHTML`, so titles, column names, empty texts and the "and N more"
/// lines are written in one place.
struct ReportSection {
    /// The section heading.
    var title: String
    /// What the section says when it has nothing to show (then `tables` is empty).
    var empty: String
    /// Its tables, in order.
    var tables: [ReportTable] = []
    /// Lines after the tables that only the Markdown report prints (the HTML report shows the same
    /// words in cell details).
    var footnotes: [[ReportInline]] = []
}

/// One table of a section.
struct ReportTable {
    /// A sub-heading ("Secrets") and its count note ("3, 1 never read before the window"), if any.
    var heading: (title: String, note: String)?
    /// The columns.
    var columns: [ReportColumn]
    /// The rows, each a cell per column.
    var rows: [[ReportCell]]
    /// Rows left out (by the table's cap and the report's caps).
    var omitted: Int
    /// What the left-out rows are, in "and N more <noun>".
    var noun: String
}

/// A table column: its name and its share of the HTML page's width (percent).
struct ReportColumn {
    /// Header text.
    var name: String
    /// Width in the fixed-layout HTML table, percent.
    var width: Int
}

/// One table cell: inline content, and detail lines the HTML report shows under it in small
/// print (Markdown tables have one line per row, so they leave the detail out).
struct ReportCell {
    /// The cell's content.
    var inline: [ReportInline]
    /// Secondary lines (why, instance, API), HTML only.
    var detail: [ReportInline] = []

    init(_ inline: [ReportInline], detail: [ReportInline] = []) {
        self.inline = inline
        self.detail = detail
    }

    /// A cell of plain text.
    static func text(_ s: String) -> ReportCell { ReportCell([.text(s)]) }
    /// A cell of one word of Trailhound's vocabulary.
    static func term(_ s: String) -> ReportCell { ReportCell([.term(s)]) }
    /// A cell of one identifier.
    static func code(_ s: String) -> ReportCell { ReportCell([.code(s)]) }
    /// A cell of a time (UTC, short form).
    static func time(_ ms: Int64) -> ReportCell { ReportCell([.term(ReportText.time(ms))]) }
    /// A cell of a count.
    static func number(_ n: Int) -> ReportCell { ReportCell([.term("\(n)")]) }
}

/// A typed piece of cell text: what it is, not how it looks; each renderer decides that (and
/// escapes it: log text is attacker-controlled).
enum ReportInline {
    /// Plain text (log text included: escaped by each renderer).
    case text(String)
    /// A word of Trailhound's own vocabulary (an enum's raw value, a time, a count): Markdown
    /// prints it as is, HTML escapes it.
    case term(String)
    /// An identifier (ARN, key id, detector id): a code span.
    case code(String)
    /// A severity badge.
    case severity(Severity)
    /// The row's headline (a finding's title): bold in HTML.
    case headline(String)
    /// A marker after the value ("new network", "after window"): a tag in HTML, "(…)" in Markdown.
    case flag(String)
    /// A remark after the value ("via AWS service"): small print in HTML, "(…)" in Markdown.
    case aside(String)
    /// A short value with its long form as a hover title in HTML (a client family and its full user agent).
    case abbreviation(String, full: String)
    /// A credential's verdict, in its words and colour.
    case verdict(CredentialVerdict)
    /// Something that needs action now ("ACTIVE"): bold red.
    case alarm(String)
    /// A worrying number (denied reads): orange in HTML.
    case warning(String)
    /// A settled state ("removed"): green in HTML.
    case settled(String)
    /// Between items of a list: a line break in HTML, ", " in Markdown.
    case separator
}
