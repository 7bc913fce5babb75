import Foundation

/// The AWS CLI's shared files (`~/.aws/config` and `~/.aws/credentials`) parsed into profiles:
/// pure, so a test hands it text. The config file names profiles `[profile NAME]` (and
/// `[default]`), the credentials file `[NAME]`; the credentials file wins for the same key, as
/// in the CLI. Indented lines (nested `s3 =` settings) and other sections are skipped.
public struct SharedConfig: Sendable, Hashable {
    /// Settings per profile name, keys lower-cased.
    public var profiles: [String: [String: String]] = [:]

    /// An empty configuration.
    public init() {}

    /// Parses both files' text (either may be empty).
    public init(config: String, credentials: String) {
        for (name, values) in SharedConfig.sections(config, configStyle: true) {
            profiles[name, default: [:]].merge(values) { _, new in new }
        }
        for (name, values) in SharedConfig.sections(credentials, configStyle: false) {
            profiles[name, default: [:]].merge(values) { _, new in new }
        }
    }

    /// One profile's settings, nil when it is in neither file.
    public subscript(profile: String) -> [String: String]? { profiles[profile] }

    /// Longest line and most profiles read, so a hostile or broken file stays bounded.
    static let maxLine = 8192
    static let maxProfiles = 1000

    static func sections(_ text: String, configStyle: Bool) -> [(String, [String: String])] {
        var out: [(String, [String: String])] = []
        var current: String? = nil
        var values: [String: String] = [:]
        func close() {
            if let current { out.append((current, values)) }
            values = [:]
        }
        for raw in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            guard raw.count <= maxLine, let first = raw.first, first != " ", first != "\t" else { continue }
            let line = raw.trimmingSpaces()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                close()
                current = profileName(line, configStyle: configStyle)
                if out.count >= maxProfiles { current = nil }
                continue
            }
            guard current != nil, let eq = line.firstIndex(of: "=") else { continue }
            let key = line[..<eq].trimmingSpaces().lowercased()
            var value = line[line.index(after: eq)...].trimmingSpaces()
            if let hash = value.range(of: " #") ?? value.range(of: "\t#") {
                value = value[..<hash.lowerBound].trimmingSpaces()
            }
            values[key] = value
        }
        close()
        return out
    }

    /// `[default]`, `[profile x]` (config) or `[x]` (credentials); nil for other sections
    /// (`[sso-session …]`, `[services …]`), whose keys are then ignored.
    static func profileName(_ line: String, configStyle: Bool) -> String? {
        guard line.hasSuffix("]") else { return nil }
        let inner = line.dropFirst().dropLast().trimmingSpaces()
        if !configStyle || inner == "default" { return inner.isEmpty ? nil : inner }
        guard inner.hasPrefix("profile ") else { return nil }
        let name = inner.dropFirst("profile ".count).trimmingSpaces()
        return name.isEmpty ? nil : name
    }
}

extension StringProtocol {
    /// Without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\r" { s = s.dropLast() }
        return String(s)
    }
}
