import Foundation

/// Bounds of the HTTP endpoint's connections, checked while the request head
/// arrives and before anything else is done with it (nginx's defaults are of
/// the same order: `large_client_header_buffers 4 8k`, `client_header_timeout 60s`).
/// Every bound is a small constant, so an unauthenticated client can cost the
/// service neither memory nor more than linear time in what it sends.
struct HTTPLimits: Sendable {
    /// Longest request line (`GET /path?query HTTP/1.1`); longer: 414.
    var maxRequestLine = 8 << 10
    /// Longest header line; longer: 431.
    var maxHeaderLine = 8 << 10
    /// Longest request head (request line, headers, blank line); longer: 431.
    var maxHead = 16 << 10
    /// Most header lines; more: 431.
    var maxHeaders = 100
    /// Seconds from the first byte of a request to the end of its head; later: 408 and close.
    var headTimeout = 10.0
    /// Seconds a connection may wait for the first byte of a request (new or kept alive); then closed.
    var idleTimeout = 5.0
    /// Seconds to send a response; a client that reads slower is dropped.
    var writeTimeout = 10.0
    /// Seconds spent reading and discarding what a client still sends after an error response,
    /// so that it sees the response instead of a reset.
    var lingerTimeout = 2.0
    /// Open connections; at the limit the oldest one still waiting for a request head is closed.
    var maxConnections = 256
    /// Requests served on one kept-alive connection before it is closed.
    var maxRequestsPerConnection = 1000
}

/// A parsed request head. Header names are lower-cased; values are trimmed.
struct HTTPHead: Sendable, Equatable {
    var method: String
    /// The request target as sent (`/findings?severity=high`).
    var target: String
    /// `HTTP/1.0` or `HTTP/1.1`.
    var version: String
    var headers: [(name: String, value: String)]

    static func == (a: HTTPHead, b: HTTPHead) -> Bool {
        a.method == b.method && a.target == b.target && a.version == b.version
            && a.headers.map(\.name) == b.headers.map(\.name) && a.headers.map(\.value) == b.headers.map(\.value)
    }

    /// The first value of a header (name in lower case).
    func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }

    /// The path part of the target.
    var path: String { String(target.prefix { $0 != "?" }) }

    /// Query items, percent-decoded (`+` stays `+`, as URLComponents does).
    var query: [(name: String, value: String)] {
        guard let q = target.firstIndex(of: "?") else { return [] }
        return target[target.index(after: q)...].split(separator: "&").map { item in
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            let value = parts.count > 1 ? String(parts[1]) : ""
            return (name.removingPercentEncoding ?? name, value.removingPercentEncoding ?? value)
        }
    }

    /// HTTP/1.1 keeps the connection unless `Connection: close`; HTTP/1.0 only with `keep-alive`.
    var keepAlive: Bool {
        let c = header("connection")?.lowercased() ?? ""
        return version == "HTTP/1.1" ? !c.contains("close") : c.contains("keep-alive")
    }
}

/// Finds the end of a request head in a growing buffer, looking at each byte
/// once (linear time however the bytes are split over reads), and enforcing
/// `HTTPLimits` as soon as a bound is crossed, without waiting for a line end.
struct HTTPHeadScanner {
    /// What the bytes seen so far amount to.
    enum Outcome: Equatable {
        /// More bytes are needed.
        case incomplete
        /// A head ends at this offset (bytes after it belong to the next request).
        case complete(HTTPHead, end: Int)
        /// The request is refused with this status (and the connection closed).
        case rejected(status: Int, reason: String)
    }

    let limits: HTTPLimits
    private var scanned = 0
    private var lineStart = 0
    private var lines = 0

    init(limits: HTTPLimits) { self.limits = limits }

    /// Scans the bytes of `buffer` not seen yet; call again when more arrive.
    mutating func scan(_ buffer: [UInt8]) -> Outcome {
        while scanned < buffer.count {
            let i = scanned
            scanned += 1
            guard buffer[i] == 0x0A else { continue }
            var end = i
            if end > lineStart && buffer[end - 1] == 0x0D { end -= 1 }
            let length = end - lineStart
            if lines == 0 && length == 0 {
                lineStart = scanned  // empty lines before the request line are ignored (RFC 9112 §2.2)
                continue
            }
            if lines > 0 && length == 0 { return finish(buffer, end: scanned) }
            if let refused = check(length: length, line: lines) { return refused }
            lines += 1
            if lines - 1 > limits.maxHeaders {
                return .rejected(status: 431, reason: "more than \(limits.maxHeaders) headers")
            }
            lineStart = scanned
        }
        if let refused = check(length: buffer.count - lineStart, line: lines) { return refused }
        if buffer.count > limits.maxHead {
            return .rejected(status: 431, reason: "request head longer than \(limits.maxHead) bytes")
        }
        return .incomplete
    }

    private func check(length: Int, line: Int) -> Outcome? {
        if line == 0 && length > limits.maxRequestLine {
            return .rejected(status: 414, reason: "request line longer than \(limits.maxRequestLine) bytes")
        }
        if line > 0 && length > limits.maxHeaderLine {
            return .rejected(status: 431, reason: "header line longer than \(limits.maxHeaderLine) bytes")
        }
        return nil
    }

    /// Parses the complete head `buffer[..<end]` (at most `maxHead` bytes, so cheap).
    private func finish(_ buffer: [UInt8], end: Int) -> Outcome {
        if end > limits.maxHead {
            return .rejected(status: 431, reason: "request head longer than \(limits.maxHead) bytes")
        }
        // Split on bytes: in a Swift String "\r\n" is one Character, not "\r" then "\n".
        var lines = buffer[..<end].split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
        }
        while let first = lines.first, first.isEmpty { lines.removeFirst() }
        guard let requestLine = lines.first else { return .rejected(status: 400, reason: "no request line") }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[0].allSatisfy(Self.isToken), parts[1].hasPrefix("/"),
            !parts[1].contains(where: { $0.asciiValue.map { $0 < 0x21 || $0 == 0x7F } ?? false })
        else { return .rejected(status: 400, reason: "malformed request line") }
        guard parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0" else {
            return .rejected(status: 505, reason: "only HTTP/1.0 and HTTP/1.1")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                return .rejected(status: 400, reason: "malformed header")
            }
            let name = line[..<colon]
            // No whitespace before the colon, no obsolete line folding (RFC 9112 §5.1, §5.2).
            guard !name.isEmpty, name.allSatisfy(Self.isToken) else {
                return .rejected(status: 400, reason: "malformed header")
            }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: [" ", "\t"])
            headers.append((name.lowercased(), value))
        }
        let head = HTTPHead(
            method: String(parts[0]), target: String(parts[1]), version: String(parts[2]), headers: headers)
        // The endpoint takes no request body; refusing one keeps the connection's framing simple.
        if head.header("transfer-encoding") != nil || (head.header("content-length").map { $0 != "0" } ?? false) {
            return .rejected(status: 413, reason: "no request body accepted")
        }
        return .complete(head, end: end)
    }

    private static func isToken(_ c: Character) -> Bool {
        guard let a = c.asciiValue, a > 0x20, a < 0x7F else { return false }
        return !"\"(),/:;<=>?@[\\]{}".contains(c)
    }
}
