/// One input to read, as found by `InputDiscovery`.
public struct InputFile: Sendable, Hashable {
    /// Path as given or found while walking; `-` for stdin.
    public var path: String
    /// Size in bytes when known (not for stdin or pipes).
    public var size: Int64?
    /// Time encoded in a CloudTrail-style file name (`…_20240102T0305Z_…`), ms since the epoch.
    public var nameTime: Int64?
    /// A CloudTrail digest file (`CloudTrail-Digest` in the path): it holds
    /// hashes, not events, so the runtime normally skips it with a note.
    public var isDigest: Bool
    /// Standard input.
    public var isStdin: Bool

    /// Creates an input; `nameTime` and `isDigest` default to what the path says.
    public init(
        path: String, size: Int64? = nil, nameTime: Int64? = nil, isDigest: Bool? = nil, isStdin: Bool = false
    ) {
        self.path = path
        self.size = size
        self.nameTime = nameTime ?? (isStdin ? nil : CloudTrailPath.nameTime(path))
        self.isDigest = isDigest ?? CloudTrailPath.isDigest(path)
        self.isStdin = isStdin
    }

    /// Standard input, named `-`.
    public static let stdin = InputFile(path: "-", isDigest: false, isStdin: true)
}
