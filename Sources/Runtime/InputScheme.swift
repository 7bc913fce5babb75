/// Inputs written as URLs (`s3://bucket/prefix`, `sqs://queue`): which schemes this build
/// reads. None yet: every input is a local file, a directory or `-`. A URL used to be taken
/// for a relative file name (`sqs:/queue`) and silently tailed or reported missing; now it
/// is a usage error naming what is supported. A reader for a scheme adds its name to
/// `supported` and is picked by `scheme(of:)` where inputs are opened.
public enum InputScheme {
    /// URL schemes an input may use, lower case (`s3`, `sqs`, … once they have readers).
    public static let supported: [String] = []

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

    /// Why `path` cannot be an input (a URL whose scheme this build does not read), or nil.
    public static func problem(with path: String) -> String? {
        guard let scheme = scheme(of: path), !supported.contains(scheme) else { return nil }
        let schemes = supported.isEmpty ? "none yet" : supported.map { $0 + "://" }.joined(separator: ", ")
        return
            "\(path): input scheme \(scheme):// is not supported (inputs are local files, directories or - for stdin; URL schemes supported: \(schemes)). Copy the objects to a local directory first, e.g. aws s3 sync."
    }
}
