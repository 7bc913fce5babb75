import AWS
import EventModel
import Foundation
import Ingest

/// Turns `s3://bucket/prefix` inputs into the objects to read, in the order a local directory
/// scan of the same keys gives. Without `since`/`until` a prefix is one paged listing. With a
/// time window and the CloudTrail layout (`[prefix/]AWSLogs/[o-ORG/]ACCOUNT/CloudTrail/REGION/
/// YYYY/MM/DD/…`), folders are listed level by level with a delimiter and only the day
/// folders inside the window are listed whole (by day prefix directly when the window is
/// short), so a year of trail is not listed to read one day. Anything outside the layout is
/// listed whole, and file-name times are filtered exactly as `InputDiscovery` does.
public struct S3Listing: Sendable {
    /// The client used for listing.
    public let s3: S3Client
    /// Window start (ms), already widened by the discovery margin.
    public let since: Int64?
    /// Window end (ms), already widened.
    public let until: Int64?
    /// `max-keys` per page (tests set it small to exercise paging); nil for S3's 1000.
    public var pageSize: Int? = nil
    /// Longest window (days) for which day prefixes are listed directly instead of walked.
    static let maxDirectDays = 400

    /// Creates a listing with the scan's window (ms), widened by `margin` like local discovery.
    public init(s3: S3Client, since: Int64?, until: Int64?, margin: Int64 = InputDiscovery.defaultTimeMargin) {
        self.s3 = s3
        self.since = since.map { $0 - margin }
        self.until = until.map { $0 + margin }
    }

    /// What listing found.
    public struct Result: Sendable {
        /// Objects to read, as `InputFile`s named `s3://bucket/key`.
        public var files: [InputFile] = []
        /// Listing problems (`aws.*` codes), each for one prefix; the others were still listed.
        public var diagnostics: [Diagnostic] = []
        /// ListObjectsV2 calls made (pages), so tests and `--summary` can show the pruning.
        public var requests = 0
        /// Keys the listing answers carried (before the name-time filter): what pruning saves.
        public var keysListed = 0
    }

    /// Lists every URL's objects.
    public func list(_ urls: [S3URL]) async -> Result {
        var result = Result()
        for url in urls {
            let leaves = await plan(url, &result)
            for leaf in leaves { await listAll(url.bucket, leaf, &result) }
        }
        return result
    }

    /// The prefixes to list whole: `url.key` itself without a window, else what the layout walk keeps.
    func plan(_ url: S3URL, _ result: inout Result) async -> [String] {
        guard since != nil || until != nil else { return [url.key] }
        var leaves: [String] = []
        var queue = [url.key]
        while let prefix = queue.popLast() {
            switch S3Listing.step(prefix, since: since, until: until) {
            case .skip: continue
            case .listWhole: leaves.append(prefix)
            case .days(let days): leaves += days
            case .descend:
                guard let page = await listPage(url.bucket, prefix, delimiter: "/", &result) else { continue }
                for object in page.objects { add(url.bucket, object, &result) }
                queue += page.prefixes.reversed()
            }
        }
        return leaves
    }

    /// What to do with one folder prefix (pure: tested without a server).
    enum Step: Equatable {
        case skip, listWhole, descend
        case days([String])
    }

    static func step(_ prefix: String, since: Int64?, until: Int64?) -> Step {
        guard prefix.isEmpty || prefix.hasSuffix("/") else { return .descend }  // `AWSLogs` without its slash
        let parts = prefix.split(separator: "/").map(String.init)
        guard let logs = parts.lastIndex(of: "AWSLogs") else {
            return parts.count < 3 ? .descend : .listWhole  // look a little way down for AWSLogs/
        }
        guard let ct = parts.lastIndex(where: { $0 == "CloudTrail" || $0 == "CloudTrail-Digest" }), ct > logs else {
            return parts.count - logs <= 3 ? .descend : .listWhole  // [o-ORG/]ACCOUNT/ then CloudTrail/
        }
        let below = parts.count - ct - 1  // 0: CloudTrail/, 1: region/, 2-4: year, month, day
        if below == 0 { return .descend }
        if below == 1 {
            if let since, let until, until >= since, (until - since) / 86_400_000 < maxDirectDays {
                return .days(dayPrefixes(prefix, since: since, until: until))
            }
            return .descend
        }
        if let range = CloudTrailPath.folderRange(String(prefix.dropLast())) {
            if let since, range.end <= since { return .skip }
            if let until, range.start > until { return .skip }
        }
        return below >= 4 ? .listWhole : .descend
    }

    /// `region/YYYY/MM/DD/` for every UTC day that `[since, until]` touches.
    static func dayPrefixes(_ regionPrefix: String, since: Int64, until: Int64) -> [String] {
        var out: [String] = []
        var day = Int(floorDiv(since, 86_400_000))
        let last = Int(floorDiv(until, 86_400_000))
        while day <= last {
            let (y, m, d) = Timestamp.civilFromDays(day)
            out.append(regionPrefix + String(format: "%04d/%02d/%02d/", y, m, d))
            day += 1
        }
        return out
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : (a - b + 1) / b }

    private func listPage(_ bucket: String, _ prefix: String, delimiter: String?, _ result: inout Result) async
        -> S3ListPage?
    {
        var all = S3ListPage()
        var token: String? = nil
        repeat {
            result.requests += 1
            do {
                let page = try await s3.listPage(
                    bucket: bucket, prefix: prefix, delimiter: delimiter, continuation: token, maxKeys: pageSize)
                all.objects += page.objects
                all.prefixes += page.prefixes
                result.keysListed += page.objects.count
                token = page.continuation
            } catch {
                report(bucket, prefix, error, &result)
                return nil
            }
        } while token != nil
        return all
    }

    private func listAll(_ bucket: String, _ prefix: String, _ result: inout Result) async {
        guard let page = await listPage(bucket, prefix, delimiter: nil, &result) else { return }
        for object in page.objects { add(bucket, object, &result) }
    }

    /// Keeps an object unless it is a folder marker or its file-name time is outside the window.
    private func add(_ bucket: String, _ object: S3Object, _ result: inout Result) {
        guard !object.key.hasSuffix("/") else { return }
        let file = InputFile(path: "s3://\(bucket)/\(object.key)", size: object.size)
        if let t = file.nameTime, let since, t + 1 <= since { return }
        if let t = file.nameTime, let until, t > until { return }
        result.files.append(file)
    }

    private func report(_ bucket: String, _ prefix: String, _ error: any Error, _ result: inout Result) {
        let e = error as? AWSError ?? AWSError("aws.request_failed", "\(error)")
        result.diagnostics.append(
            Diagnostic(
                origin: Origin(path: "s3://\(bucket)/\(prefix)", record: 0), code: e.code,
                message: "cannot list: \(e.message)"))
    }

    /// Local and S3 inputs in one reading order, as `InputDiscovery` orders local ones: files
    /// with a CloudTrail name time by (time, path), then the others, S3 keys by path segments
    /// (the order a directory walk visits them).
    public static func order(_ files: [InputFile]) -> [InputFile] {
        let timed = files.filter { $0.nameTime != nil }.sorted { ($0.nameTime!, $0.path) < ($1.nameTime!, $1.path) }
        let untimed = files.filter { $0.nameTime == nil }
        let local = untimed.filter { S3URL($0.path) == nil }
        let remote = untimed.filter { S3URL($0.path) != nil }.sorted {
            $0.path.split(separator: "/").lexicographicallyPrecedes($1.path.split(separator: "/"))
        }
        return timed + local + remote
    }
}
