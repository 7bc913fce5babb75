import EventModel

/// Maps raw user-agent strings to a family and version, with a bounded cache keyed by
/// the raw bytes (user agents repeat a lot; an attacker sending unique ones only costs
/// a classification each, never memory).
///
/// Rules, first match wins (matching is case-insensitive):
/// 1. empty → `empty`.
/// 2. Offensive tooling markers (`offensiveMarkers`, e.g. `pacu`, `scoutsuite`,
///    `stratus-red-team`, `cloudfox`, `trufflehog`, and the pentest distributions
///    `kali`, `parrot`, `pentoo` that GuardDuty flags in SDK user agents) → `offensive-tool`.
/// 3. Console: `console.amazonaws.com`, `console.ec2.amazonaws.com`, `signin.amazonaws.com`,
///    `AWS Signin`, `S3Console/`, `AWS Console …`, `AWSConsole`, `Coral/…` (console back ends)
///    → `console`.
/// 4. `cloudformation.amazonaws.com` → `cloudformation`.
/// 5. `AWS Internal`, `aws-internal/…`, any other `*.amazonaws.com` → `aws-internal`.
/// 6. `aws-cli/V` → `aws-cli` (before SDKs: CLI v1 also names botocore).
/// 7. `Terraform/V` or `terraform-provider-aws` → `terraform`; `pulumi` → `pulumi`
///    (before SDKs: both embed aws-sdk-go).
/// 8. `Boto3/V` → `boto3`; `Botocore/V` → `botocore`; `aws-sdk-<lang>…/V` → the SDK family
///    (java, go incl. go-v2, js incl. nodejs, dotnet incl. coreclr, ruby incl. ruby3, php,
///    rust; other languages → `aws-sdk-other`).
/// 9. `kubectl/`, `google-cloud-sdk`/`gcloud`, `azure-cli`/`AZURECLI`, `python-requests/`,
///    `curl/` → their families; `Mozilla/` or a leading browser name → `browser`.
/// 10. anything else → `unknown`.
public struct UserAgentNormalizer {
    private var cache = ByteCache<UserAgent>(slots: 2048, maxKeyLength: UserAgent.maxRawLength)

    /// Substrings that mark offensive tooling. Kept small and specific: security tools
    /// that are mostly run by defenders (Prowler, cloudsplaining) are not listed.
    public static let offensiveMarkers: [String] = [
        "pacu", "scoutsuite", "scout suite", "stratus-red-team", "cloudfox", "trufflehog", "weirdaal",
        "cloudgoat", "kali", "parrot", "pentoo",
    ]

    /// Creates a normalizer with an empty cache.
    public init() {}

    /// Normalizes `raw` (cut to `UserAgent.maxRawLength` bytes), using the cache.
    public mutating func normalize(_ raw: String) -> UserAgent {
        var r = raw
        return r.withUTF8 { normalize(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Normalizes raw valid-UTF-8 bytes.
    mutating func normalize(bytes: UnsafeRawBufferPointer) -> UserAgent {
        var b = bytes
        if b.count > UserAgent.maxRawLength {
            var n = UserAgent.maxRawLength
            while n > 0, b[n] & 0xC0 == 0x80 { n -= 1 }
            b = UnsafeRawBufferPointer(rebasing: b[0..<n])
        }
        let (hit, h) = cache.lookup(b)
        if let hit { return hit }
        let ua = UserAgentNormalizer.classify(String(decoding: b, as: UTF8.self))
        cache.insert(b, hash: h, ua)
        return ua
    }

    /// Classifies without caching; `raw` is cut to `UserAgent.maxRawLength` bytes first.
    public static func classify(_ raw: String) -> UserAgent {
        let text = raw.utf8.count > UserAgent.maxRawLength ? cut(raw) : raw
        let (family, version) = family(of: Array(text.lowercased().utf8))
        return UserAgent(raw: text, family: family, version: version)
    }

    private static func cut(_ s: String) -> String {
        var n = UserAgent.maxRawLength
        let u = Array(s.utf8)
        while n > 0, u[n] & 0xC0 == 0x80 { n -= 1 }
        return String(decoding: u[0..<n], as: UTF8.self)
    }

    private static let sdks: [(String, UserAgentFamily)] = [
        ("aws-sdk-java", .awsSDKJava), ("aws-sdk-go", .awsSDKGo), ("aws-sdk-js", .awsSDKJS),
        ("aws-sdk-nodejs", .awsSDKJS), ("aws-sdk-dotnet", .awsSDKDotNet), ("aws-sdk-ruby", .awsSDKRuby),
        ("aws-sdk-php", .awsSDKPHP), ("aws-sdk-rust", .awsSDKRust), ("aws-sdk-", .awsSDKOther),
    ]

    private static let tools: [(String, UserAgentFamily)] = [
        ("kubectl/", .kubectl), ("google-cloud-sdk", .gcloud), ("gcloud/", .gcloud), ("azurecli/", .azureCLI),
        ("azure-cli", .azureCLI), ("python-requests/", .pythonRequests), ("curl/", .curl),
    ]

    /// Family and version from the lower-cased user agent.
    static func family(of u: [UInt8]) -> (UserAgentFamily, String) {
        if u.allSatisfy({ $0 == 0x20 }) { return (.empty, "") }
        for m in offensiveMarkers {
            if let i = find(u, m), m.count > 4 || isBoundary(u, i, m.utf8.count) {
                return (.offensiveTool, version(u, after: i + m.utf8.count))
            }
        }
        if let f = awsOrigin(u) { return (f, "") }
        if let i = find(u, "aws-cli/") { return (.awsCLI, version(u, after: i + 7)) }
        if let i = find(u, "terraform/") { return (.terraform, version(u, after: i + 9)) }
        if find(u, "terraform-provider-aws") != nil { return (.terraform, "") }
        if let i = find(u, "pulumi") { return (.pulumi, version(u, after: i + 6)) }
        if let i = find(u, "boto3/") { return (.boto3, version(u, after: i + 5)) }
        if let i = find(u, "botocore/") { return (.botocore, version(u, after: i + 8)) }
        for (name, fam) in sdks {
            if let i = find(u, name) {
                var j = i + name.utf8.count
                while j < u.count, u[j] != 0x2F, u[j] != 0x20 { j += 1 }  // `-v2`, `-coreclr`, `3`
                return (fam, version(u, after: j))
            }
        }
        for (name, fam) in tools {
            if let i = find(u, name) {
                let end = i + name.utf8.count
                return (fam, version(u, after: name.hasSuffix("/") ? end - 1 : end))
            }
        }
        let bare = Array(u.drop { $0 == 0x5B || $0 == 0x20 })
        if startsWith(bare, "mozilla/") || startsWith(bare, "opera/") || find(u, "chrome/") != nil {
            return (.browser, "")
        }
        return (.unknown, "")
    }

    /// Console, CloudFormation and AWS-internal callers.
    private static func awsOrigin(_ u: [UInt8]) -> UserAgentFamily? {
        for c in [
            "console.amazonaws.com", "console.ec2.amazonaws.com", "signin.amazonaws.com", "aws signin",
            "s3console/", "aws console", "awsconsole",
        ] where find(u, c) != nil {
            return .console
        }
        let trimmed = u.drop { $0 == 0x5B || $0 == 0x20 }  // "[aws-internal/3 …]"
        if startsWith(u, "coral/") { return .console }
        if find(u, "cloudformation.amazonaws.com") != nil { return .cloudFormation }
        if u == Array("aws internal".utf8) || startsWith(Array(trimmed), "aws-internal/") { return .awsInternal }
        if endsWith(u, ".amazonaws.com") && !u.contains(0x20) { return .awsInternal }
        return nil
    }

    /// Version text right after `name/` at `slash`: up to a space or delimiter, at most 32 bytes.
    private static func version(_ u: [UInt8], after slash: Int) -> String {
        guard slash < u.count, u[slash] == 0x2F else { return "" }
        var j = slash + 1
        while j < u.count, j - slash <= 32, !" ;,()[]#".utf8.contains(u[j]) { j += 1 }
        let v = u[(slash + 1)..<j]
        guard let first = v.first, first >= 0x30, first <= 0x39 else { return "" }
        return String(decoding: v, as: UTF8.self)
    }

    private static func isLetter(_ c: UInt8) -> Bool { (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) }

    /// Short markers (`kali`) must stand alone: `Linux/5.10-kali7` yes, `kalimba` no.
    private static func isBoundary(_ u: [UInt8], _ i: Int, _ n: Int) -> Bool {
        (i == 0 || !isLetter(u[i - 1])) && (i + n >= u.count || !isLetter(u[i + n]))
    }

    private static func startsWith(_ u: [UInt8], _ p: String) -> Bool { u.starts(with: p.utf8) }

    private static func endsWith(_ u: [UInt8], _ s: String) -> Bool {
        let n = s.utf8.count
        return u.count >= n && u[(u.count - n)...].elementsEqual(s.utf8)
    }

    /// First index of `needle` in `u`.
    static func find(_ u: [UInt8], _ needle: String) -> Int? {
        let n = Array(needle.utf8)
        guard let f = n.first, u.count >= n.count else { return nil }
        var i = 0
        let last = u.count - n.count
        while i <= last {
            if u[i] == f {
                var k = 1
                while k < n.count, u[i + k] == n[k] { k += 1 }
                if k == n.count { return i }
            }
            i += 1
        }
        return nil
    }
}
