/// A one-line progress bar on stderr, redrawn at most every 1% or 200 ms worth
/// of bytes. Only used when stderr is a terminal.
public final class ProgressBar {
    private let total: Int64
    private var lastPermille = -1
    private var done: Int64 = 0

    /// Creates a bar for `total` input bytes (0 when unknown: a byte counter is shown).
    public init(totalBytes: Int64) { total = totalBytes }

    /// Adds consumed input bytes and redraws when the shown value changes.
    public func advance(by bytes: Int64, files: Int, events: Int) {
        done += bytes
        let permille = total > 0 ? Int(min(1000, done * 1000 / total)) : Int(done >> 20)
        guard permille != lastPermille else { return }
        lastPermille = permille
        if total > 0 {
            let width = 30
            let filled = permille * width / 1000
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            Terminal.errRaw("\r[\(bar)] \(permille / 10)% \(files) files \(events) events ")
        } else {
            Terminal.errRaw("\r\(done >> 20) MiB read, \(events) events ")
        }
    }

    /// Clears the line.
    public func finish() { Terminal.errRaw("\r\u{1B}[K") }
}
