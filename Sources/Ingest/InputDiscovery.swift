import EventModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The inputs found for a scan, in the order to read them.
public struct DiscoveryResult: Sendable {
    /// Inputs in reading order (see `InputDiscovery.discover`).
    public var files: [InputFile]
    /// `input.not_found`, `input.unreadable`, `input.symlink_loop` problems; the other paths were still listed.
    public var diagnostics: [Diagnostic]
    /// Files (or date folders' worth of files) left out by the `since`/`until` filter.
    public var skippedByTime: Int
}

/// Turns command-line paths into an ordered list of inputs.
public enum InputDiscovery {
    /// Extensions of files that are never logs (READMEs, scripts, configs next to
    /// an archive). Only applied while walking a directory: a file named on the
    /// command line is always read, and formats are still recognised by content.
    public static let documentationExtensions: Set<String> = [
        "md", "txt", "rst", "html", "pdf", "png", "jpg", "svg", "yaml", "yml", "toml", "py", "sh", "swift",
    ]

    /// True for a file name whose extension is in `documentationExtensions`.
    public static func isDocumentation(_ name: String) -> Bool {
        guard let dot = name.lastIndex(of: ".") else { return false }
        return documentationExtensions.contains(name[name.index(after: dot)...].lowercased())
    }

    /// How far a file's name time may lie outside `since`/`until` and still be
    /// read: a CloudTrail file can hold events older than its delivery time
    /// (and a little newer), so only clearly-outside files are skipped.
    public static let defaultTimeMargin: Int64 = 3_600_000

    /// Lists the inputs named by `paths`: files, directories (walked
    /// recursively; hidden entries and documentation files (`documentationExtensions`)
    /// skipped; symlinks followed, each directory
    /// visited once), or `-` for stdin.
    ///
    /// Order: files whose name carries a CloudTrail delivery time come first,
    /// sorted by (time, path) across all arguments, so archives of several
    /// accounts/regions are read in time order. Then the other inputs, in
    /// argument order, files found in a directory sorted by path. The same file
    /// named twice is read once. Digest files are listed with `isDigest` set.
    ///
    /// With `since`/`until` (ms), files whose name time is more than `margin`
    /// outside the range are left out, and so are date folders of the
    /// CloudTrail layout that lie wholly outside it (without listing them).
    /// Files without a name time are always kept.
    public static func discover(
        _ paths: [String], since: Int64? = nil, until: Int64? = nil, margin: Int64 = defaultTimeMargin
    ) -> DiscoveryResult {
        var walker = Walker(since: since.map { $0 - margin }, until: until.map { $0 + margin })
        for path in paths {
            if path == "-" {
                walker.add(InputFile.stdin)
            } else {
                walker.visit(path, explicit: true)
            }
        }
        let timed = walker.found.filter { $0.nameTime != nil }.sorted {
            ($0.nameTime!, $0.path) < ($1.nameTime!, $1.path)
        }
        let untimed = walker.found.filter { $0.nameTime == nil }
        return DiscoveryResult(
            files: timed + untimed, diagnostics: walker.diagnostics, skippedByTime: walker.skippedByTime)
    }
}

/// Identity of a file or directory, to visit each once.
private struct FileID: Hashable {
    var dev: UInt64
    var ino: UInt64
}

private struct Walker {
    let since: Int64?
    let until: Int64?
    var found: [InputFile] = []
    var diagnostics: [Diagnostic] = []
    var skippedByTime = 0
    var seenFiles: Set<FileID> = []
    var seenDirs: Set<FileID> = []

    init(since: Int64?, until: Int64?) {
        self.since = since
        self.until = until
    }

    mutating func add(_ file: InputFile) {
        found.append(file)
    }

    mutating func visit(_ path: String, explicit: Bool) {
        var st = stat()
        guard stat(path, &st) == 0 else {
            let err = errno
            var lst = stat()
            let dangling = lstat(path, &lst) == 0
            let code = err == ENOENT && !dangling ? "input.not_found" : "input.unreadable"
            let why = dangling && err == ENOENT ? "dangling symbolic link" : String(cString: strerror(err))
            problem(path, code, "cannot read: \(why)")
            return
        }
        let id = FileID(dev: UInt64(st.st_dev), ino: UInt64(st.st_ino))
        if (st.st_mode & S_IFMT) == S_IFDIR {
            walk(path, id)
        } else if (st.st_mode & S_IFMT) == S_IFREG || explicit {
            // Named pipes are fine when named explicitly (`<(zcat …)`); inside folders only regular files count.
            guard !seenFiles.contains(id) else { return }
            seenFiles.insert(id)
            guard access(path, R_OK) == 0 else {
                problem(path, "input.unreadable", "cannot read: \(String(cString: strerror(errno)))")
                return
            }
            let isRegular = (st.st_mode & S_IFMT) == S_IFREG
            let file = InputFile(path: path, size: isRegular ? Int64(st.st_size) : nil)
            if let t = file.nameTime, outside(t, t + 1) {
                skippedByTime += 1
                return
            }
            found.append(file)
        }
    }

    private mutating func walk(_ dir: String, _ id: FileID) {
        guard !seenDirs.contains(id) else {
            diagnostics.append(
                Diagnostic(
                    origin: Origin(path: dir, record: 0), level: .note, code: "input.symlink_loop",
                    message: "directory already visited (symbolic link loop or duplicate); skipped"))
            return
        }
        seenDirs.insert(id)
        if let range = CloudTrailPath.folderRange(dir), outside(range.start, range.end) {
            skippedByTime += 1
            return
        }
        guard let handle = opendir(dir) else {
            problem(dir, "input.unreadable", "cannot list directory: \(String(cString: strerror(errno)))")
            return
        }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if !name.hasPrefix(".") && !InputDiscovery.isDocumentation(name) { names.append(name) }
        }
        closedir(handle)
        let prefix = dir.hasSuffix("/") ? dir : dir + "/"
        for name in names.sorted() {
            visit(prefix + name, explicit: false)
        }
    }

    /// Whether `[start, end)` lies wholly outside the (margin-widened) filter.
    private func outside(_ start: Int64, _ end: Int64) -> Bool {
        if let since, end <= since { return true }
        if let until, start > until { return true }
        return false
    }

    private mutating func problem(_ path: String, _ code: String, _ message: String) {
        diagnostics.append(Diagnostic(origin: Origin(path: path, record: 0), code: code, message: message))
    }
}
