import Foundation

/// A CloudTrail scenario of `corpora/` as JSON lines, and the same activity
/// replayed days later with new event ids and new session keys (temporary
/// credentials expire, so a repeat of an attack gets new ones): the input of
/// the "the baseline never learns the attacker" tests.
public enum ScenarioReplay {
    /// Every record of the `.json.gz` files under `folder` (CloudTrail
    /// `{"Records":[…]}`), as one JSON object per line, in event-time order,
    /// duplicate deliveries dropped. Uses `gzip -dc`.
    public static func lines(of folder: String) throws -> [String] {
        var records: [[String: Any]] = []
        var seen: Set<String> = []
        let files =
            FileManager.default.enumerator(atPath: folder)?.compactMap { $0 as? String }
            .filter { $0.hasSuffix(".json.gz") }.sorted() ?? []
        for f in files {
            let data = try gunzip(URL(fileURLWithPath: folder).appendingPathComponent(f).path)
            let top = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            for r in top?["Records"] as? [[String: Any]] ?? [] {
                let id = r["eventID"] as? String ?? ""
                if seen.insert(id).inserted { records.append(r) }
            }
        }
        records.sort { ($0["eventTime"] as? String ?? "") < ($1["eventTime"] as? String ?? "") }
        return try records.map(json)
    }

    /// The records of `lines` whose `eventTime` starts with `day` (`2025-06-10`).
    public static func day(_ day: String, of lines: [String]) -> [String] {
        lines.filter { $0.contains(#""eventTime":"\#(day)"#) || $0.contains(#""eventTime" : "\#(day)"#) }
    }

    /// `lines` moved `days` later, each event id prefixed with `tag-` and each
    /// session key (`ASIA…`) given a new tail, so nothing is a duplicate delivery
    /// or a key already seen.
    public static func replay(_ lines: [String], days: Int, tag: String) throws -> [String] {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return try lines.map { line in
            guard var r = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return line }
            if let t = r["eventTime"] as? String, let d = f.date(from: t) {
                r["eventTime"] = f.string(from: d.addingTimeInterval(Double(days) * 86_400))
            }
            r["eventID"] = "\(tag)-\(r["eventID"] as? String ?? "")"
            if var u = r["userIdentity"] as? [String: Any], let k = u["accessKeyId"] as? String, k.hasPrefix("ASIA") {
                u["accessKeyId"] = String(k.dropLast(min(4, k.count - 4))) + String(tag.uppercased().prefix(4))
                r["userIdentity"] = u
            }
            return try json(r)
        }
    }

    private static func json(_ o: [String: Any]) throws -> String {
        String(
            decoding: try JSONSerialization.data(withJSONObject: o, options: [.sortedKeys, .withoutEscapingSlashes]),
            as: UTF8.self)
    }

    private static func gunzip(_ path: String) throws -> Data {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "exec gzip -dc \"$0\"", path]
        let out = Pipe()
        p.standardOutput = out
        let exit = try p.start()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        try exit.wait()
        return data
    }
}
