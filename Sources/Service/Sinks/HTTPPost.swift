import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A minimal HTTP/1.1 client for the webhook: one POST per connection
/// (`Connection: close`), plain TCP through POSIX sockets, with connect,
/// send and receive timeouts. No TLS: an https receiver needs a
/// TLS-terminating proxy (stunnel, nginx, envoy) on loopback in front of it.
/// Kept here rather than pulling an HTTP client stack (NIO) into the build.
enum HTTPPost {
    /// Where to send: parsed from `http://host[:port][/path]`.
    struct Target: Sendable {
        var host: String
        var port: UInt16
        var path: String

        init?(url: String) {
            guard url.hasPrefix("http://") else { return nil }
            let rest = url.dropFirst(7)
            let slash = rest.firstIndex(of: "/") ?? rest.endIndex
            let authority = rest[..<slash]
            path = slash == rest.endIndex ? "/" : String(rest[slash...])
            if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
                host = String(authority[authority.index(after: authority.startIndex)..<close])
                let after = authority[authority.index(after: close)...]
                port = after.hasPrefix(":") ? (UInt16(after.dropFirst()) ?? 0) : 80
            } else if let colon = authority.lastIndex(of: ":") {
                host = String(authority[..<colon])
                port = UInt16(authority[authority.index(after: colon)...]) ?? 0
            } else {
                host = String(authority)
                port = 80
            }
            guard !host.isEmpty, port != 0, !path.contains(" "), !path.contains("\r"), !path.contains("\n") else {
                return nil
            }
        }
    }

    /// Outcome of one request.
    enum Result: Equatable {
        /// Got a response with this status code.
        case status(Int)
        /// No connection (refused, unresolvable, connect timeout): the receiver is down.
        case unreachable(String)
        /// Connected, but no valid response (timeout, reset, garbage): the message says which.
        case failed(String)
    }

    /// POSTs `body` as JSON; returns the response status or why there was none.
    static func post(_ t: Target, body: String, headers: [(String, String)], timeout: Double) -> Result {
        let fd: Int32
        switch connect(t.host, t.port, timeout: timeout) {
        case .success(let s): fd = s
        case .failure(let e): return .unreachable(e.message)
        }
        defer { close(fd) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var req = "POST \(t.path) HTTP/1.1\r\nHost: \(t.host):\(t.port)\r\nContent-Type: application/json\r\n"
        req += "Content-Length: \(body.utf8.count)\r\nConnection: close\r\nUser-Agent: trailhound\r\n"
        for (k, v) in headers { req += "\(k): \(v)\r\n" }
        req += "\r\n" + body
        var bytes = Array(req.utf8)
        let sent = bytes.withUnsafeMutableBytes { sendAll(fd, $0) }
        guard sent else { return .failed("send failed: \(String(cString: strerror(errno)))") }
        return readStatus(fd, timeout: timeout)
    }

    struct SocketError: Error { var message: String }

    private static func connect(_ host: String, _ port: UInt16, timeout: Double) -> Swift.Result<Int32, SocketError> {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var res: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &res) == 0, let first = res else {
            return .failure(SocketError(message: "cannot resolve \(host)"))
        }
        defer { freeaddrinfo(res) }
        let fd = socket(first.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return .failure(SocketError(message: "socket: \(String(cString: strerror(errno)))")) }
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        var rc = Glibc.connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen)
        if rc != 0 && errno == EINPROGRESS {
            var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            rc = poll(&p, 1, Int32(timeout * 1000)) == 1 ? 0 : -1
            var err: Int32 = 0
            var len = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len)
            if rc == 0 && err != 0 {
                errno = err
                rc = -1
            } else if rc != 0 {
                errno = ETIMEDOUT
            }
        }
        guard rc == 0 else {
            let msg = "connect to \(host):\(port): \(String(cString: strerror(errno)))"
            close(fd)
            return .failure(SocketError(message: msg))
        }
        _ = fcntl(fd, F_SETFL, flags)
        return .success(fd)
    }

    private static func sendAll(_ fd: Int32, _ b: UnsafeMutableRawBufferPointer) -> Bool {
        var off = 0
        while off < b.count {
            let n = send(fd, b.baseAddress! + off, b.count - off, Int32(MSG_NOSIGNAL))
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            off += n
        }
        return true
    }

    /// Reads up to the end of the status line and parses `HTTP/1.x NNN`.
    private static func readStatus(_ fd: Int32, timeout: Double) -> Result {
        var got: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 1024)
        while got.count < 8192 && !got.contains(0x0a) {
            let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            got.append(contentsOf: buf[..<n])
        }
        let line = String(decoding: got.prefix { $0 != 0x0d && $0 != 0x0a }, as: UTF8.self)
        let parts = line.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let code = Int(parts[1]) else {
            if got.isEmpty && (errno == EAGAIN || errno == EWOULDBLOCK) {
                return .failed("no response within \(Int(timeout)) s (timeout_s)")
            }
            return .failed(got.isEmpty ? "no response (\(String(cString: strerror(errno))))" : "malformed response")
        }
        return .status(code)
    }
}
