import Config

extension FormatMappingLoader {
    /// Code of the warning about a `skip:` that only tests key presence.
    public static let broadSkipCode = "config.skip_swallows_requests"

    /// A warning when `skip:` only asks for keys to be present: every record with those keys that
    /// `match:` (or its template) does not claim is then counted as a skipped note and never seen,
    /// request lines included — an access line in another shape, a server version that logs
    /// requests differently. Real case: a Langflow mapping whose skip took every loguru record,
    /// so the lines that mattered vanished without a diagnostic. A skip with `equals:` or
    /// `contains:` on something only the server's application records carry (its logger name)
    /// lets a request-looking record that nothing claims surface as `decode.unknown_format`.
    static func broadSkip(_ c: WorkflowMapping.Condition, _ skip: ConfigReader) -> ConfigIssue? {
        guard c.equals.isEmpty, c.contains.isEmpty else { return nil }
        let keys = c.keys.map { $0.joined(separator: ".") }.joined(separator: ", ")
        let at = skip.position(of: "keys")
        return ConfigIssue(
            file: skip.file, line: at?.line ?? skip.line, column: at?.column ?? 0, code: broadSkipCode,
            message:
                "skip only requires keys (\(keys)): a record that looks like a request (a method and path, an HTTP status) "
                + "but that match: does not claim would be omitted as a note, never reported; add equals: or contains: "
                + "on something only the server's application records carry (e.g. its logger name)")
    }
}
