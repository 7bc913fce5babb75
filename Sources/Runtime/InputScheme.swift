/// Inputs written as URLs (`s3://bucket/prefix`, `sqs://queue`): which schemes each command
/// reads. A URL used to be taken for a relative file name (`sqs:/queue`) and silently tailed or
/// reported missing; now an unsupported one is a usage error naming what is supported. `scan`
/// and `investigate` read `s3://` (listed and streamed by `CloudInputs`); `watch` reads none yet.
public enum InputScheme {
    /// URL schemes `scan` and `investigate` inputs may use, lower case.
    public static let supported: [String] = ["s3"]
    /// URL schemes `watch` inputs may use (it tails files and folders; none yet).
    public static let watchSupported: [String] = []

    /// The scheme of `path` when it is written as a URL (`scheme://…`, RFC 3986 scheme
    /// characters), lower-cased; nil for a local path. `./s3://x` stays a local path.
    public static func scheme(of path: String) -> String? {
        guard let range = path.range(of: "://") else { return nil }
        let scheme = path[..<range.lowerBound]
        guard let first = scheme.first, first.isASCII, first.isLetter,
            scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+.-".contains($0)) })
        else { return nil }
        return scheme.lowercased()
    }

    /// Why `path` cannot be an input (a URL whose scheme is not in `supported`), or nil.
    public static func problem(with path: String, supported: [String] = InputScheme.supported) -> String? {
        guard let scheme = scheme(of: path), !supported.contains(scheme) else { return nil }
        let schemes = supported.isEmpty ? "none yet" : supported.map { $0 + "://" }.joined(separator: ", ")
        return
            "\(path): input scheme \(scheme):// is not supported here (inputs are local files, directories or - for stdin; URL schemes supported: \(schemes)). Copy the objects to a local directory first, e.g. aws s3 sync."
    }
}
